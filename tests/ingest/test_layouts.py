"""Every published layout in ``tests/layouts.py`` parses to its facts, sections and paragraphs.

For each fixture (plain text, markdown, web page, PDF report, Word file, UN letter with annex as text
and as PDF, numbered paragraphs with sub-items, operative clauses, hard-wrapped text, bilingual
English/French): meeting, date and place right; no title, date/place or masthead line among the body
paragraphs; the sections; each paragraph's printed number; sub-items kept with their paragraph; each
paragraph's language. Parsing only: no model, no store.
"""

from __future__ import annotations

import pytest

from assistant.ingest.document import ParsedDocument
from assistant.ingest.parse import parse_file
from tests import layouts

pytestmark = pytest.mark.unit

NAMES = [layout.name for layout in layouts.LAYOUTS]
BY_NAME = {layout.name: layout for layout in layouts.LAYOUTS}


@pytest.fixture(scope="module")
def parsed(tmp_path_factory):
    """``parsed(name) -> ParsedDocument``, each fixture written and parsed once per module."""
    cache: dict[str, ParsedDocument] = {}
    directory = tmp_path_factory.mktemp("layouts")

    def _parse(name: str) -> ParsedDocument:
        if name not in cache:
            cache[name] = parse_file(layouts.write(name, directory))
        return cache[name]

    return _parse


@pytest.mark.parametrize("name", NAMES)
def test_meeting_date_and_place_come_from_the_title_block(parsed, name):
    doc, want = parsed(name), BY_NAME[name]
    assert (doc.meeting, doc.date, doc.place) == (want.meeting, want.date, want.place)


@pytest.mark.parametrize("name", NAMES)
def test_title_date_place_and_masthead_lines_are_never_body_paragraphs(parsed, name):
    body = [p for p in parsed(name).paragraphs if p.section != "Notes"]  # footnotes have their own section
    leaked = [(s, p.number) for s in BY_NAME[name].not_paragraphs for p in body if s in p.text]
    assert leaked == []


@pytest.mark.parametrize("name", NAMES)
def test_title_lines_stay_in_the_cleaned_text(parsed, name):
    """Metadata is not thrown away: the title block is in the text, just not in any paragraph."""
    doc = parsed(name)
    assert doc.meeting and doc.meeting.split()[0].lower() in doc.text.lower()


@pytest.mark.parametrize("name", NAMES)
def test_sections_are_found_in_order(parsed, name):
    assert parsed(name).sections == BY_NAME[name].sections


@pytest.mark.parametrize("name", NAMES)
def test_each_paragraph_carries_the_number_it_prints(parsed, name):
    assert [p.label for p in parsed(name).paragraphs] == BY_NAME[name].labels


@pytest.mark.parametrize("name", [n for n in NAMES if BY_NAME[n].together])
def test_sub_items_stay_in_the_paragraph_that_introduces_them(parsed, name):
    doc = parsed(name)
    for index, parts in BY_NAME[name].together:
        text = doc.paragraphs[index].text
        missing = [part for part in parts if part not in text]
        assert missing == [], f"paragraph {index + 1}: {text!r}"


@pytest.mark.parametrize("name", [n for n in NAMES if BY_NAME[n].starts])
def test_paragraphs_start_where_the_document_starts_them(parsed, name):
    doc = parsed(name)
    starts = BY_NAME[name].starts
    got = [p.text for p in doc.paragraphs[: len(starts)]]
    assert [t.startswith(s) for t, s in zip(got, starts, strict=True)] == [True] * len(starts), got


@pytest.mark.parametrize("name", NAMES)
def test_each_paragraph_records_its_language(parsed, name):
    doc, want = parsed(name), BY_NAME[name]
    assert [p.language for p in doc.paragraphs] == (want.languages or ["en"] * len(doc.paragraphs))
    assert {doc.address(p).language for p in doc.paragraphs} == set(want.languages or ["en"])


@pytest.mark.parametrize("name", NAMES)
def test_paragraph_offsets_address_the_exact_text(parsed, name):
    doc = parsed(name)
    assert [p.number for p in doc.paragraphs] == list(range(1, len(doc.paragraphs) + 1))
    for p in doc.paragraphs:
        assert doc.text[p.start : p.end] == p.text
        assert "\n" not in p.text and "  " not in p.text


@pytest.mark.parametrize("name", ["layout-un-letter.txt", "layout-un-letter.pdf"])
def test_a_un_document_keeps_its_symbol_and_cites_its_annex_not_its_letter(parsed, name):
    doc = parsed(name)
    assert doc.symbol in ("A/80/512–S/2025/633", "A/80/790-S/2026/155")
    assert doc.title.startswith("Joint")
    assert doc.paragraphs[0].text.startswith("1. We, the focal points of the Network")
    assert "Letter dated" in doc.text  # the letter is front matter: in the text, not a paragraph


@pytest.mark.parametrize("name", ["layout-un-letter.txt", "layout-report.pdf", "layout-un-letter.pdf"])
def test_footnotes_are_a_notes_section_at_the_end_and_their_marks_leave_the_body(parsed, name):
    doc = parsed(name)
    notes = [p for p in doc.paragraphs if p.section == "Notes"]
    assert notes and notes == doc.paragraphs[-len(notes) :]
    assert all(p.text.startswith(f"{p.label} ") for p in notes)


def test_a_paragraph_continues_across_a_page_break_and_its_furniture(parsed):
    doc = parsed("layout-un-letter.txt")
    [fifth] = [p for p in doc.paragraphs if p.label == "5" and p.section != "Notes"]
    assert fifth.text.endswith("from the women and girls' own communities as well as from the parties.")


def test_hard_wrapped_lines_are_joined_and_headings_on_their_own_line_found(parsed):
    doc = parsed("layout-hardwrap.txt")
    assert doc.paragraphs[2].text.startswith("Speakers agreed that women's organizations are among the first")
    assert doc.paragraphs[2].section == "Financing"
    assert all("Financing" not in p.text and p.text != "Protection" for p in doc.paragraphs)


def test_docx_table_rows_are_readable_paragraphs(parsed):
    doc = parsed("layout-word.docx")
    rows = [p.text for p in doc.paragraphs if p.section == "Pledges"]
    assert "Member: Ghana; Pledge: A national roster of women mediators; Deadline: 2026." in rows


def test_html_table_rows_are_readable_paragraphs(parsed):
    doc = parsed("layout-webpage.html")
    assert "Region: Europe; Members present: 17; Host of a future meeting: Germany." in [p.text for p in doc.paragraphs]
