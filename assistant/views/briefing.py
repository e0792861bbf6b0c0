"""Briefing notes: items of a session (answers, commitments, passages) in order, with headings, as
Markdown or DOCX (python-docx) with numbered references at the end.

Each item's ``[n]`` markers refer to its own citations; in the note they are renumbered so that one
paragraph cited by several items has one reference number.
"""

from __future__ import annotations

import io
import re
from typing import Literal

from pydantic import BaseModel, Field

from assistant.pipeline.answer.compose import document_name
from assistant.schema import Answer, Citation

MAX_ITEMS = 200
# Characters XML (so DOCX) cannot hold; a pasted heading, or any field of a posted citation, may carry them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
DOCX_TITLE_CHARS = 255  # the most a DOCX core property holds


class NoteItem(BaseModel):
    heading: str = Field("", max_length=500)
    text: str = Field("", max_length=50_000, description="The item's words; [n] refers to its citation n.")
    citations: list[Citation] = Field(default_factory=list)
    kind: str = Field("passage", description="answer, commitment, passage or topic (for display).")


class BriefingRequest(BaseModel):
    title: str = Field("Briefing note", max_length=500)
    format: Literal["markdown", "docx"] = "docx"
    items: list[NoteItem] = Field(min_length=1, max_length=MAX_ITEMS)


class NumberedNote(BaseModel):
    """The note with every marker renumbered, and its references in order."""

    title: str
    items: list[NoteItem]
    references: list[Citation]


def item_from_answer(answer: Answer) -> NoteItem:
    return NoteItem(heading=answer.standalone_question, text=answer.answer, citations=answer.citations, kind="answer")


def item_from_citation(citation: Citation, heading: str = "", kind: str = "passage") -> NoteItem:
    """A quoted sentence framed like an answer: 'The Rome 2026 communiqué (Prevention, ¶13): “…” [1]'."""
    c = citation.model_copy(update={"n": 1})
    name = document_name(c)
    text = f"{name[0].upper()}{name[1:]} ({c.where}): “{c.quote}” [1]"
    return NoteItem(heading=heading or f"{name[0].upper()}{name[1:]}, {c.where}", text=text, citations=[c], kind=kind)


def numbered(title: str, items: list[NoteItem]) -> NumberedNote:
    """One reference per cited paragraph, numbered in order of first citation; markers rewritten to match."""
    numbers: dict[tuple[str, int], int] = {}
    references: list[Citation] = []
    out: list[NoteItem] = []
    for item in items:
        local: dict[int, int] = {}
        citations = [_clean_citation(c) for c in item.citations]
        for c in citations:
            key = (c.doc_id, c.paragraph)
            if key not in numbers:
                numbers[key] = len(references) + 1
                references.append(c.model_copy(update={"n": numbers[key]}))
            local[c.n] = numbers[key]
        text = _clean(item.text)
        if text:
            text = re.sub(r"\[(\d+)\]", lambda m, local=local: f"[{local.get(int(m.group(1)), m.group(1))}]", text)
        else:
            text = "\n\n".join(f"“{c.quote}” [{local[c.n]}]" for c in citations)
        out.append(item.model_copy(update={"heading": _clean(item.heading), "text": text, "citations": citations}))
    return NumberedNote(title=_clean(title) or "Briefing note", items=out, references=references)


def to_markdown(note: NumberedNote) -> str:
    lines = [f"# {note.title}", ""]
    for i, item in enumerate(note.items, start=1):
        lines += [f"## {item.heading or f'Item {i}'}", "", item.text, ""]
    if note.references:
        lines += ["## References", ""]
        lines += [f"[{c.n}] {c.reference}" for c in note.references]
    return "\n".join(lines).rstrip() + "\n"


APP_NAME = "WPS Communiqué Assistant"
# Page sizes (width, height) in millimetres; python-docx's default template is US Letter.
PAGE_SIZES = {"A4": (210, 297), "Letter": (215.9, 279.4)}


def to_docx(note: NumberedNote, page_size: Literal["A4", "Letter"] = "A4") -> bytes:
    """The note as a Word file: written by the app, now, on ``page_size`` paper."""
    from datetime import UTC, datetime

    from docx import Document  # python-docx, only when a note is written
    from docx.shared import Mm

    doc = Document()
    props = doc.core_properties
    props.title = note.title[:DOCX_TITLE_CHARS]
    props.author = props.last_modified_by = APP_NAME
    props.created = props.modified = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    props.revision = 1
    props.comments = ""
    width, height = PAGE_SIZES[page_size]
    for section in doc.sections:
        section.page_width, section.page_height = Mm(width), Mm(height)
    doc.add_heading(note.title, level=0)
    for i, item in enumerate(note.items, start=1):
        doc.add_heading(item.heading or f"Item {i}", level=1)
        for block in item.text.split("\n\n"):
            doc.add_paragraph(block.strip())
    if note.references:
        doc.add_heading("References", level=1)
        for c in note.references:
            doc.add_paragraph(f"[{c.n}] {c.reference}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _clean(text: str) -> str:
    return _CONTROL.sub("", text or "").strip()


def _clean_citation(c: Citation) -> Citation:
    """A posted citation without the characters XML cannot hold, in any of its fields."""
    dirty = {k: _CONTROL.sub("", v) for k, v in c.model_dump().items() if isinstance(v, str) and _CONTROL.search(v)}
    return c.model_copy(update=dirty) if dirty else c
