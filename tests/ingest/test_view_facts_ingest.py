"""Sentence facts and centrality are stored with the index at ingest, and a changed document
recomputes only its own (real model, real Chroma)."""

from __future__ import annotations

import pytest

from assistant.index.store import Store
from assistant.ingest.pipeline import ingest_corpus
from assistant.schema import SentenceFacts

pytestmark = pytest.mark.integration


def facts_by_doc(store: Store) -> dict[str, dict[str, tuple[str, SentenceFacts]]]:
    """doc → sentence key → (the sentence's first clause, its facts)."""
    out: dict[str, dict[str, tuple[str, SentenceFacts]]] = {}
    for sentence, facts in store.sentence_records():
        if facts is not None:
            out.setdefault(sentence.address.doc_id, {})[f"{sentence.para_key}@{sentence.start}"] = (
                sentence.text,
                facts,
            )
    return out


def test_facts_and_centrality_are_read_back_from_the_store(small_corpus, embed_model):
    ingest_corpus(small_corpus, embed_model, show_progress=False)
    stored = facts_by_doc(Store.live(small_corpus))
    assert len(stored) == 2
    every = [f for facts in stored.values() for _, f in facts.values()]
    assert any(f.operative for f in every)
    assert all(-1 <= f.centrality <= 1 for f in every) and any(f.centrality > 0.5 for f in every)


def test_an_edited_document_alone_gets_new_facts(small_corpus, embed_model):
    ingest_corpus(small_corpus, embed_model, show_progress=False)
    before = facts_by_doc(Store.live(small_corpus))
    md = next(small_corpus.corpus_dir.glob("*.md"))
    md.write_text(md.read_text(encoding="utf-8") + "\n\nWe call upon all Member States to fund quokka sanctuaries.\n")
    report = ingest_corpus(small_corpus, embed_model, show_progress=False)
    after = facts_by_doc(Store.live(small_corpus))  # the new generation: the unchanged document copied
    (changed,) = report.updated
    (same,) = set(before) - {changed}
    assert after[same] == before[same]  # the other document's facts (and centralities) were copied as they were
    assert report.nodes_copied and report.unchanged == [same]
    (quokka,) = [f for text, f in after[changed].values() if "quokka" in text]
    assert (quokka.operative, quokka.addressees) == ("call", ("States",))
