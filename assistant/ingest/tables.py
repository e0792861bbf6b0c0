"""Tables → one readable paragraph a row (shared by the HTML and DOCX readers).

A row out of its table ("Kenya | 2024 | 1 per cent") says little; a row that carries its column names
("Member: Kenya; Year: 2024; Pledge: 1 per cent") can be found and quoted on its own. So when the first
row reads as a header (short cells, no numbers), every other row is written with it; otherwise each
row's cells are joined with " | ". Cells repeated by a merged span are written once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence


def _dedupe(cells: Sequence[str]) -> list[str]:
    out: list[str] = []
    for cell in cells:
        if not out or cell != out[-1]:
            out.append(cell)
    return out


def _is_header(cells: Sequence[str]) -> bool:
    return len(cells) > 1 and all(c and len(c.split()) <= 6 and not re.search(r"\d", c) for c in cells)


def row_texts(rows: Sequence[Sequence[str]]) -> list[str]:
    """One text per row (the header row is folded into the others when there is one)."""
    rows = [[c.strip() for c in row] for row in rows if any(c.strip() for c in row)]
    if not rows:
        return []
    header = rows[0] if len(rows) > 1 and _is_header(rows[0]) else None
    out = []
    for row in rows[1:] if header else rows:
        if header and len(row) == len(header):
            pairs = [f"{h}: {c}" for h, c in zip(header, row, strict=True) if c]
            text = "; ".join(pairs)
        else:
            text = " | ".join(c for c in _dedupe(row) if c)
        if text:
            out.append(text if re.search(r"[.;:!?]$", text) else text + ".")
    return out
