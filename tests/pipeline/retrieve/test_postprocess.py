"""Post-processors between retrieval and answering, as llama-index runs them."""

from __future__ import annotations

import pytest
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from assistant.pipeline.retrieve.postprocess import (
    POSTPROCESSORS,
    ParagraphDedupe,
    SameLanguage,
    TopK,
    build_postprocessors,
)
from assistant.schema import Address
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


def _at(doc: str, paragraph: int, language: str, score: float) -> NodeWithScore:
    """A candidate with a whole address, as the store returns them."""
    address = Address(doc, "T", "", "", "", "S", paragraph, "", 0, 1, language=language)
    return NodeWithScore(node=TextNode(id_=address.para_key, text="x", metadata=address.metadata()), score=score)


# One bilingual document (b) and one in English only (e).
CANDIDATES = [
    _at("b", 1, "en", 0.9),
    _at("e", 3, "en", 0.85),
    _at("b", 9, "fr", 0.8),
    _at("b", 2, "en", 0.7),
    _at("b", 10, "fr", 0.6),
    _at("e", 4, "en", 0.5),
]
FRENCH = QueryBundle("Que dit le texte sur la prévention ?")


def test_same_language_answers_a_bilingual_document_from_the_questions_language():
    kept = SameLanguage().postprocess_nodes(CANDIDATES, query_bundle=FRENCH)
    assert _keys(kept) == ["b#p9", "b#p10", "e#p3", "e#p4"]  # b's English dropped, e (English only) kept
    english = QueryBundle("What does the text say on prevention?")
    kept = SameLanguage().postprocess_nodes(CANDIDATES, query_bundle=english)
    assert _keys(kept) == ["b#p1", "e#p3", "b#p2", "e#p4"]


def test_one_misread_paragraph_does_not_make_a_document_bilingual():
    nodes = [_at("e", i, "en", 1 - i / 10) for i in range(1, 8)] + [_at("e", 8, "fr", 0.1)]
    kept = SameLanguage().postprocess_nodes(nodes, query_bundle=FRENCH)
    assert _keys(kept) == ["e#p8", *(f"e#p{i}" for i in range(1, 8))]  # first, but nothing dropped


def test_same_language_changes_nothing_on_one_language_or_an_unknown_one():
    english = [_at("e", i, "en", 1 - i / 10) for i in range(4)]
    assert SameLanguage().postprocess_nodes(english, query_bundle=FRENCH) == english
    unknown = QueryBundle("Nairobi 2019?")
    assert SameLanguage().postprocess_nodes(CANDIDATES, query_bundle=unknown) == CANDIDATES
    spanish = QueryBundle("¿Qué dice el comunicado sobre la prevención?")  # no candidate in Spanish
    assert SameLanguage().postprocess_nodes(CANDIDATES, query_bundle=spanish) == CANDIDATES


def test_the_list_follows_the_setting_in_order():
    assert [type(s) for s in build_postprocessors(Settings(postprocessors=["top_k"]))] == [TopK]


def test_an_unknown_post_processor_is_refused_with_the_known_names():
    with pytest.raises(ValueError, match=r"rerank.*paragraph_dedupe, same_language, top_k"):
        build_postprocessors(Settings(postprocessors=["rerank"]))
    assert set(POSTPROCESSORS) == {"paragraph_dedupe", "same_language", "top_k"}
