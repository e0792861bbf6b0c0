"""Behaviour of ``assistant.ingest.parse.parse_file`` on every supported format.

Fixtures are generated into ``tmp_path`` by ``tests/formats.py`` (same fictional communiqué in
markdown, HTML, PDF and DOCX; a numbered plain-text file; garbage files), plus the shipped Rome
communiqué in ``corpus/``. No models, no vector store: these tests only parse.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from assistant.ingest.document import ParsedDocument, ParseError
from assistant.ingest.parse import SUPPORTED_SUFFIXES, parse_file
from assistant.ingest.structure import MAIN_TEXT
from tests import formats
from tests.conftest import ROME_SECTIONS

pytestmark = pytest.mark.unit

CORPUS = Path(__file__).parents[2] / "corpus"
FORMATS = list(formats.WRITERS)  # markdown, html, pdf, docx
ALL_FIXTURES = [*FORMATS, "pdf-lone-page-numbers", "htm", "numbered-txt"]


def _write(kind: str, directory: Path) -> Path:
    if kind == "pdf-lone-page-numbers":
        return formats.write_pdf(directory, page_numbers="lone")
    if kind == "htm":
        return formats.write_html(directory, suffix=".htm")
    if kind == "numbered-txt":
        return formats.write_numbered_txt(directory)
    return formats.WRITERS[kind](directory)


def _squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def parse(tmp_path_factory):
    """``parse(kind) -> (path, doc)``: each fixture written and parsed once per module.

    Lazy, so a parser crash on one format fails only that format's tests.
    """
    cache: dict[str, tuple[Path, ParsedDocument]] = {}

    def _parse(kind: str) -> tuple[Path, ParsedDocument]:
        if kind not in cache:
            path = _write(kind, tmp_path_factory.mktemp(kind))
            cache[kind] = (path, parse_file(path))
        return cache[kind]

    return _parse


@pytest.fixture(scope="module")
def rome() -> ParsedDocument:
    [path] = sorted(CORPUS.glob("*rome*.txt"))
    return parse_file(path)


# ------------------------------------------------------------------------------------------
# The contract's surface
# ------------------------------------------------------------------------------------------


def test_supported_suffixes_cover_every_input_format():
    assert {".txt", ".md", ".html", ".htm", ".pdf", ".docx"} <= set(SUPPORTED_SUFFIXES)


def test_parse_error_is_an_exception():
    assert issubclass(ParseError, Exception)


# ------------------------------------------------------------------------------------------
# Invariants that hold for every format
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ALL_FIXTURES)
def test_paragraph_offsets_address_the_exact_text(parse, kind):
    _, doc = parse(kind)
    assert doc.paragraphs
    for p in doc.paragraphs:
        assert doc.text[p.start : p.end] == p.text, f"paragraph {p.number} offsets are off"


@pytest.mark.parametrize("kind", ALL_FIXTURES)
def test_paragraphs_are_numbered_one_to_n_in_text_order(parse, kind):
    _, doc = parse(kind)
    assert [p.number for p in doc.paragraphs] == list(range(1, len(doc.paragraphs) + 1))
    starts = [p.start for p in doc.paragraphs]
    assert starts == sorted(starts)
    for before, after in zip(doc.paragraphs, doc.paragraphs[1:], strict=False):
        assert before.end <= after.start, "paragraphs overlap"


@pytest.mark.parametrize("kind", ALL_FIXTURES)
def test_paragraph_text_is_stripped_and_non_empty(parse, kind):
    _, doc = parse(kind)
    for p in doc.paragraphs:
        assert p.text.strip() == p.text and p.text


@pytest.mark.parametrize("kind", ALL_FIXTURES)
def test_doc_id_comes_from_the_file_name_stem(parse, kind):
    path, doc = parse(kind)
    assert doc.doc_id == path.stem


@pytest.mark.parametrize("kind", ALL_FIXTURES)
def test_content_hash_is_sha256_of_the_file_bytes(parse, kind):
    path, doc = parse(kind)
    assert doc.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("kind", ALL_FIXTURES)
def test_source_path_names_the_parsed_file(parse, kind):
    path, doc = parse(kind)
    assert Path(doc.source_path).name == path.name


@pytest.mark.parametrize("kind", ALL_FIXTURES)
def test_title_block_facts_are_parsed(parse, kind):
    _, doc = parse(kind)
    assert (doc.meeting, doc.date, doc.place) == (
        formats.MEETING,
        formats.DATE,
        formats.PLACE,
    )


@pytest.mark.parametrize("kind", ALL_FIXTURES)
def test_title_block_is_not_a_paragraph(parse, kind):
    _, doc = parse(kind)
    for p in doc.paragraphs:
        assert "12-13 March 2024" not in p.text
        assert p.text not in (formats.TITLE, formats.MEETING)
        assert not p.text.startswith(formats.TITLE)


@pytest.mark.parametrize("kind", ALL_FIXTURES)
def test_doc_sections_list_each_paragraph_section_once_in_order(parse, kind):
    _, doc = parse(kind)
    seen = list(dict.fromkeys(p.section for p in doc.paragraphs))
    assert doc.sections == seen


# ------------------------------------------------------------------------------------------
# The same communiqué in markdown, HTML, PDF and DOCX
# ------------------------------------------------------------------------------------------

STRUCTURED = [*FORMATS, "pdf-lone-page-numbers", "htm"]


@pytest.mark.parametrize("kind", STRUCTURED)
def test_sections_are_found_in_order(parse, kind):
    _, doc = parse(kind)
    assert doc.sections == formats.SECTIONS


@pytest.mark.parametrize("kind", STRUCTURED)
def test_every_paragraph_is_found_under_its_heading(parse, kind):
    _, doc = parse(kind)
    got = [(p.number, p.section) for p in doc.paragraphs]
    want = [(i, section) for i, (section, _) in enumerate(formats.PARAGRAPHS, start=1)]
    assert got == want


@pytest.mark.parametrize("kind", STRUCTURED)
def test_paragraph_text_is_the_cleaned_communique_text(parse, kind):
    _, doc = parse(kind)
    assert [_squash(p.text) for p in doc.paragraphs] == [t for _, t in formats.PARAGRAPHS]


@pytest.mark.parametrize("kind", STRUCTURED)
def test_headings_are_not_paragraphs(parse, kind):
    _, doc = parse(kind)
    texts = {p.text for p in doc.paragraphs}
    assert not texts & {"Participation", "Protection", "Preamble"}


# The contract fixes where the title comes from (``#``, ``<h1>``, the "Title" style, the
# top of a PDF), not its exact wording: a parser may qualify it, e.g. "Joint Communiqué —
# Seventh Ministerial Meeting", so the check is that it starts with the title element.
@pytest.mark.parametrize("kind", ["markdown", "html", "htm", "docx"])
def test_title_comes_from_the_title_element(parse, kind):
    _, doc = parse(kind)
    assert doc.title.startswith(formats.TITLE)
    assert "#" not in doc.title and "Portal" not in doc.title


@pytest.mark.parametrize("kind", ["pdf", "pdf-lone-page-numbers"])
def test_pdf_title_is_the_communique_title_not_the_running_header(parse, kind):
    _, doc = parse(kind)
    assert doc.title.startswith(formats.TITLE)
    assert formats.PDF_RUNNING_HEADER not in doc.title


@pytest.mark.parametrize("kind", STRUCTURED)
def test_unlabelled_paragraphs_have_no_label(parse, kind):
    _, doc = parse(kind)
    assert [p.label for p in doc.paragraphs] == [None] * len(formats.PARAGRAPHS)


# ------------------------------------------------------------------------------------------
# Cleaning
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["html", "htm"])
def test_html_navigation_banner_script_aside_and_footer_are_dropped(parse, kind):
    _, doc = parse(kind)
    leaked = [noise for noise in formats.HTML_NOISE if noise in doc.text]
    assert leaked == []


@pytest.mark.parametrize("kind", STRUCTURED)
def test_no_page_chrome_or_furniture_anywhere_in_text(parse, kind):
    _, doc = parse(kind)
    leaked = [noise for noise in formats.NOISE if noise in doc.text]
    assert leaked == []


@pytest.mark.parametrize("kind", ["pdf", "pdf-lone-page-numbers"])
def test_pdf_running_header_and_page_numbers_are_dropped(parse, kind):
    _, doc = parse(kind)
    assert formats.PDF_RUNNING_HEADER not in doc.text
    assert "Ministerial Communique" not in doc.text  # the title is "Joint Communiqué"
    assert not re.search(r"Page\s+\d+\s+of\s+\d+", doc.text)
    assert not re.search(r"(?m)^\s*\d{1,3}\s*$", doc.text), "a lone page number survived"


@pytest.mark.parametrize("kind", ["pdf", "pdf-lone-page-numbers"])
def test_pdf_word_hyphenated_across_a_line_end_is_rejoined(parse, kind):
    _, doc = parse(kind)
    last = doc.paragraphs[-1]
    assert "swift implementation of national action plans" in last.text
    assert "imple-" not in doc.text
    assert "mentation" not in doc.text.replace("implementation", "")


@pytest.mark.parametrize("kind", ["pdf", "pdf-lone-page-numbers"])
def test_pdf_hard_wrapped_paragraphs_are_single_spaced_lines(parse, kind):
    _, doc = parse(kind)
    for p in doc.paragraphs:
        assert "\n" not in p.text, f"paragraph {p.number} keeps a line break"
        assert "  " not in p.text, f"paragraph {p.number} has a double space"
    assert [p.text for p in doc.paragraphs] == [t for _, t in formats.PARAGRAPHS]


def test_pdf_back_to_back_paragraphs_on_one_page_are_split(parse):
    """Paragraphs 2 and 3 share page 1 with only vertical space between them."""
    _, doc = parse("pdf")
    second, third = doc.paragraphs[1], doc.paragraphs[2]
    assert second.text.endswith("track this progress annually.")
    assert third.text.startswith("We value the work of local women peacebuilders")


def test_markdown_emphasis_and_links_are_removed(parse):
    _, doc = parse("markdown")
    for marker in ("**", "__", "_ceasefire_", "*saffron", "](", "https://example.org"):
        assert marker not in doc.text, f"{marker!r} left in markdown text"
    assert "full, equal and meaningful participation of women" in doc.paragraphs[1].text
    assert "work of local women peacebuilders in the lakeside" in doc.paragraphs[2].text


def test_html_inline_markup_and_source_line_breaks_leave_plain_text(parse):
    _, doc = parse("html")
    assert "<" not in doc.text and ">" not in doc.text
    assert doc.paragraphs[0].text == formats.PARAGRAPHS[0][1]


def test_docx_runs_are_joined_into_one_paragraph(parse):
    _, doc = parse("docx")
    assert doc.paragraphs[1].text == formats.PARAGRAPHS[1][1]


# ------------------------------------------------------------------------------------------
# Numbered plain text
# ------------------------------------------------------------------------------------------


def test_numbered_paragraphs_carry_their_printed_label(parse):
    _, doc = parse("numbered-txt")
    assert [p.label for p in doc.paragraphs] == [lbl for lbl, _ in formats.NUMBERED_PARAGRAPHS]


def test_numbered_paragraphs_keep_their_text(parse):
    # The contract says numbered paragraphs "keep their text"; accept the text with or without
    # its printed "N. " prefix, but nothing else may change.
    _, doc = parse("numbered-txt")
    assert len(doc.paragraphs) == len(formats.NUMBERED_PARAGRAPHS)
    for p, (label, text) in zip(doc.paragraphs, formats.NUMBERED_PARAGRAPHS, strict=True):
        assert p.text in (text, f"{label}. {text}")


def test_text_without_headings_is_one_main_text_section(parse):
    # "Preamble" would mislabel a document that has no headings at all.
    _, doc = parse("numbered-txt")
    assert doc.sections == [MAIN_TEXT]
    assert {p.section for p in doc.paragraphs} == {MAIN_TEXT}


# ------------------------------------------------------------------------------------------
# Unreadable input
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("suffix", "size"),
    [(".pdf", 2048), (".docx", 2048), (".pdf", 0), (".docx", 0), (".txt", 0)],
    ids=["garbage-pdf", "garbage-docx", "empty-pdf", "empty-docx", "empty-txt"],
)
def test_corrupt_or_empty_file_raises_parse_error_naming_the_file(tmp_path, suffix, size):
    path = formats.write_corrupt(tmp_path, suffix, size=size)
    with pytest.raises(ParseError) as excinfo:
        parse_file(path)
    message = str(excinfo.value)
    assert path.name in message
    reason = message.replace(str(path), "").replace(path.name, "").strip(" :-")
    assert len(reason) >= 5, f"no reason given: {message!r}"


# ------------------------------------------------------------------------------------------
# The shipped Rome communiqué
# ------------------------------------------------------------------------------------------


def test_rome_sections_are_found_in_order(rome):
    assert rome.sections == ROME_SECTIONS


def test_rome_has_21_paragraphs_numbered_in_order(rome):
    assert [p.number for p in rome.paragraphs] == list(range(1, 22))


def test_rome_paragraph_13_is_the_prevention_recommendation(rome):
    p13 = rome.paragraphs[12]
    assert p13.number == 13
    assert p13.section == "Prevention"
    assert p13.text.startswith("We recommend that prevention should be strengthened")


def test_rome_paragraphs_sit_under_their_headings(rome):
    by_section = {}
    for p in rome.paragraphs:
        by_section.setdefault(p.section, []).append(p.number)
    assert by_section == {
        "Preamble": [1, 2, 3, 4, 5],
        "Participation": [6, 7, 8],
        "Protection": [9, 10, 11],
        "Prevention": [12, 13, 14],
        "Relief and Recovery": [15, 16],
        "Youth, Peace and Security": [17, 18],
        "National Action Plans": [19, 20, 21],
    }
    assert rome.paragraphs[5].text.startswith("Recalling the 2025 communiqués")


def test_rome_title_block_facts_are_parsed(rome):
    assert rome.meeting == "Eighth Capital-Level Meeting"
    assert rome.date == "2026-06-10"
    assert rome.place == "Rome, Italy"


def test_rome_title_block_is_not_a_paragraph(rome):
    assert rome.paragraphs[0].text.startswith("We, the members of the Women, Peace and Security")
    for p in rome.paragraphs:
        assert "9-10 June 2026 | Rome, Italy" not in p.text
        assert "Eighth Capital-Level Meeting**" not in p.text
        assert p.text not in ("Joint Communiqué", "WPS Focal Points Network")


def test_rome_paragraph_offsets_address_the_exact_text(rome):
    for p in rome.paragraphs:
        assert rome.text[p.start : p.end] == p.text


def test_rome_doc_id_is_the_corpus_file_stem(rome):
    [path] = sorted(CORPUS.glob("*rome*.txt"))
    assert rome.doc_id == path.stem
    assert rome.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()


def test_pdf_paragraphs_follow_the_layout_not_line_lengths():
    """The Santiago PDF: justified lines of every length; gaps and bold headings mark the structure."""
    import sys

    sys.path.insert(0, str(Path(__file__).parents[1] / "data" / "corpus_src"))
    import make_santiago_pdf

    pdf = next((Path(__file__).parents[1] / "data" / "corpus").glob("*santiago*.pdf"))
    doc = parse_file(pdf)
    assert [p.text for p in doc.paragraphs] == make_santiago_pdf.source_paragraphs()
    assert doc.sections == [
        "Preamble",
        "Participation",
        "Protection",
        "Prevention",
        "Relief and Recovery",
        "National Action Plans",
    ]
    assert (doc.meeting, doc.date, doc.place) == ("Sixth Capital-Level Meeting", "2022-10-20", "Santiago, Chile")
