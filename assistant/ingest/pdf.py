"""PDF → blocks from the page layout: line gaps, bold or larger fonts, running headers and footers."""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from assistant.ingest.document import ParseError
from assistant.ingest.readers import Block
from assistant.ingest.text import normalize, one_line

_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,4})?\s*$", re.I)


@dataclass
class _Line:
    text: str
    y: float
    size: float
    bold: bool


def _page_lines(page) -> list[_Line]:
    """The page's text lines with their height on the page, font size and weight (via pypdf's visitor)."""
    runs: list[tuple[float, str, float, bool]] = []

    def visit(text, cm, tm, font, size) -> None:
        if text.strip():
            name = str((font or {}).get("/BaseFont", ""))
            scale = abs(tm[3]) if tm[3] else 1.0
            runs.append((round(tm[5] * (cm[3] or 1) + cm[5], 1), text, size * scale, "bold" in name.lower()))

    page.extract_text(visitor_text=visit)
    lines: list[_Line] = []
    for y, text, size, bold in runs:
        for part in text.split("\n"):
            if not part.strip():
                continue
            if lines and abs(lines[-1].y - y) < 1.0:
                lines[-1].text += part
            else:
                lines.append(_Line(part, y, size, bold))
    return [_Line(normalize(ln.text).strip(), ln.y, ln.size, ln.bold) for ln in lines if ln.text.strip()]


def pdf_blocks(path: Path) -> list[Block]:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    if reader.is_encrypted and not reader.decrypt(""):
        raise ParseError(path, "the PDF is password-protected")
    pages = [_page_lines(page) for page in reader.pages]
    if not any(pages):
        raise ParseError(path, "the PDF has no extractable text (a scanned image?)")
    running = _running_lines([[ln.text for ln in page] for page in pages])
    kept: list[list[_Line]] = []
    for page in pages:
        kept.append(
            [
                ln
                for i, ln in enumerate(page)
                if not (_PAGE_NUMBER.match(ln.text) or ((i < 3 or i >= len(page) - 3) and _shape(ln.text) in running))
            ]
        )
    return _blocks_from_layout(kept)


def _blocks_from_layout(pages: list[list[_Line]]) -> list[Block]:
    """Paragraphs from the page layout: a block ends where the vertical gap exceeds the line spacing,
    and a line in a bolder or larger font than the body is a block of its own (a heading or a title
    line). A paragraph that runs over a page break continues unless its last line ends a sentence."""
    sizes = Counter(round(ln.size) for page in pages for ln in page for _ in ln.text)
    body = sizes.most_common(1)[0][0] if sizes else 0
    whole = " ".join(ln.text for page in pages for ln in page)
    blocks: list[list[str]] = []
    for page in pages:
        gaps = [a.y - b.y for a, b in itertools.pairwise(page) if a.y > b.y]
        spacing = statistics.median(gaps) if gaps else 0
        previous: _Line | None = None
        for line in page:
            standout = line.bold or round(line.size) > body
            if previous is None:
                new = not blocks or bool(re.search(r"[.;:!?\"”)]$", blocks[-1][-1])) or standout
            else:
                new = (
                    (previous.y - line.y) > 1.4 * spacing or standout or (previous.bold or round(previous.size) > body)
                )
            if new:
                blocks.append([line.text])
            else:
                blocks[-1].append(line.text)
            previous = line
    return [("auto", one_line(_join_hyphenated(lines, whole))) for lines in blocks]


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", line.strip().lower())


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Lines repeated at the top or bottom of most pages: running headers and footers."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for page in pages:
        content = [ln for ln in page if ln.strip()]
        counts.update({_shape(ln) for ln in content[:3] + content[-3:]})
    return {shape for shape, n in counts.items() if n >= max(2, len(pages) // 2 + 1)}


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
