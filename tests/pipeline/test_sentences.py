"""Recent paragraphs' sentences are kept: a question reads from the store only the paragraphs it lacks."""

from __future__ import annotations

import pytest

from assistant.pipeline.sentences import RecentSentences, document_order
from assistant.schema import Address, Sentence

pytestmark = pytest.mark.unit


def _sentence(doc: str, paragraph: int, start: int, text: str = "") -> Sentence:
    address = Address.of({"doc_id": doc, "section": "S", "paragraph": paragraph, "start": 0, "end": 100})
    return Sentence(address, start, start + 10, text or f"{doc} {paragraph} {start}", [0.0])


# Two sentences of a#p1 start at 0 (a sentence read as two pieces): their order is the store's.
STORE = [_sentence(d, p, s) for d in ("a", "b") for p in (1, 2, 3) for s in (20, 0, 40)]
STORE.append(_sentence("a", 1, 0, "second piece"))


class _Store:
    """Sentences by paragraph key, in an order of its own (as Chroma's may be), counting the reads."""

    def __init__(self) -> None:
        self.reads: list[list[str]] = []

    def sentences(self, para_keys: list[str]) -> list[Sentence]:
        self.reads.append(list(para_keys))
        return sorted((s for s in STORE if s.para_key in para_keys), key=document_order)


def test_the_sentences_are_the_stores_in_document_order_whatever_order_the_keys_come_in():
    store = _Store()
    recent = RecentSentences(store.sentences)
    keys = ["b#p2", "a#p1", "a#p3"]
    assert recent(keys) == store.sentences(keys)
    assert recent(["a#p3", "b#p2", "a#p1", "a#p1"]) == store.sentences(keys)


def test_a_paragraph_read_once_is_not_read_again_and_only_the_missing_ones_are_fetched_together():
    store = _Store()
    recent = RecentSentences(store.sentences)
    recent(["a#p1", "a#p2"])
    recent(["a#p2", "b#p1", "b#p3", "a#p1"])
    assert store.reads == [["a#p1", "a#p2"], ["b#p1", "b#p3"]]


def test_a_paragraph_without_sentences_is_remembered_as_empty_and_no_keys_read_nothing():
    store = _Store()
    recent = RecentSentences(store.sentences)
    assert recent(["z#p9"]) == [] and recent(["z#p9"]) == [] and recent([]) == []
    assert store.reads == [["z#p9"]]


def test_only_the_most_recent_paragraphs_are_kept():
    store = _Store()
    recent = RecentSentences(store.sentences, size=2)
    recent(["a#p1"]), recent(["a#p2"]), recent(["a#p1"]), recent(["a#p3"])  # a#p2 is the oldest now
    recent(["a#p1", "a#p3"])
    recent(["a#p2"])
    assert store.reads == [["a#p1"], ["a#p2"], ["a#p3"], ["a#p2"]]


def test_equal_positions_keep_the_stores_relative_order():
    store = _Store()
    recent = RecentSentences(store.sentences)
    recent(["a#p1"])
    got = recent(["b#p1", "a#p1"])  # a#p1 from memory now
    assert [s.text for s in got if s.para_key == "a#p1"] == ["a 1 0", "second piece", "a 1 20", "a 1 40"]
