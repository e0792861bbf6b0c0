"""DOCX → blocks from Word's styles: titles, headings, numbered and bulleted lists, tables.

"Title" and "Subtitle" (and a leading "Heading 1") are title lines, "Heading N" headings. A list
paragraph ("List Number", "List Bullet", or any paragraph with numbering) is a paragraph of its own;
Word prints its number, which is not in the paragraph's text, so it is rendered here from the
numbering definition ("3.", "(a)") — the number a reader cites. Items below the first level are
sub-items, kept with the paragraph above. Table rows become paragraphs (:mod:`assistant.ingest.tables`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from assistant.ingest.limits import ContentLimits
from assistant.ingest.readers import Block
from assistant.ingest.tables import row_texts
from assistant.ingest.text import is_sentence_block, normalize, one_line, roman_numeral

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_blocks(path: Path, limits: ContentLimits | None = None) -> list[Block]:
    import docx
    from docx.table import Table

    document = docx.Document(str(path))
    numbering = _Numbering(document)
    blocks: list[Block] = []
    seen_body = False
    for part in document.iter_inner_content():
        if limits is not None:
            limits.tick(path)
        if isinstance(part, Table):
            rows = [[one_line(normalize(cell.text)) for cell in row.cells] for row in part.rows]
            blocks.extend(("para", text) for text in row_texts(rows))
            continue
        text = one_line(normalize(part.text))
        if not text:
            continue
        style = (part.style.name if part.style is not None else "") or ""
        level, marker = numbering.marker(part)
        if style in ("Title", "Subtitle") or (style == "Heading 1" and not seen_body and not blocks):
            blocks.append(("title", text))
        elif style.startswith("Heading"):
            blocks.append(("heading", text))
        elif level is not None:
            item = f"{marker} {text}" if marker else text
            blocks.append(("sub" if level > 0 else "item", item))
            seen_body = True
        else:
            blocks.append(("auto", text))
            seen_body = seen_body or is_sentence_block(text)
    return blocks


class _Numbering:
    """Word's list numbering, as far as a reader sees it: the marker each list paragraph shows."""

    def __init__(self, document) -> None:
        self.formats: dict[tuple[str, int], tuple[str, str, int]] = {}  # (numId, ilvl) → numFmt, lvlText, start
        self.counters: dict[str, dict[int, int]] = defaultdict(dict)
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {a.get(f"{_W}abstractNumId"): a for a in root.iter(f"{_W}abstractNum")}
        for num in root.iter(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            definition = abstract.get(ref.get(f"{_W}val")) if ref is not None else None
            if definition is None:
                continue
            for lvl in definition.iter(f"{_W}lvl"):
                fmt, text, start = (lvl.find(f"{_W}{tag}") for tag in ("numFmt", "lvlText", "start"))
                self.formats[(num.get(f"{_W}numId"), int(lvl.get(f"{_W}ilvl", "0")))] = (
                    fmt.get(f"{_W}val") if fmt is not None else "decimal",
                    text.get(f"{_W}val") if text is not None else "%1.",
                    int(start.get(f"{_W}val")) if start is not None else 1,
                )

    @staticmethod
    def _num_pr(paragraph):
        """The paragraph's numbering properties, its own or its style's (List Number …)."""
        ppr = paragraph._p.pPr
        if ppr is not None and ppr.numPr is not None:
            return ppr.numPr
        style = paragraph.style
        while style is not None:
            ppr = style.element.pPr
            if ppr is not None and ppr.numPr is not None:
                return ppr.numPr
            style = style.base_style
        return None

    def marker(self, paragraph) -> tuple[int | None, str]:
        """(list level or None when not a list paragraph, the printed marker or "")."""
        num_pr = self._num_pr(paragraph)
        style = paragraph.style.name if paragraph.style is not None else ""
        if num_pr is None or num_pr.numId is None or num_pr.numId.val == 0:
            if style.startswith(("List Bullet", "List Number")):
                return _style_level(style), ""
            return None, ""
        num_id = str(num_pr.numId.val)
        ilvl = num_pr.ilvl.val if num_pr.ilvl is not None else 0
        level = max(ilvl, _style_level(style))
        fmt, text, start = self.formats.get((num_id, ilvl), ("decimal", "%1.", 1))
        counters = self.counters[num_id]
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if fmt in ("bullet", "none"):
            return level, ""

        def number(match: re.Match) -> str:  # "%1" is level 0's counter in level 0's format
            k = int(match.group(1)) - 1
            return _format(counters.get(k, 1), self.formats.get((num_id, k), (fmt,))[0])

        return level, re.sub(r"%(\d)", number, text).strip()


def _style_level(style: str) -> int:
    match = re.search(r"\s(\d)$", style)
    return int(match.group(1)) - 1 if match else 0


def _format(n: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt in ("lowerRoman", "upperRoman"):
        return roman_numeral(n) if fmt == "lowerRoman" else roman_numeral(n).upper()
    return str(n)
