"""Blocks → a :class:`ParsedDocument`: the title block, the sections and the (numbered) paragraphs.

Every reader produces blocks (:mod:`assistant.ingest.readers`); this one shared step finds the
document inside its layout (a UN masthead and covering letter, :mod:`assistant.ingest.un_document`),
reads its title block, keeps sub-items with their paragraph, sets date and place lines apart as
metadata, gathers footnotes into a "Notes" section, records each paragraph's language, and writes it
all into one cleaned text with offsets, so that ``text[p.start:p.end] == p.text`` for every paragraph.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from assistant.ingest.document import Paragraph, ParsedDocument, ParseError
from assistant.ingest.facts import is_dateline, is_title_fact, title_case, title_facts
from assistant.ingest.footnotes import NOTES, note_label, strip_markers
from assistant.ingest.readers import SUB_ITEM, Block
from assistant.ingest.text import is_sentence_block, one_line
from assistant.ingest.un_document import read_layout
from assistant.language import detect

PREAMBLE = "Preamble"
MAIN_TEXT = "Main text"  # the section of a document that has no headings at all
_NUMBERED = re.compile(r"^\(?(\d{1,3}(?:\.\d{1,2})*)[.)]\s+|^(\d{1,3}\.\d{1,2})\s+")
_BARE_LABEL = re.compile(r"^\(?\d{1,3}[.)]$")
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
    name = _ENUMERATED_HEADING.sub("", text.strip()).strip() or text.strip()
    return title_case(name) if name.isupper() and len(name) > 3 else name  # "RELIEF AND RECOVERY"


@dataclass
class _Unit:
    kind: str  # "meta" (text, never a paragraph), "heading" or "para"
    text: str
    section: str | None = None


def _lines_as_blocks(blocks: list[Block]) -> list[Block]:
    """A block of several short unpunctuated lines (a title block, a heading over its subtitle) is a
    block a line; a block of wrapped prose stays whole (its last line ends its sentence)."""
    out: list[Block] = []
    for kind, text in blocks:
        lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
        if kind in ("auto", "title") and len(lines) > 1 and not any(is_sentence_block(ln) for ln in lines):
            out.extend((kind, ln) for ln in lines)
        else:
            out.append((kind, text))
    return out


def _title_block(blocks: list[Block]) -> tuple[list[str], list[Block]]:
    """The title lines (explicit titles, then short or date/place lines before the first paragraph)."""
    title_lines: list[str] = []
    i = 0
    while i < len(blocks):
        kind, text = blocks[i]
        line = one_line(text)
        # A document that opens on a heading naming its kind or meeting ("## Joint Communiqué") uses it as
        # its title.
        opening = kind == "heading" and i == 0 and is_title_fact(line)
        if opening or kind == "title" or (kind == "auto" and (not is_sentence_block(text) or is_dateline(line))):
            title_lines.append(line)
            i += 1
            continue
        break
    # A heading-like last line of the title block directly above body text is the first section.
    if title_lines and i < len(blocks) and blocks[i - 1][0] == "auto" and len(title_lines) > 1:
        last = title_lines[-1]
        if _looks_like_heading(last) and not is_title_fact(last):
            title_lines.pop()
            i -= 1
            blocks = [*blocks[:i], ("heading", last), *blocks[i + 1 :]]
    return title_lines, blocks[i:]


def _body_units(blocks: list[Block], note_labels: list[str]) -> list[_Unit]:
    units: list[_Unit] = []
    section: str | None = None
    for kind, raw in blocks:
        text = raw.strip()
        line = one_line(text)
        if kind == "meta":
            units.append(_Unit("meta", line))
        elif kind == "title":  # a second title block (another language version): a new preamble
            units.append(_Unit("meta", line))
            section = None
        elif kind == "auto" and is_dateline(line):
            # The date line of a title block inside the body (another language version's, say):
            # the headings just above it are its title lines, and a new preamble follows.
            while units and units[-1].kind == "heading":
                units[-1].kind = "meta"
            units.append(_Unit("meta", line))
            section = None
        elif kind == "heading" or (kind == "auto" and _looks_like_heading(text)):
            units.append(_Unit("heading", line))
            section = _heading_name(text)
        elif (
            (kind == "sub" or (kind in ("auto", "para") and SUB_ITEM.match(text)))
            and units
            and units[-1].kind == "para"
        ):
            units[-1].text = f"{units[-1].text} {strip_markers(line, note_labels)}"  # "(a)", "(b)" stay with it
        elif units and units[-1].kind == "para" and _BARE_LABEL.match(units[-1].text):
            units[-1].text = f"{units[-1].text} {strip_markers(line, note_labels)}"  # "1." on a line of its own
        else:
            units.append(_Unit("para", strip_markers(line, note_labels), section))
    return units


def assemble(blocks: list[Block], path: Path, doc_id: str) -> ParsedDocument:
    layout = read_layout(blocks)
    notes = [one_line(text) for kind, text in layout.blocks if kind == "note"]
    labels = [label for note in notes if (label := note_label(note))]
    title_lines, body = _title_block(_lines_as_blocks([b for b in layout.blocks if b[0] != "note"]))
    units = _body_units(body, labels)

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

    for line in [*(one_line(t) for t in layout.front), *title_lines]:
        emit(line)
    raw: list[tuple[str | None, str, int, int, str | None]] = []
    for unit in units:
        start, end = emit(unit.text)
        if unit.kind == "para":
            label = _NUMBERED.match(unit.text)
            raw.append((unit.section, unit.text, start, end, (label.group(1) or label.group(2)) if label else None))
    if not raw:
        raise ParseError(path, "no paragraphs of text were found")
    if notes:
        emit(NOTES)
        for note in notes:
            raw.append((NOTES, note, *emit(note), note_label(note)))

    has_headings = any(sec not in (None, NOTES) for sec, *_ in raw)
    languages = [detect(text) for _, text, *_ in raw]
    usual = Counter(lang for lang in languages if lang).most_common(1)
    paragraphs = [
        Paragraph(
            number=number,
            section=sec if sec is not None else (PREAMBLE if has_headings else MAIN_TEXT),
            text=text,
            start=start,
            end=end,
            label=label,
            # A paragraph too short to tell ("Rome, Italy.") is in the document's usual language.
            language=lang or (usual[0][0] if usual else ""),
        )
        for number, ((sec, text, start, end, label), lang) in enumerate(zip(raw, languages, strict=True), start=1)
    ]
    facts = title_facts(title_lines, [p.text for p in paragraphs if p.section != NOTES], path, layout.more)
    return ParsedDocument(
        doc_id=doc_id,
        title=facts.title,
        text="".join(pieces),
        paragraphs=paragraphs,
        meeting=facts.meeting,
        date=facts.date,
        place=facts.place,
        source_path=str(path),
        sections=list(dict.fromkeys(p.section for p in paragraphs)),
        symbol=layout.symbol,
    )
