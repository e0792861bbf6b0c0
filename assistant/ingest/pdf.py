"""PDF → blocks from the page layout: line gaps, bold or larger fonts, page furniture, footnotes.

pypdf reports each piece of text with its position, font and size. Pieces at one height are one line
(a wide gap between them, as between a masthead's columns, becomes a space); a reference mark set
small beside the text ("(2000)¹") is dropped; running headers and footers, page numbers and a UN
document's job numbers go (:mod:`assistant.ingest.furniture`); lines set in a smaller type at the foot
of a page are footnotes (``note`` blocks).
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from assistant.ingest.document import ParseError
from assistant.ingest.footnotes import NOTE_START, SEPARATOR
from assistant.ingest.furniture import PAGE_NUMBER, edge_furniture, is_un_furniture, running_lines
from assistant.ingest.limits import ContentLimits
from assistant.ingest.readers import Block
from assistant.ingest.text import normalize, one_line

_MARK = re.compile(r"^\s*\d{1,3}\s*$")
_SMALL = 0.8  # a mark or a footnote is set at most this size of the text beside it
_MASTHEAD_LINES = 12  # on the first page a UN symbol is the masthead's, not a running header


@dataclass
class _Line:
    text: str
    y: float
    size: float
    bold: bool
    x_end: float = 0.0  # estimated right end of the last piece, for gaps between pieces
    last_len: int = 0  # characters of the last piece (the estimate's error grows with it)


def _page_lines(page) -> list[_Line]:
    """The page's text lines with their height on the page, font size and weight (via pypdf's visitor)."""
    runs: list[tuple[float, float, str, float, bool]] = []

    def visit(text, cm, tm, font, size) -> None:
        if text.strip():
            name = str((font or {}).get("/BaseFont", ""))
            scale = abs(tm[3]) if tm[3] else 1.0
            x = tm[4] * (cm[0] or 1) + cm[4]
            runs.append((round(tm[5] * (cm[3] or 1) + cm[5], 1), x, text, size * scale, "bold" in name.lower()))

    page.extract_text(visitor_text=visit)
    lines: list[_Line] = []
    for y, x, text, size, bold in runs:
        for part in text.split("\n"):
            if not part.strip():
                continue
            last = lines[-1] if lines else None
            if last and _MARK.match(part) and size <= _SMALL * last.size and -0.5 <= y - last.y <= last.size:
                continue  # a footnote reference mark beside (or raised above) the text
            if last and abs(last.y - y) < 1.0:
                if _needs_space(last, part, x, size):
                    part = " " + part
                last.text += part
                last.x_end, last.last_len = x + 0.5 * size * len(part), len(part)
            else:
                lines.append(_Line(part, y, size, bold, x + 0.5 * size * len(part), len(part)))
    return [_Line(normalize(ln.text).strip(), ln.y, ln.size, ln.bold) for ln in lines if ln.text.strip()]


def _needs_space(line: _Line, part: str, x: float, size: float) -> bool:
    """A space between two pieces of one line that have none: a gap wider than the estimate of the
    last piece's width can be wrong by (a column, a paragraph number set apart from its text), or a
    change of type size (a footnote's number before its text)."""
    if line.text[-1:].isspace() or part[:1].isspace():
        return False
    slack = size * max(1.0, 0.25 * line.last_len)
    return x > line.x_end + slack or abs(size - line.size) > 0.2 * max(size, line.size)


def pdf_blocks(path: Path, limits: ContentLimits | None = None) -> list[Block]:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    if reader.is_encrypted and not reader.decrypt(""):
        raise ParseError(path, "the PDF is password-protected")
    pages = []
    for page in reader.pages:
        if limits is not None:
            limits.tick(path)
        pages.append(_page_lines(page))
    if not any(pages):
        raise ParseError(path, "the PDF has no extractable text (a scanned image?)")
    running = running_lines([[ln.text for ln in page] for page in pages])
    kept: list[list[_Line]] = []
    for number, page in enumerate(pages):
        edges = edge_furniture([ln.text for ln in page], running)
        kept.append(
            [ln for i, (ln, edge) in enumerate(zip(page, edges, strict=True)) if not _furniture(ln, edge, number, i)]
        )
    body = _body_size(kept)
    notes: list[Block] = []
    for page in kept:
        notes.extend(("note", note) for note in _take_footnotes(page, body))
    return _blocks_from_layout(kept, body) + notes


def _furniture(line: _Line, edge: bool, page: int, index: int) -> bool:
    """Page furniture, except a UN symbol in the first lines of the first page: the masthead's."""
    if page == 0 and index < _MASTHEAD_LINES and is_un_furniture(line.text):
        return False
    return edge or bool(PAGE_NUMBER.match(line.text)) or is_un_furniture(line.text)


def _body_size(pages: list[list[_Line]]) -> int:
    sizes = Counter(round(ln.size) for page in pages for ln in page for _ in ln.text)
    return sizes.most_common(1)[0][0] if sizes else 0


def _take_footnotes(page: list[_Line], body: int) -> list[str]:
    """Remove the footnotes from the foot of a page (in place) and return them, one text per note.

    They are the last lines of the page when these are set smaller than the body and the first of
    them starts with a number (or follows a rule of underscores).
    """
    start = len(page)
    while start > 0 and page[start - 1].size <= 0.9 * body and not page[start - 1].bold:
        start -= 1
    if start < len(page) and start > 0 and SEPARATOR.match(page[start - 1].text):
        start -= 1
    zone = [ln for ln in page[start:] if not SEPARATOR.match(ln.text)]
    if not zone or not NOTE_START.match(zone[0].text):
        return []
    del page[start:]
    notes: list[list[str]] = []
    for line in zone:
        if NOTE_START.match(line.text) or not notes:
            notes.append([line.text])
        else:
            notes[-1].append(line.text)
    return [one_line(_join_hyphenated(parts, "")) for parts in notes]


def _blocks_from_layout(pages: list[list[_Line]], body: int) -> list[Block]:
    """Paragraphs from the page layout: a block ends where the vertical gap exceeds the line spacing,
    and a line in a bolder or larger font than the body is a block of its own (a heading or a title
    line) — unless it continues the standout line above in the same type (a heading wrapped over two
    lines). A paragraph that runs over a page break continues unless its last line ends a sentence."""
    whole = " ".join(ln.text for page in pages for ln in page)
    blocks: list[list[str]] = []
    for page in pages:
        gaps = [a.y - b.y for a, b in itertools.pairwise(page) if a.y > b.y]
        spacing = statistics.median(gaps) if gaps else 0
        longest = max((len(ln.text) for ln in page), default=0)
        previous: _Line | None = None
        for line in page:
            standout = line.bold or round(line.size) > body
            if previous is None:
                new = not blocks or bool(re.search(r"[.;:!?\"”)]$", blocks[-1][-1])) or standout
            else:
                # A page of short paragraphs has as many paragraph gaps as line gaps, so its median gap
                # may be a paragraph's: the line spacing is capped at 1.5 times the type size.
                gap = previous.y - line.y
                spacing_here = min(spacing, 1.5 * max(previous.size, line.size)) if spacing else 0
                was_standout = previous.bold or round(previous.size) > body
                wrapped = (
                    standout
                    and was_standout
                    and (line.bold, round(line.size)) == (previous.bold, round(previous.size))
                    and gap <= 1.4 * spacing_here
                    and len(previous.text) >= 0.6 * longest
                )
                new = not wrapped and (gap > 1.4 * spacing_here or standout or was_standout)
            if new:
                blocks.append([line.text])
            else:
                blocks[-1].append(line.text)
            previous = line
    return [("auto", one_line(_join_hyphenated(lines, whole))) for lines in blocks]


def _join_hyphenated(lines: list[str], whole: str) -> str:
    out = lines[0]
    for line in lines[1:]:
        match = re.search(r"(\w+)-$", out)
        if match and line[:1].islower():
            head, tail = match.group(1), re.match(r"\w+", line)
            compound = f"{head}-{tail.group(0)}" if tail else ""
            if compound and whole.count(compound) > 0 and f"{head}- {tail.group(0)}" not in whole:
                out = out + line  # the compound is a real hyphenated word ("gender-sensitive")
            else:
                out = out[:-1] + line
        else:
            out = out + "\n" + line
    return out
