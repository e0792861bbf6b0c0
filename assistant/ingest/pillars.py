"""The WPS pillar a sentence belongs to: its section's, when the section is named after a pillar, else
the pillar most of its words point to (``words/pillars.txt``), else none.

Communiqués that file their recommendations under pillar headings (the capital-level joint
communiqués) get them as written; a Chair's summary of numbered paragraphs gets a best guess, so the
tracker and the tour can still group its commitments.
"""

from __future__ import annotations

import re
from functools import cache

from assistant import words


@cache
def _cues() -> dict[str, re.Pattern[str]]:
    by_pillar: dict[str, list[str]] = {}
    for line in words.ordered("pillars"):
        pillar, _, cue = line.partition(":")
        by_pillar.setdefault(pillar.strip(), []).append(re.escape(" ".join(cue.split())))
    return {p: re.compile(rf"\b(?:{'|'.join(sorted(c, key=len, reverse=True))})", re.I) for p, c in by_pillar.items()}


def pillars() -> list[str]:
    """The pillars in the order the list file gives them (the tour walks them in this order)."""
    return list(_cues())


def section_pillar(section: str) -> str:
    """The pillar a section heading names ("Relief and Recovery" → itself), or ""."""
    name = " ".join(section.lower().split())
    return next((p for p in _cues() if name == p.lower() or name.startswith(p.lower() + " ")), "")


def pillar_of(section: str, sentence: str) -> str:
    """The pillar of a sentence under ``section``."""
    named = section_pillar(section)
    if named:
        return named
    counts = {p: len(pattern.findall(sentence)) for p, pattern in _cues().items()}
    best = max(counts.values(), default=0)
    if not best:
        return ""
    return next(p for p in pillars() if counts[p] == best)
