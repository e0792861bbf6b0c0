"""The sentence-facts step: facts on the node that begins each sentence, nothing added to what is embedded."""

from __future__ import annotations

import pytest
from llama_index.core.schema import MetadataMode

from assistant.ingest.chunking import build_nodes
from assistant.ingest.parse import parse_file
from assistant.ingest.sentence_facts import SentenceFactsExtractor
from assistant.schema import SentenceFacts, is_sentence, sentence_of
from tests.conftest import MULTI_CORPUS

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def rome():
    doc = parse_file(next(MULTI_CORPUS.glob("2026-06-10_rome*")))
    return doc, build_nodes(doc, lambda text: len(text.split()))


def test_the_embedded_and_model_text_of_every_node_is_unchanged(rome):
    doc, _ = rome
    before = build_nodes(doc, lambda text: len(text.split()))
    after = SentenceFactsExtractor()(build_nodes(doc, lambda text: len(text.split())))
    for old, new in zip(before, after, strict=True):
        assert new.get_content(MetadataMode.EMBED) == old.get_content(MetadataMode.EMBED)
        assert new.get_content(MetadataMode.LLM) == old.get_content(MetadataMode.LLM)


def test_a_long_sentence_cut_into_clauses_has_its_facts_on_its_first_clause(rome):
    doc, nodes = rome
    SentenceFactsExtractor()(nodes)
    sentences = [n for n in nodes if is_sentence(n) and sentence_of(n).address.paragraph == 6]
    assert len(sentences) > 1  # the Recalling … sentence is quoted as clauses
    head, *rest = sentences
    facts = SentenceFacts.of(head)
    assert facts.operative == "recommend" and facts.addressees == ("States",) and facts.pillar == "Participation"
    assert facts.end == len(doc.paragraphs[5].text)
    assert all(SentenceFacts.of(n) is None for n in rest)


def test_facts_round_trip_through_flat_metadata():
    facts = SentenceFacts(end=40, operative="call", addressees=("States", "members"), pillar="Protection")
    assert SentenceFacts.of(facts.metadata()) == facts
    assert all(isinstance(v, str | int | float | bool) for v in facts.metadata().values())
