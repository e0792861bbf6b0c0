"""Corpus hygiene: files that are not text, copies, oversized files and library warnings.

The parsing and capture tests are unit tests (no model); the ingest tests run the real pipeline into
a real Chroma with the real model and check the report and what is indexed.
"""

from __future__ import annotations

import random
import shutil

import pytest

from assistant.index.store import Store
from assistant.ingest.capture import library_warnings
from assistant.ingest.document import ParseError
from assistant.ingest.parse import doc_id_for, parse_file
from assistant.ingest.pipeline import Step, ingest_corpus
from assistant.ingest.text import decode, unreadable_share
from assistant.settings import Settings
from tests import formats
from tests.conftest import CORPUS

ROME = next(CORPUS.glob("*.txt"))


@pytest.mark.unit
@pytest.mark.parametrize("suffix", [".txt", ".md", ".html"])
def test_binary_garbage_under_a_text_suffix_is_refused_as_not_text(tmp_path, suffix):
    path = formats.write_corrupt(tmp_path, suffix, size=4096)

    with pytest.raises(ParseError, match=r"not text: .* control codes or undecodable bytes"):
        parse_file(path)


@pytest.mark.unit
def test_text_mostly_made_of_control_codes_is_refused_even_when_it_decodes(tmp_path):
    path = tmp_path / "2024_controls.txt"
    noise = "".join(chr(random.Random(3).randrange(1, 31)) for _ in range(400))
    path.write_text("Joint Communiqué\n\nWe recommend funding. " + noise, encoding="utf-8")

    with pytest.raises(ParseError, match="not text"):
        parse_file(path)


@pytest.mark.unit
def test_real_communiques_have_no_unreadable_characters():
    assert unreadable_share(parse_file(ROME).text) == 0.0


@pytest.mark.unit
def test_utf16_text_with_a_byte_order_mark_is_decoded():
    text = "Joint Communiqué — Women, Peace and Security"
    assert decode(text.encode("utf-16")) == text


@pytest.mark.unit
def test_pypdf_warnings_are_collected_not_printed(tmp_path, capfd):
    path = formats.write_pdf_with_bad_xref(tmp_path)

    with library_warnings() as messages:
        doc = parse_file(path)

    assert doc.paragraphs
    assert any("startxref" in m for m in messages)
    out, err = capfd.readouterr()
    assert "startxref" not in out + err


@pytest.fixture()
def messy_corpus(tmp_path) -> Settings:
    """Rome, a numbered communiqué, and one of each bad file."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ROME, corpus)
    shutil.copy(ROME, corpus / "rome-copy-for-the-website.txt")  # the same text under another name
    formats.write_numbered_txt(corpus)
    formats.write_corrupt(corpus, ".txt", size=8192)  # binary garbage saved as .txt
    formats.write_pdf_with_bad_xref(corpus)  # readable, but pypdf warns
    (corpus / "huge-annex.md").write_text("# Annex\n\n" + "We recommend more funding. " * 4000, encoding="utf-8")
    return Settings(corpus_dir=corpus, index_dir=tmp_path / "index", max_file_mb=0.05)


@pytest.mark.integration
def test_each_bad_file_is_skipped_with_its_reason_and_the_rest_indexed(messy_corpus, embed_model, capfd):
    steps: list[Step] = []
    report = ingest_corpus(messy_corpus, embed_model, show_progress=False, on_step=steps.append)
    out, err = capfd.readouterr()

    failed = dict(report.failed)
    assert "not text" in failed["corrupt_txt.txt"]
    assert "over the 0.05 MB limit (WPS_MAX_FILE_MB)" in failed["huge-annex.md"]
    assert report.duplicates == [("rome-copy-for-the-website.txt", ROME.name)]
    assert any(name.endswith(".pdf") and "startxref" in message for name, message in report.warnings)
    assert "startxref" not in out + err  # pypdf's warning went to the report, not the terminal
    summary = report.summary()
    for name in ("corrupt_txt.txt", "huge-annex.md", "rome-copy-for-the-website.txt"):
        assert name in summary

    indexed = {a.doc_id for a in map(_address, Store.live(messy_corpus).passages())}
    assert indexed == set(report.added) and len(indexed) == 3  # Rome once, the numbered .txt, the PDF
    assert "rome-copy-for-the-website" not in indexed

    # Smallest file first: the documents were embedded in order of file size.
    sizes = {doc_id_for(p): p.stat().st_size for p in messy_corpus.corpus_dir.iterdir()}
    order = [s.doc_id for s in steps if s.name == "document"]
    assert order == sorted(order, key=sizes.__getitem__)


@pytest.mark.integration
def test_the_copy_already_indexed_stays_when_a_duplicate_appears(tmp_path, embed_model):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ROME, corpus / "zz-rome.txt")
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index")
    ingest_corpus(settings, embed_model, show_progress=False)
    shutil.copy(ROME, corpus / "aa-rome.txt")  # sorts first, but the indexed copy is kept

    report = ingest_corpus(settings, embed_model, show_progress=False)

    assert report.duplicates == [("aa-rome.txt", "zz-rome.txt")]
    assert report.nodes_embedded == 0 and not report.changed


def _address(node):
    from assistant.schema import Address

    return Address.of(node)
