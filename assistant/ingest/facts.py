"""The facts a title block states: meeting, date (its last day), place, and a display title.

Read from the title lines first, then from the opening paragraphs, then from the file name
(``2026-06-10_rome_…``).
"""

from __future__ import annotations

import re
from pathlib import Path

from assistant.ingest.document import Paragraph

_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ]
    )
}
_MONTH = r"(January|February|March|April|May|June|July|August|September|October|November|December)"
_DATE_PATTERNS = [
    (re.compile(rf"\b\d{{1,2}}\s*(?:[-–]|to)\s*(\d{{1,2}})\s+{_MONTH}\s+(\d{{4}})", re.I), ("d", "m", "y")),
    (re.compile(rf"\b\d{{1,2}}\s+{_MONTH}\s*[-–]\s*(\d{{1,2}})\s+{_MONTH}\s+(\d{{4}})", re.I), ("d", "m", "y")),
    (re.compile(rf"\b(\d{{1,2}})\s+{_MONTH},?\s+(\d{{4}})", re.I), ("d", "m", "y")),
    (re.compile(rf"\b{_MONTH}\s+\d{{1,2}}\s*[-–]\s*(\d{{1,2}}),?\s+(\d{{4}})", re.I), ("m", "d", "y")),
    (re.compile(rf"\b{_MONTH}\s+(\d{{1,2}}),?\s+(\d{{4}})", re.I), ("m", "d", "y")),
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), ("y", "mn", "d")),
]
_MEETING = re.compile(r"\b((?:[A-Z][\w'’-]*\s+){1,5}(?:Meeting|Summit|Conference|Forum|Session|Dialogue|Retreat))\b")
_DOC_KIND = re.compile(r"communiqu|declaration|statement|summary|outcome|report|conclusions", re.I)


def find_date(text: str) -> tuple[str, re.Match[str]] | None:
    """The ISO date of the (last) day a text states, with the match that stated it."""
    found: list[tuple[int, str, re.Match[str]]] = []
    for pattern, order in _DATE_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        parts: dict[str, str] = {}
        groups = [g for g in match.groups() if g is not None]
        if order == ("d", "m", "y") and len(groups) == 4:  # day Month - day Month year
            groups = groups[1:]
        for key, value in zip(order, groups[-3:], strict=False):
            parts[key] = value
        month = _MONTHS.get(parts.get("m", "").lower()) or int(parts.get("mn", "0") or 0)
        try:
            iso = f"{int(parts['y']):04d}-{month:02d}-{int(parts['d']):02d}"
        except (KeyError, ValueError):
            continue
        if 1 <= month <= 12:
            found.append((match.start(), iso, match))
    if not found:
        return None
    _, iso, match = min(found, key=lambda item: item[0])
    return iso, match


def is_title_fact(line: str) -> bool:
    return bool(find_date(line) or _MEETING.search(line) or _DOC_KIND.search(line))


def title_facts(
    title_lines: list[str], paragraphs: list[Paragraph], path: Path
) -> tuple[str | None, str | None, str | None, str]:
    """Meeting, date, place and a display title, from the title block first, then the opening text."""
    opening = " ".join(p.text for p in paragraphs[:3])
    meeting = next((m.group(1) for ln in title_lines if (m := _MEETING.search(ln))), None)
    if meeting is None and (m := _MEETING.search(opening)):
        meeting = re.sub(r"^(?:The|the|For|for)\s+", "", m.group(1))

    date = place = None
    for line in title_lines:
        found = find_date(line)
        if found:
            date, match = found
            rest = (line[: match.start()] + " | " + line[match.end() :]).strip()
            parts = [p.strip(" ,;–—-") for p in re.split(r"\s*[|·•–—]\s*", rest)]
            candidates = [p for p in parts if p and not _MEETING.search(p) and not _DOC_KIND.search(p)]
            place = candidates[0] if candidates else None
            break
    if date is None and (found := find_date(opening)):
        date = found[0]
    if place is None:
        m = re.search(
            r"\b(?:convened|held|met|gathered|meeting|hosted)\s+in\s+([A-Z][\w'’-]+(?:,\s*[A-Z][\w'’-]+)?)", opening
        )
        place = m.group(1) if m else None
    stem = re.match(r"(\d{4}-\d{2}-\d{2})[_-]([a-z-]+)", path.stem.lower())
    if date is None and stem:
        date = stem.group(1)
    if place is None and stem:
        place = stem.group(2).replace("-", " ").title()

    kind = next((ln for ln in title_lines if _DOC_KIND.search(ln) and len(ln.split()) <= 6), None)
    if kind and meeting:
        title = f"{kind} — {meeting}"
    elif title_lines:
        title = kind or title_lines[0]
    else:
        title = re.sub(r"[_-]+", " ", path.stem).strip().capitalize()
    return meeting, date, place, title
