"""Page furniture: the lines a printed page carries that are not the document's text.

Running headers and footers (a line repeated at the top or bottom of most pages), page numbers
("3", "Page 3 of 4", "- 3 -", "2/4"), and the marks of a United Nations document: its symbol repeated
at the top of each page ("A/80/512", "S/2025/633"), the job number and barcode at the foot
("25-18342 (E)   221025", "*2518342*", "2/4   25-18342"). Shared by the PDF and the plain-text
readers; a removed line is a page break for them, across which a paragraph may continue.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,4})?\s*$", re.I)
# One UN symbol: a series letter, then parts, the last a number or a letter-number ("A/80/512",
# "S/2025/633", "E/CN.6/2025/L.3", "A/HRC/59/L.10", "S/RES/1325 (2000)" is prose, not a symbol line).
SYMBOL = r"(?<![\w/])(?:A|S|E|UNW|CEDAW|CRC|DP|ST|SG)(?:/[A-Z]{1,6}(?:\.\d{1,3})?|/\d{1,4})+(?:/[A-Z]?\.?\d{1,4})?"
SYMBOLS = re.compile(rf"{SYMBOL}(?:\s*[–—-]\s*{SYMBOL})?")
_JOB = r"\d{2}-\d{5}(?:\s*\([A-Z]\))?"
_UN_FURNITURE = re.compile(
    rf"^\s*{SYMBOL}(?:\s*[–—-]?\s*{SYMBOL})*\s*$"  # the symbol as a running header
    rf"|^\s*(?:\d{{1,3}}/\d{{1,3}}\s+)?{_JOB}(?:\s+\d{{6}})?(?:\s+\d{{6}})?(?:\s+\d{{1,3}}/\d{{1,3}})?\s*$"
    r"|^\s*\*\d{6,}\*\s*$"  # the barcode
    r"|^\s*\d{1,3}/\d{1,3}\s*$"  # "2/4"
    r"|^\s*Please recycle\s*$",
    re.I,
)


def is_un_furniture(line: str) -> bool:
    """A line that only a UN document's page furniture writes (never prose, wherever it stands)."""
    return bool(_UN_FURNITURE.match(line))


def shape(line: str) -> str:
    """A line with its numbers blanked: "Page 2 of 4" and "Page 3 of 4" have one shape."""
    return re.sub(r"\d+", "#", line.strip().lower())


def running_lines(pages: Sequence[Sequence[str]], edge: int = 3) -> set[str]:
    """Shapes of the lines repeated at the top or bottom of most pages: running headers and footers."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for page in pages:
        content = [ln for ln in page if ln.strip()]
        counts.update({shape(ln) for ln in content[:edge] + content[-edge:]})
    return {s for s, n in counts.items() if n >= max(2, len(pages) // 2 + 1)}


def edge_furniture(page: Sequence[str], running: set[str], edge: int = 3) -> list[bool]:
    """For each line of a page: is it a running line or a page number at the page's top or bottom?"""
    content = [i for i, ln in enumerate(page) if ln.strip()]
    edges = set(content[:edge] + content[-edge:])
    return [
        i in edges and (shape(ln) in running or bool(PAGE_NUMBER.match(ln)) or is_un_furniture(ln))
        for i, ln in enumerate(page)
    ]
