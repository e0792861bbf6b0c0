"""Dates as communiqués write them: the ISO date of a meeting's (last) day, read with ``dateparser``.

"23rd of September, 2016", "9–10 April 2019", "26 and 27 April 2017", "6-9 June 2023", "June 9–10,
2026", "30 September – 2 October 2019", "du 9 au 10 juin 2026", "Sept. 23, 2016", "14 October 2025".
Where a date is written is found by its shape — a day, a month name (``words/month_names.txt``, six
languages) and a year, or a range of them — and what it says is read by dateparser from the range's
last day alone. dateparser reads no ranges (it returns the first day or nothing) and its
``search_dates`` over whole lines took 15–200 ms a line here; one ``parse`` of a few words takes 1–3 ms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from assistant import words

LANGUAGES = ["en", "fr", "es", "it", "de", "pt"]
_SETTINGS = {"REQUIRE_PARTS": ["day", "month", "year"], "DATE_ORDER": "DMY", "RETURN_AS_TIMEZONE_AWARE": False}
_YEAR = r"(?<!\d)(?:1[89]|20)\d\d(?!\d)"
_DAY = r"(?<!\d)\d{1,2}(?:st|nd|rd|th|er|º|°|\.)?(?!\d)"
_MONTH = r"[^\W\d_]{3,}\.?"
_OF = r"(?:(?:of|de|del)\s+)?"
_SEP = r"\s*(?:[-–—‐]|to|and|&|au|et|y|al|a|e|bis|und|through|until)\s*"
# Where a date is written; each pattern names the day, month and year of the (last) day. Ranges first:
# "6-9 June 2023", "26 and 27 April 2017", "30 September – 2 October 2019", "du 9 au 10 juin 2026",
# then "June 9–10, 2026", then single dates both ways round, then numeric ones.
_PATTERNS = [
    re.compile(
        rf"{_DAY}(?:\s+{_OF}(?P<m1>{_MONTH}))?{_SEP}(?P<d>{_DAY})\s+{_OF}(?P<m>{_MONTH}),?\s+{_OF}(?P<y>{_YEAR})", re.I
    ),
    re.compile(rf"(?P<m1>{_MONTH})\s+{_DAY}{_SEP}(?:(?P<m>{_MONTH})\s+)?(?P<d>{_DAY}),?\s+(?P<y>{_YEAR})", re.I),
    re.compile(rf"(?P<d>{_DAY})\s+{_OF}(?P<m>{_MONTH}),?\s+{_OF}(?P<y>{_YEAR})", re.I),
    re.compile(rf"(?P<m>{_MONTH})\s+(?P<d>{_DAY}),?\s+(?P<y>{_YEAR})", re.I),
    re.compile(r"(?<!\d)(?P<numeric>\d{1,2}[./]\d{1,2}[./]\d{4}|\d{4}-\d{2}-\d{2})(?!\d)"),
]


@dataclass(frozen=True)
class FoundDate:
    iso: str  # the (last) day, YYYY-MM-DD
    start: int  # where the whole date or range is written in the text
    end: int


def _is_month(word: str | None) -> bool:
    return word is None or word.lower().rstrip(".") in words.load("month_names")


def _parse(text: str) -> datetime | None:
    import dateparser

    return dateparser.parse(text, languages=LANGUAGES, settings=_SETTINGS)


def _candidates(text: str) -> list[FoundDate]:
    found: list[FoundDate] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if any(f.start <= match.start() and match.end() <= f.end for f in found):
                continue  # "9 June 2023" of "6-9 June 2023", already read
            groups = match.groupdict()
            if groups.get("numeric"):
                written = groups["numeric"]
            else:
                month = groups.get("m") or groups.get("m1")
                if not (_is_month(month) and _is_month(groups.get("m1"))):
                    continue
                # "Sept." and "10." confuse dateparser; the last day is all it is given.
                day = re.sub(r"\D", "", groups["d"])
                written = f"{day} {month.rstrip('.')} {groups['y']}"
            parsed = _parse(written)
            if parsed:
                found.append(FoundDate(parsed.date().isoformat(), match.start(), match.end()))
    return found


def find_date(text: str) -> FoundDate | None:
    """The first date (or range: its last day) that ``text`` writes, or None."""
    found = sorted(_candidates(text), key=lambda f: (f.start, -f.end))
    if not found:
        return None
    first = found[0]
    for other in found[1:]:
        if other.start < first.end:
            continue
        if re.fullmatch(_SEP, text[first.end : other.start]):  # "9 June 2026 – 10 June 2026"
            first = FoundDate(max(first.iso, other.iso), first.start, other.end)
        else:
            break
    return first
