"""Post-processors between retrieval and answering, as llama-index runs them."""

from __future__ import annotations

import pytest
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from assistant.pipeline.postprocess import POSTPROCESSORS, ParagraphDedupe, SameLanguage, TopK, build_postprocessors
from assistant.settings import Settings

pytestmark = pytest.mark.unit


def _node(key: str, window: int, score: float, language: str = "") -> NodeWithScore:
    metadata = {"para_key": key, "language": language}
    return NodeWithScore(node=TextNode(id_=f"{key}.w{window}", text="x", metadata=metadata), score=score)


def test_paragraph_dedupe_keeps_the_best_window_of_each_paragraph():
    nodes = [_node("d#p1", 2, 0.9), _node("d#p2", 1, 0.8), _node("d#p1", 1, 0.7)]
    kept = ParagraphDedupe().postprocess_nodes(nodes)
    assert [n.node.node_id for n in kept] == ["d#p1.w2", "d#p2.w1"]


def test_top_k_cuts_to_the_best_k():
    nodes = [_node(f"d#p{i}", 1, 1 - i / 10) for i in range(8)]
    assert len(TopK(top_k=3).postprocess_nodes(nodes)) == 3


def test_the_default_list_dedupes_prefers_the_questions_language_then_cuts_to_top_k():
    steps = build_postprocessors(Settings(top_k=4))
    assert [type(s) for s in steps] == [ParagraphDedupe, SameLanguage, TopK] and steps[2].top_k == 4


def _keys(nodes: list[NodeWithScore]) -> list[str]:
    return [n.node.metadata["para_key"] for n in nodes]


BILINGUAL = [
    _node("d#p1", 1, 0.9, "en"),
    _node("d#p9", 1, 0.8, "fr"),
    _node("d#p2", 1, 0.7, "en"),
    _node("d#p10", 1, 0.6, "fr"),
]


def test_same_language_puts_the_questions_language_first_and_keeps_the_rest_in_order():
    kept = SameLanguage().postprocess_nodes(BILINGUAL, query_bundle=QueryBundle("Que dit le texte sur la prévention ?"))
    assert _keys(kept) == ["d#p9", "d#p10", "d#p1", "d#p2"]
    kept = SameLanguage().postprocess_nodes(BILINGUAL, query_bundle=QueryBundle("What does it say on prevention?"))
    assert _keys(kept) == ["d#p1", "d#p2", "d#p9", "d#p10"]


def test_same_language_changes_nothing_on_one_language_or_an_unknown_one():
    english = [_node(f"d#p{i}", 1, 1 - i / 10, "en") for i in range(4)]
    french_question = QueryBundle("Que dit le texte sur la prévention ?")
    assert SameLanguage().postprocess_nodes(english, query_bundle=french_question) == english
    unknown = QueryBundle("Nairobi 2019?")
    assert SameLanguage().postprocess_nodes(BILINGUAL, query_bundle=unknown) == BILINGUAL
    spanish = QueryBundle("¿Qué dice el comunicado sobre la prevención?")  # no candidate in Spanish
    assert SameLanguage().postprocess_nodes(BILINGUAL, query_bundle=spanish) == BILINGUAL


def test_the_list_follows_the_setting_in_order():
    assert [type(s) for s in build_postprocessors(Settings(postprocessors=["top_k"]))] == [TopK]


def test_an_unknown_post_processor_is_refused_with_the_known_names():
    with pytest.raises(ValueError, match=r"rerank.*paragraph_dedupe, same_language, top_k"):
        build_postprocessors(Settings(postprocessors=["rerank"]))
    assert set(POSTPROCESSORS) == {"paragraph_dedupe", "same_language", "top_k"}
