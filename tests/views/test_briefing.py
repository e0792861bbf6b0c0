"""Briefing notes: items renumbered into one list of references, as Markdown and as DOCX (no model)."""

from __future__ import annotations

import io

import pytest
from docx import Document

from assistant.views.briefing import NoteItem, item_from_citation, numbered, to_docx, to_markdown
from tests.views.tables import four, parts

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def rows():
    return parts(four())[0].rows


def test_markers_are_renumbered_and_one_paragraph_cited_twice_has_one_reference(rows):
    a = item_from_citation(rows[0].citation, "First")
    cited = [rows[5].citation.model_copy(update={"n": 1}), rows[0].citation.model_copy(update={"n": 2})]
    b = NoteItem(heading="Two", text="Both “x” [1] and “y” [2].", citations=cited)
    note = numbered("My note", [a, b])
    assert [c.n for c in note.references] == [1, 2]
    assert note.items[0].text.endswith("[1]")
    assert note.items[1].text == "Both “x” [2] and “y” [1]."


def test_markdown_ends_with_numbered_references(rows):
    text = to_markdown(numbered("Funding", [item_from_citation(r.citation) for r in rows[:3]]))
    assert text.startswith("# Funding\n")
    references = text.split("## References\n")[1].strip().splitlines()
    assert [line[:3] for line in references] == ["[1]", "[2]", "[3]"]
    assert rows[0].citation.reference in references[0]


def test_docx_opens_with_headings_text_and_references(rows):
    note = numbered("Brief\x00ing", [item_from_citation(rows[1].citation, "A \x0bheading")])
    doc = Document(io.BytesIO(to_docx(note)))
    paragraphs = [p.text for p in doc.paragraphs]
    assert paragraphs[0] == "Briefing"  # control characters, which XML cannot hold, are dropped
    assert "A heading" in paragraphs and "References" in paragraphs
    assert paragraphs[-1] == f"[1] {rows[1].citation.reference}"


def test_an_item_without_text_quotes_its_citations(rows):
    note = numbered("", [NoteItem(heading="", citations=[rows[2].citation])])
    assert note.title == "Briefing note"
    assert note.items[0].text == f"“{rows[2].citation.quote}” [1]"


def test_a_docx_note_holds_a_long_title_and_citations_posted_with_control_characters(rows):
    # schemathesis found both: a 500-character title (DOCX core properties hold 255) and a citation
    # whose title carried "\x13" (POST /api/briefing answered 500)
    odd = rows[0].citation.model_copy(update={"title": "Rome\x13 \ud800communiqué", "quote": "a\x00b"})
    note = numbered("T" * 500, [NoteItem(heading="h", text="", citations=[odd])])
    doc = Document(io.BytesIO(to_docx(note)))
    assert doc.core_properties.title == "T" * 255
    assert doc.paragraphs[0].text == "T" * 500
    assert any(p.text == "“ab” [1]" for p in doc.paragraphs)


def test_a_docx_note_is_written_by_the_app_now_on_a4_unless_letter_is_asked(rows):
    from datetime import UTC, datetime, timedelta

    from docx.shared import Mm

    note = numbered("Brief", [item_from_citation(rows[0].citation)])
    doc = Document(io.BytesIO(to_docx(note)))
    props = doc.core_properties
    assert props.author == "WPS Communiqué Assistant" and props.last_modified_by == "WPS Communiqué Assistant"
    assert abs(props.created.replace(tzinfo=UTC) - datetime.now(UTC)) < timedelta(minutes=5)
    assert abs(doc.sections[0].page_width - Mm(210)) < Mm(1) and abs(doc.sections[0].page_height - Mm(297)) < Mm(1)

    letter = Document(io.BytesIO(to_docx(note, "Letter"))).sections[0]
    assert abs(letter.page_width - Mm(215.9)) < Mm(1) and abs(letter.page_height - Mm(279.4)) < Mm(1)
