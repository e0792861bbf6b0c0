"""Plain text and markdown → blocks; the block kinds every reader produces.

A block is a ``(kind, text)`` pair. Kinds: ``title`` (a title-block line), ``heading``, ``para``, ``item``
(a list item or an operative clause: always a paragraph of its own), ``sub`` (a sub-item, kept with
the paragraph before it), ``note`` (a footnote), ``meta`` (text that is never a paragraph) and ``auto``
(the format does not say; :mod:`assistant.ingest.structure` decides from its shape).

Plain text arrives in many shapes: one paragraph a line, paragraphs between blank lines, or lines
hard-wrapped at a fixed width with no blank line between paragraphs; pages split by form feeds with
running headers and footers; footnotes after a rule of underscores. Lines are joined into paragraphs
here, a paragraph continues across a page break, and page furniture and footnotes are taken out.
"""

from __future__ import annotations

import re
from typing import Literal

from assistant.ingest import footnotes
from assistant.ingest.furniture import edge_furniture, is_un_furniture, running_lines
from assistant.ingest.text import normalize, strip_markdown

Kind = Literal["title", "heading", "para", "auto", "item", "sub", "note", "meta"]
Block = tuple[Kind, str]

_BREAK = "\f"  # a page break, or where page furniture was removed
_RULE = re.compile(r"\s*([-*_=]\s*){3,}")
_UNDERLINE = re.compile(r"\s*(?:={3,}|-{3,})\s*")
_MD_HEADING = re.compile(r"\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
# A dash is not a bullet: a wrapped line may begin "– characterized by …".
_BULLET = re.compile(r"^(\s*)(?:[-*+•▪◦‣]|\d{1,3}[.)]|\(\d{1,3}\))\s+(?=\S)")
_MARKER_ONLY = re.compile(r"^(\s*)[-*+•▪◦‣]\s+")
_LABEL_ONLY = re.compile(r"\(?(?:\d{1,3}|[a-z]|[ivx]{1,5})[.)]")
SUB_ITEM = re.compile(r"^\s*(?:\((?:[a-z]|[ivx]{1,5})\)|[a-z]\)|[a-z]\.(?=\s))\s*(?=\S)")
_ENDS = re.compile(r"[.;:!?][\"”’)\]]*\s*$")
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\s*\n", re.S)
_PAGE_MARK = re.compile(r"^\s*(?:page\s+\d{1,4}(?:\s+of\s+\d{1,4})?|[-–—]\s*\d{1,4}\s*[-–—])\s*$", re.I)
_MASTHEAD_LINES = 12  # a UN symbol in the first lines is the masthead's, not a running header


def text_blocks(raw: str) -> list[Block]:
    """Plain text and markdown: paragraphs from blank lines, markers and line shapes; ``#`` headings."""
    front, text = _front_matter(normalize(raw))
    lines, notes = _body_lines(text)
    blocks: list[Block] = front
    for chunk in _chunks(lines):
        blocks.extend(_chunk_blocks(chunk))
    return blocks + [("note", note) for note in footnotes.group_notes(notes) if note]


def _front_matter(text: str) -> tuple[list[Block], str]:
    """Markdown's YAML front matter ("---\\ntitle: …\\ndate: …\\n---") as title-block lines."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return [], text
    blocks: list[Block] = []
    for line in match.group(1).split("\n"):
        key, _, value = line.partition(":")
        value = value.strip().strip("\"'")
        if value and key.strip().lower() in ("title", "subtitle", "meeting", "date", "place", "location", "venue"):
            blocks.append(("title", value))
    return blocks, text[match.end() :]


def _body_lines(text: str) -> tuple[list[str], list[str]]:
    """The text's lines without page furniture (a removed line becomes a break) and its footnote lines."""
    pages = [page.split("\n") for page in text.split("\f")]
    running = running_lines(pages) if len(pages) > 1 else set()
    body: list[str] = []
    notes: list[str] = []
    seen = 0
    for number, page in enumerate(pages):
        if number:
            body.append(_BREAK)
        edges = edge_furniture(page, running) if len(pages) > 1 else [False] * len(page)
        in_notes = blank = False
        for line, is_edge in zip(page, edges, strict=True):
            seen += bool(line.strip())
            masthead = seen <= _MASTHEAD_LINES and is_un_furniture(line)  # the first page's symbol
            if not masthead and (is_edge or is_un_furniture(line) or _PAGE_MARK.match(line)):
                body.append(_BREAK)
                in_notes = False
            elif footnotes.SEPARATOR.match(line):
                in_notes, blank = True, False
            elif in_notes and not line.strip():
                blank = True
            elif in_notes and not (blank and not footnotes.NOTE_START.match(line)):
                notes.append(line)
                blank = False
            else:
                if in_notes and blank:
                    body.append("")
                in_notes = False
                body.append(line)
    return body, notes


def _chunks(lines: list[str]) -> list[list[str]]:
    """Runs of non-blank lines; a run continues across a break when it had not ended its sentence and
    the next one starts in lower case (a paragraph running over a page break)."""
    chunks: list[list[str]] = []
    current: list[str] = []
    broken = False
    for line in [*lines, ""]:
        if line == _BREAK or not line.strip():
            if current:
                chunks.append(current)
                current = []
            broken = broken or line == _BREAK
            continue
        if broken and not current and chunks and not _ENDS.search(chunks[-1][-1]) and line.lstrip()[:1].islower():
            current = chunks.pop()
        broken = False
        current.append(line)
    return [c for c in chunks if not all(_RULE.fullmatch(ln) for ln in c)]


def _chunk_blocks(chunk: list[str]) -> list[Block]:
    """One chunk of lines → blocks: markdown headings, list items, sub-items, and wrapped paragraphs."""
    units: list[tuple[Kind, list[str]]] = []
    # Emphasis may span lines ("**WPS Focal Points Network\nEighth Capital-Level Meeting**").
    text_lines = strip_markdown("\n".join(re.sub(r"^\s{0,3}>\s?", "", ln) for ln in chunk)).split("\n")
    width = max(len(ln.strip()) for ln in text_lines)
    for line in text_lines:
        heading = _MD_HEADING.match(line)
        if heading:
            units.append(("title" if len(heading.group(1)) == 1 else "heading", [heading.group(2)]))
            continue
        if _UNDERLINE.fullmatch(line) and units and len(units[-1][1]) == 1:  # "Participation\n====="
            units[-1] = ("heading", units[-1][1])  # a title too, if it opens the document and names one
            continue
        kind = _line_kind(line, text_lines, units)
        previous = units[-1][1][-1] if units and units[-1][0] not in ("title", "heading") else None
        if previous is None or kind != "auto" or _ends_unit(previous, line, width):
            units.append((kind, [_MARKER_ONLY.sub(r"\1", line)]))
        else:
            units[-1][1].append(line)
    return [(kind, "\n".join(part.strip() for part in parts)) for kind, parts in units]


def _indent(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())


def _line_kind(line: str, lines: list[str], units: list) -> Kind:
    """``item`` for a bullet or numbered line, ``sub`` for "(a)"/"a)" or an indented bullet, else ``auto``."""
    bullet = _BULLET.match(line)
    if SUB_ITEM.match(line):
        return "sub"
    if not bullet:
        return "auto"
    indent = len(bullet.group(1))
    first = next((len(m.group(1)) for ln in lines if (m := _BULLET.match(ln))), indent)
    return "sub" if indent >= first + 2 and units else "item"


def _ends_unit(previous: str, line: str, width: int) -> bool:
    """Does a new paragraph start at ``line``, inside a run of lines without blank lines between?

    Text wrapped at ``width`` moves a word to the next line only when it does not fit: if the next
    line's first word would have fitted, the line before ended its paragraph (when it ends a
    sentence) or was a heading or title line of its own (when it is short and unpunctuated). One
    clause a line ("Welcome …;" / "Commit to …;") is a paragraph a line too.
    """
    prev, cur = previous.strip(), line.strip()
    if not prev or not cur or prev.endswith("-") or _LABEL_ONLY.fullmatch(prev):
        return not prev or not cur  # a hyphenated word, or "1." on a line above its text, continues
    first_word = cur.split()[0]
    fits = len(prev) + 1 + len(first_word) <= width
    indented = _indent(line) > _indent(previous) + 1  # a first line set in from the one above
    if _ENDS.search(prev):
        return fits or indented or (prev[-1] in ";:" and cur[:1].isupper())
    heading_like = len(prev.split()) <= 10 and prev[:1].isupper() and bool(re.search(r"[\w)]$", prev))
    return fits and heading_like and cur[:1].isupper()
