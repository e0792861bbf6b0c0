"""Post-processors between retrieval and answering, as llama-index runs them."""

from __future__ import annotations

import pytest
from llama_index.core.schema import NodeWithScore, TextNode

from assistant.pipeline.postprocess import POSTPROCESSORS, ParagraphDedupe, TopK, build_postprocessors
from assistant.settings import Settings

pytestmark = pytest.mark.unit


def _node(key: str, window: int, score: float) -> NodeWithScore:
    return NodeWithScore(node=TextNode(id_=f"{key}.w{window}", text="x", metadata={"para_key": key}), score=score)


def test_paragraph_dedupe_keeps_the_best_window_of_each_paragraph():
    nodes = [_node("d#p1", 2, 0.9), _node("d#p2", 1, 0.8), _node("d#p1", 1, 0.7)]
    kept = ParagraphDedupe().postprocess_nodes(nodes)
    assert [n.node.node_id for n in kept] == ["d#p1.w2", "d#p2.w1"]


def test_top_k_cuts_to_the_best_k():
    nodes = [_node(f"d#p{i}", 1, 1 - i / 10) for i in range(8)]
    assert len(TopK(top_k=3).postprocess_nodes(nodes)) == 3


def test_the_default_list_dedupes_then_cuts_to_top_k():
    steps = build_postprocessors(Settings(top_k=4))
    assert [type(s) for s in steps] == [ParagraphDedupe, TopK] and steps[1].top_k == 4


def test_the_list_follows_the_setting_in_order():
    assert [type(s) for s in build_postprocessors(Settings(postprocessors=["top_k"]))] == [TopK]


def test_an_unknown_post_processor_is_refused_with_the_known_names():
    with pytest.raises(ValueError, match=r"rerank.*paragraph_dedupe, top_k"):
        build_postprocessors(Settings(postprocessors=["rerank"]))
    assert set(POSTPROCESSORS) == {"paragraph_dedupe", "top_k"}
