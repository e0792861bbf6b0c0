"""The facts a title block states: meeting, date (its last day), place, and a display title.

Read from the title lines first, then from the opening paragraphs, then from any further text the
layout offers (a UN covering letter, its masthead date), then from the file name
(``2026-06-10_rome_…``). Dates come from :mod:`assistant.ingest.dates` (dateparser), places from
:mod:`assistant.ingest.gazetteer`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from assistant import words
from assistant.ingest.dates import find_date
from assistant.ingest.gazetteer import NAME_RUN, find_place

_HEAD = r"(?:Meeting|Summit|Conference|Forum|Session|Dialogue|Retreat|Consultation|Symposium)"
_NAME_TOKEN = r"(?:\d{1,2}(?:st|nd|rd|th)|[A-Z][\w'’]*(?:-[A-Za-z][\w'’]*)*)"
# "Eighth Capital-Level Meeting", "5th Capital-Level Meeting", "WPS Focal Points Network Ministerial
# Meeting", "SIXTH MINISTERIAL MEETING"; the head noun in any case ("2nd Capital-level meeting").
_MEETING = re.compile(rf"(?<![\w-])((?:{_NAME_TOKEN}\s+){{1,5}}(?i:{_HEAD}))\b")
_DOC_KIND = re.compile(
    r"(?:\b(?:Joint|Final|Chair['’]?s|Co-Chairs['’]?|Ministerial|Political)\s+)?"
    r"\b(?:Communiqu[ée](?:\s+conjoint)?|Summary|Declaration|Statement|Outcome Document|Conclusions|Report)\b",
    re.I,
)
# A sentence naming where the meeting was: "convened in Rome", "was held on 25 September 2019 in New York".
_VENUE = re.compile(
    rf"\b(?:convened|held|met|gathered|assembled|took place|hosted|meeting|réunis?|reunidos?)\b[^.;]{{0,60}}?"
    rf"\b(?:in|at|à|en)\s+((?:the\s+)?{NAME_RUN.pattern}(?:,\s*{NAME_RUN.pattern})?)"
)
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
_ORDINAL = re.compile(
    r"\d+(?:st|nd|rd|th)|(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth"
    r"|\w+teenth|\w+tieth|(?:twenty|thirty|forty)-\w+)",
    re.I,
)
MAX_DATELINE_WORDS = 16


@dataclass(frozen=True)
class Facts:
    meeting: str | None
    date: str | None
    place: str | None
    title: str


_SMALL_WORDS = {"of", "the", "and", "for", "on", "in", "at", "to", "a", "an", "de", "la", "du", "des", "et"}


def title_case(line: str) -> str:
    """An all-capitals line in title case: "SUMMARY OF THE TWELFTH MINISTERIAL MEETING" → "Summary of the
    Twelfth Ministerial Meeting" (short words that are not small words stay capitals: "WPS", "UN")."""
    out = []
    for i, word in enumerate(line.split()):
        if word.lower() in _SMALL_WORDS and i:
            out.append(word.lower())
        elif (len(word) <= 3 and word.isalpha() and word.lower() not in _SMALL_WORDS) or "." in word.rstrip(",."):
            out.append(word)  # "WPS", "UN", "D.C."
        else:
            out.append("-".join(part.capitalize() for part in word.split("-")))
    return " ".join(out)


def find_meeting(text: str) -> str | None:
    """The meeting a text names, with its ordinal: "5th Capital-Level Meeting", "Sixth Ministerial Meeting"."""
    if text.isupper():
        text = title_case(text)
    match = _MEETING.search(text)
    if not match:
        return None
    name = re.sub(r"^(?:The|For)\s+", "", match.group(1).strip())
    # An ordinal starts the name: "… Focal Points Network 5th Capital-Level Meeting" → "5th Capital-Level Meeting".
    ordinals = words.load("ordinals")
    tokens = name.split()
    first = next(
        (i for i, t in enumerate(tokens) if t.lower() in ordinals or re.fullmatch(r"\d+(?:st|nd|rd|th)", t)), 0
    )
    return " ".join(tokens[first:])


def is_dateline(line: str) -> bool:
    """A short line that is a date and a place and nothing else: "6-9 June 2023, Washington, D.C.",
    "(Alicante, Spain, 26 and 27 April 2017)", "Done at Rome, Thursday 10 June 2026"."""
    if len(line.split()) > MAX_DATELINE_WORDS:
        return False
    found = find_date(line)
    if not found:
        return False
    rest = f"{line[: found.start]} | {line[found.end :]}"
    place = find_place(rest)
    if place:
        rest = rest[: place.start] + rest[place.end :]
    left = _other_words(rest)
    return len(left) <= 3 and not any(w[0].islower() for w in left)


def _other_words(text: str) -> list[str]:
    """The words of a date or place line other than its labels and connectors ("Venue:", "held in")."""
    allowed = words.load("dateline_words")
    return [w for w in _WORD.findall(text) if w.lower().rstrip(".:") not in allowed]


def is_title_fact(line: str) -> bool:
    """A line that states a title-block fact: a date, a meeting or the kind of document."""
    return bool(find_meeting(line) or _DOC_KIND.search(line) or find_date(line))


def place_in_text(text: str) -> str | None:
    """Where a sentence says the meeting was held ("convened in Rome from …" → "Rome")."""
    for match in _VENUE.finditer(text):
        place = find_place(match.group(1))
        if place:
            return place.text
    return None


def _date_and_place(lines: Sequence[str]) -> tuple[str | None, str | None]:
    """The first date the lines write, and the place written beside it (or on a line of its own)."""
    date = place = None
    for line in lines:
        found = find_date(line)
        if found and date is None:
            date = found.iso
            near = find_place(f"{line[: found.start]} | {line[found.end :]}")
            place = place or (near.text if near else None)
        elif place is None and not find_meeting(line) and not _DOC_KIND.search(line):
            alone = find_place(line)  # a line that is only a place: "Washington, D.C.", "Venue: Geneva"
            if alone and not _other_words(line[: alone.start] + " " + line[alone.end :]):
                place = alone.text
    return date, place


def title_facts(title_lines: Sequence[str], paragraphs: Sequence[str], path: Path, more: Sequence[str] = ()) -> Facts:
    """Meeting, date, place and a display title, from the title block, the opening paragraphs, the
    text in ``more`` (e.g. a covering letter, then a masthead date), and the file name, in that order."""
    opening = paragraphs[:3]
    meeting = next((m for ln in title_lines if (m := find_meeting(ln))), None)
    date, place = _date_and_place(title_lines)
    for source in (opening, more):
        meeting = meeting or next((m for t in source if (m := find_meeting(t))), None)
        date = date or next((f.iso for t in source if (f := find_date(t))), None)
        place = place or next((p for t in source if (p := place_in_text(t))), None)
    if place and place.isupper():  # "WASHINGTON, D.C." from an all-capitals title block
        place = title_case(place)
    stem = re.match(r"(\d{4}-\d{2}-\d{2})[_-]([a-z-]+)", path.stem.lower())
    if date is None and stem:
        date = stem.group(1)
    if place is None and stem:
        place = stem.group(2).replace("-", " ").title()
    return Facts(meeting, date, place, _title(title_lines, meeting, path))


def _title(title_lines: Sequence[str], meeting: str | None, path: Path) -> str:
    """ "Joint Communiqué — Eighth Capital-Level Meeting": the kind of document and the meeting."""
    title_lines = [title_case(ln) if ln.isupper() else ln for ln in title_lines]
    kind = next((ln for ln in title_lines if _DOC_KIND.search(ln) and len(ln.split()) <= 6), None)
    if kind and meeting and meeting in kind:  # "Declaration of the Fourth Capital-Level Meeting"
        return kind
    if kind is None:  # "Joint communiqué of the Ninth Capital-Level Meeting of the …" → "Joint communiqué"
        found = next((m.group(0) for ln in title_lines if (m := _DOC_KIND.search(ln))), None)
        kind = found[:1].upper() + found[1:] if found else None
    if kind and meeting:
        return f"{kind} — {meeting}"
    if kind or title_lines:
        return kind or title_lines[0]
    return re.sub(r"[_-]+", " ", path.stem).strip().capitalize()


@cache
def format_words() -> str:
    """The words that say how a meeting was held, as one regular-expression alternation, longest
    first ("video-conference" before "video"): read here and by the question's steering."""
    return "|".join(re.escape(n) for n in sorted(words.pairs("meeting_formats"), key=len, reverse=True))


@cache
def _format_word() -> re.Pattern[str]:
    return re.compile(rf"\b({format_words()})\b", re.I)


# The meeting itself said to be held a certain way: "the members … met online", "the meeting was
# convened in a virtual format", "the first meeting … to be held in a hybrid format" — not "peace talks
# held online" or "the event held in Windhoek in hybrid format", which say how something else was held.
_HELD_AS = re.compile(
    r"\b(?:(?:meeting|members|network)(?:[\s,]+[\w'’-]+){0,10}?|we(?:\s+have)?)[\s,]+"
    r"(?:met|held|convened|took\s+place)\s+(?:in\s+an?\s+|by\s+)?(?=\w)",
    re.I,
)


def meeting_format(title: str, opening: Sequence[str]) -> str | None:
    """How the meeting was held ("online" or "hybrid"), when its title block or one of its opening
    paragraphs says so of the meeting itself; None when they do not (most meetings were in person, and
    the documents rarely say so)."""
    formats = words.pairs("meeting_formats")
    if m := _format_word().search(title):
        return formats[m.group(1).lower()]
    for paragraph in opening:
        for held in _HELD_AS.finditer(paragraph):
            if m := _format_word().match(paragraph, held.end()):
                return formats[m.group(1).lower()]
    return None
