"""Blocks → a :class:`ParsedDocument`: the title block, the sections and the (numbered) paragraphs.

Every reader produces blocks (:mod:`assistant.ingest.readers`); this one shared step writes them into
one cleaned text with offsets, so that ``text[p.start:p.end] == p.text`` for every paragraph.
"""

from __future__ import annotations

import re
from pathlib import Path

from assistant.ingest.document import Paragraph, ParsedDocument, ParseError
from assistant.ingest.facts import is_title_fact, title_facts
from assistant.ingest.readers import Block
from assistant.ingest.text import is_sentence_block, one_line

PREAMBLE = "Preamble"
MAIN_TEXT = "Main text"  # the section of a document that has no headings at all
_NUMBERED = re.compile(r"^\(?(\d{1,3})[.)]\s+")
_ENUMERATED_HEADING = re.compile(r"^(?:[IVXLC]+|[A-Z]|\d{1,2})[.)]\s+(?=\S)")


def _looks_like_heading(text: str) -> bool:
    text = text.strip()
    if "\n" in text or not text or len(text) > 80 or len(text.split()) > 10:
        return False
    if re.search(r"[.;:!?,…]$", text):
        return False
    first = _ENUMERATED_HEADING.sub("", text)[:1]
    return first.isupper() or first.isdigit()


def _heading_name(text: str) -> str:
    name = _ENUMERATED_HEADING.sub("", text.strip()).strip()
    return name or text.strip()


def assemble(blocks: list[Block], path: Path, doc_id: str) -> ParsedDocument:
    # 1. The title block: explicit titles and the short, unpunctuated lines before the first paragraph.
    title_lines: list[str] = []
    i = 0
    while i < len(blocks):
        kind, text = blocks[i]
        if kind == "title" or (kind == "auto" and not is_sentence_block(text)):
            title_lines.extend(ln.strip() for ln in text.split("\n") if ln.strip())
            i += 1
            continue
        break
    # A heading-like last line of the title block directly above body text is the first section.
    body_start = i
    if title_lines and body_start < len(blocks) and blocks[body_start - 1][0] == "auto":
        last = blocks[body_start - 1][1]
        if _looks_like_heading(last) and not is_title_fact(last) and len(title_lines) > 1:
            title_lines.pop()
            body_start -= 1
            blocks = [*blocks[:body_start], ("heading", last), *blocks[body_start + 1 :]]

    # 2. Body: headings and paragraphs, written into one cleaned text with offsets.
    pieces: list[str] = []
    offset = 0

    def emit(text: str) -> tuple[int, int]:
        nonlocal offset
        if pieces:
            pieces.append("\n\n")
            offset += 2
        start = offset
        pieces.append(text)
        offset += len(text)
        return start, offset

    for line in title_lines:
        emit(line)
    section: str | None = None
    raw_paragraphs: list[tuple[str | None, str, int, int]] = []
    for kind, text in blocks[body_start:]:
        text = text.strip()
        if kind == "title":
            emit(text)
        elif kind == "heading" or (kind == "auto" and _looks_like_heading(text)):
            emit(text)
            section = _heading_name(text)
        else:
            paragraph = one_line(text)
            start, end = emit(paragraph)
            raw_paragraphs.append((section, paragraph, start, end))
    if not raw_paragraphs:
        raise ParseError(path, "no paragraphs of text were found")

    has_headings = any(sec is not None for sec, *_ in raw_paragraphs)
    paragraphs: list[Paragraph] = []
    for number, (sec, text, start, end) in enumerate(raw_paragraphs, start=1):
        label = _NUMBERED.match(text)
        paragraphs.append(
            Paragraph(
                number=number,
                section=sec if sec is not None else (PREAMBLE if has_headings else MAIN_TEXT),
                text=text,
                start=start,
                end=end,
                label=label.group(1) if label else None,
            )
        )
    sections = list(dict.fromkeys(p.section for p in paragraphs))
    text = "".join(pieces)
    meeting, date, place, title = title_facts(title_lines, paragraphs, path)
    return ParsedDocument(
        doc_id=doc_id,
        title=title,
        text=text,
        paragraphs=paragraphs,
        meeting=meeting,
        date=date,
        place=place,
        source_path=str(path),
        sections=sections,
    )
