"""Footnotes: told apart from the body, so that a page's notes never split or join a body paragraph.

A footnote is a ``("note", "1 See resolution 1325 (2000).")`` block. The readers find them where the
page puts them — after a rule of underscores in plain text, in a smaller type at the foot of a PDF
page — and :mod:`assistant.ingest.structure` gathers them into a final "Notes" section, each a
paragraph labelled with its printed number. They stay citable ("Notes, ¶1") without interrupting the
paragraph that refers to them, whose glued reference mark ("(2000)1") is removed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

NOTES = "Notes"
SEPARATOR = re.compile(r"^\s*_{5,}\s*$")
NOTE_START = re.compile(r"^\s*(\d{1,3}|[*†‡])\s+(?=\S)")


def note_label(text: str) -> str | None:
    """The number a footnote starts with ("1 See …" → "1")."""
    match = NOTE_START.match(text)
    return match.group(1) if match else None


def group_notes(lines: Iterable[str]) -> list[str]:
    """Footnote lines (a note, its continuation lines, the next note …) → one text per note."""
    notes: list[list[str]] = []
    for line in lines:
        if not line.strip():
            continue
        if NOTE_START.match(line) or not notes:
            notes.append([line.strip()])
        else:
            notes[-1].append(line.strip())
    return [" ".join(parts) for parts in notes]


def strip_markers(text: str, labels: Iterable[str]) -> str:
    """The body text without its footnote reference marks: a note's number glued to the word or the
    closing bracket before it ("resolution 1325 (2000)1 and" → "resolution 1325 (2000) and").

    Only numbers that are labels of this document's notes are taken, each once, so "G20" or
    "COVID-19" never lose a digit (a marker follows a lower-case letter or punctuation, not a capital
    or another digit).
    """
    for label in labels:
        if not label.isdigit():
            continue
        text = re.sub(rf"(?<=[a-z\u00e0-\u00ff).,;:’'”\"])(?<!\d[.,]){label}(?=[\s.,;:)]|$)", "", text, count=1)
    return text
