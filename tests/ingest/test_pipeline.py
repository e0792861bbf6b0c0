"""Incremental ingest into a real Chroma with the real model: only what changed is embedded."""

from __future__ import annotations

import pytest

from assistant.index.store import Store
from assistant.ingest.parse import parse_file
from assistant.ingest.pipeline import CorpusMissingError
from assistant.ingest.pipeline import ingest_corpus as _ingest
from assistant.settings import Settings
from tests import formats
from tests.conftest import CORPUS

pytestmark = pytest.mark.integration


def ingest_corpus(settings, embed_model, **kwargs):
    return _ingest(settings, embed_model, show_progress=False, **kwargs)


def _ids(settings: Settings) -> set[str]:
    return {n.metadata["doc_id"] for n in Store.live(settings).passages()}


def test_unchanged_corpus_is_not_re_embedded(small_corpus, embed_model):
    first = ingest_corpus(small_corpus, embed_model)
    assert len(first.added) == 2 and first.nodes_embedded > 0
    again = ingest_corpus(small_corpus, embed_model)
    assert again.nodes_embedded == 0
    assert sorted(again.unchanged) == sorted(first.added) and not again.changed


def test_edited_file_alone_is_re_embedded_and_replaced(small_corpus, embed_model):
    ingest_corpus(small_corpus, embed_model)
    md = next(small_corpus.corpus_dir.glob("*.md"))
    md.write_text(md.read_text(encoding="utf-8") + "\n\nA brand new closing paragraph about quokka diplomacy.\n")
    report = ingest_corpus(small_corpus, embed_model)
    doc_id = parse_file(md).doc_id
    assert report.updated == [doc_id] and report.added == [] and len(report.unchanged) == 1
    texts = [n.text for n in Store.live(small_corpus).passages() if n.metadata["doc_id"] == doc_id]
    assert any("quokka" in t for t in texts)
    # the old version's nodes are gone, not duplicated
    assert len(texts) == len(parse_file(md).paragraphs)


def test_deleted_file_disappears_from_the_index(small_corpus, embed_model):
    ingest_corpus(small_corpus, embed_model)
    txt = next(small_corpus.corpus_dir.glob("*.txt"))
    gone = parse_file(txt).doc_id
    txt.unlink()
    report = ingest_corpus(small_corpus, embed_model)
    assert report.removed == [gone]
    assert gone not in _ids(small_corpus)
    assert Store.live(small_corpus).sentences([f"{gone}#p1"]) == []


def test_unreadable_file_is_reported_and_the_rest_ingested(small_corpus, embed_model):
    formats.write_corrupt(small_corpus.corpus_dir, ".pdf")
    report = ingest_corpus(small_corpus, embed_model)
    assert len(report.added) == 2
    assert len(report.failed) == 1 and report.failed[0][0].endswith(".pdf")
    assert report.failed[0][0] in report.summary()


def test_file_that_turns_corrupt_keeps_its_last_good_version(small_corpus, embed_model):
    ingest_corpus(small_corpus, embed_model)
    txt = next(small_corpus.corpus_dir.glob("*.txt"))
    doc_id = parse_file(txt).doc_id
    txt.write_bytes(b"")
    report = ingest_corpus(small_corpus, embed_model)
    assert report.failed and doc_id not in report.removed
    assert doc_id in _ids(small_corpus)


def test_missing_corpus_folder_is_a_clear_error(tmp_path, embed_model):
    settings = Settings(corpus_dir=tmp_path / "nope", index_dir=tmp_path / "index")
    with pytest.raises(CorpusMissingError, match="nope"):
        ingest_corpus(settings, embed_model)


def test_shipped_corpus_nodes_carry_their_full_address(shipped, corpus_settings):
    doc = parse_file(next(CORPUS.glob("*.txt")))
    for node in shipped.retriever.shared.passages:
        m = node.metadata
        assert m["doc_id"] == doc.doc_id and m["meeting"] == "Eighth Capital-Level Meeting"
        assert m["date"] == "2026-06-10" and m["place"] == "Rome, Italy"
        paragraph = doc.paragraphs[m["paragraph"] - 1]
        assert m["section"] == paragraph.section
        assert node.text in paragraph.text
        assert doc.text[m["start"] : m["end"]] == paragraph.text
    assert {n.metadata["paragraph"] for n in shipped.retriever.shared.passages} == set(range(1, 22))


def test_long_preamble_sentence_is_embedded_in_windows_that_keep_its_end(shipped, embed_model):
    windows = [n for n in shipped.retriever.shared.passages if n.metadata["paragraph"] == 1]
    assert len(windows) >= 2
    assert all(embed_model.count_tokens(w.text) <= 200 for w in windows)
    assert "convened in Rome from 9 to 10 June 2026" in windows[-1].text


def test_changed_chunking_settings_re_embed_unchanged_files(small_corpus, embed_model):
    ingest_corpus(small_corpus, embed_model)
    rechunked = small_corpus.model_copy(update={"sentence_max_words": 20})
    report = ingest_corpus(rechunked, embed_model)
    assert len(report.updated) == 2 and report.nodes_embedded > 0
    again = ingest_corpus(rechunked, embed_model)
    assert again.nodes_embedded == 0


@pytest.fixture(scope="module")
def e5_model():
    from assistant.index.e5 import E5Model

    model = E5Model.from_settings(Settings())
    if model is None:
        pytest.skip("the e5 engine does not load here")
    return model


class Refuses:
    """An encoder that fails the test if anything is given to it."""

    def passages(self, texts, batch_size=None):
        raise AssertionError(f"e5 was asked to embed {len(texts)} passages")


def test_re_ingest_of_an_unchanged_corpus_embeds_nothing_with_either_model(small_corpus, embed_model, e5_model):
    first = ingest_corpus(small_corpus, embed_model, e5=e5_model)
    assert first.nodes_embedded > 0 and first.switched

    def load_minilm():
        raise AssertionError("MiniLM was loaded for an unchanged corpus")

    again = ingest_corpus(small_corpus, load_minilm, e5=Refuses())
    assert again.nodes_embedded == 0 and again.nodes_copied == 0 and not again.switched
    assert sorted(again.unchanged) == sorted(first.added) and again.generation == first.generation
    assert "minilm" not in again.stage_seconds and "e5" not in again.stage_seconds


def _stored(settings: Settings) -> dict[str, tuple]:
    got = Store.live(settings).collection.get(include=["embeddings", "metadatas", "documents"])
    return {
        i: (m, d, [round(float(x), 5) for x in e])
        for i, m, d, e in zip(got["ids"], got["metadatas"], got["documents"], got["embeddings"], strict=True)
    }


def test_e5_on_its_own_thread_stores_what_it_stores_in_turn(small_corpus, embed_model, e5_model, tmp_path):
    serial = small_corpus.model_copy(update={"index_dir": tmp_path / "serial", "ingest_parallel_encoders": False})
    parallel = small_corpus.model_copy(update={"index_dir": tmp_path / "parallel", "ingest_parallel_encoders": True})
    one = ingest_corpus(serial, embed_model, e5=e5_model)
    two = ingest_corpus(parallel, embed_model, e5=e5_model)
    assert one.nodes_embedded == two.nodes_embedded > 0
    assert _stored(serial) == _stored(parallel)
    assert "e5 wait" in two.stage_seconds and two.stage_seconds["e5"] > 0
