"""Does the corpus have the meeting a question names? "The Oslo meeting in 2025", "the fifth meeting".

A question about a meeting the corpus neither holds a document of nor mentions anywhere cannot be
answered from it, however close its passages come: "what was the theme of the Oslo meeting in 2025?"
is as similar to Rome's paragraph on its theme as an answerable question is. The trust issue asks for
``not_addressed`` then. Only an explicit meeting reference counts — a meeting word qualified by an
ordinal, a year, a month, a place the gazetteer knows or a kind ("ministerial") — and a reference is
absent only when no document can be it (a document whose facts do not say, e.g. an unnumbered
meeting for "the fifth meeting", may be it) and no passage mentions a meeting that can be it ("the
Second Meeting of the Network in Berlin" in the Alicante text keeps "the second meeting in Berlin"
for the tier model to judge). Relative references ("the next meeting") are the steering's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from assistant import words

_NOUN = re.compile(r"\b(?:meeting|conference|summit|gathering)s?\b", re.I)
_TOKEN = re.compile(r"[A-Za-zÀ-ÿ0-9][\w’'-]*")
# Words between the facts that say nothing themselves: "the Network's Fifth Capital-Level meeting".
_GLUE = frozenset({"the", "network", "network's", "wps", "capital", "level", "high", "and"})
_AFTER_GLUE = frozenset({"of", "the", "network", "held", "in", "at", "on", "and"})  # "in Tokyo and Oslo"
# A meeting placed by its relation to another is resolved by the steering, never "absent".
_RELATIVE = frozenset(
    {
        "next",
        "previous",
        "last",
        "first",
        "latest",
        "recent",
        "upcoming",
        "following",
        "this",
        "that",
        "same",
        "earlier",
        "later",
        "prior",
        "preceding",
        "subsequent",
        "future",
        "each",
        "every",
        "any",
        "another",
        "other",
        "which",
        "what",
    }
)
_KINDS = frozenset({"ministerial", "thematic", "capital-level", "high-level", "regional"})
_YEAR = re.compile(r"(?:19|20)\d\d")
_DIGIT_ORDINAL = re.compile(r"(\d{1,2})(?:st|nd|rd|th)", re.I)


@dataclass(frozen=True)
class MeetingReference:
    """What a phrase says of a meeting; a field is empty when the phrase does not say it."""

    phrase: str
    ordinals: frozenset[str] = frozenset()
    years: frozenset[str] = frozenset()
    months: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()

    def says_something(self) -> bool:
        return bool(self.ordinals or self.years or self.months or self.places or self.kinds)


def _ordinal(word: str) -> str | None:
    ordered = words.ordered("ordinals")
    if word in ordered:
        return word
    m = _DIGIT_ORDINAL.fullmatch(word)
    return ordered[int(m.group(1)) - 1] if m and 0 < int(m.group(1)) <= len(ordered) else None


def meeting_references(text: str, is_place: Callable[[str], bool]) -> list[MeetingReference]:
    """The meetings ``text`` names by their facts; relative ones ("the next meeting") are left out.

    The facts are the words next to the meeting word that qualify it: before it ("the Oslo meeting",
    "the September 2017 ministerial meeting"), and after it in "of the network", "(held) in/at …"."""
    months = words.load("months")
    out = []
    for m in _NOUN.finditer(text):
        before = [w.lower() for w in _TOKEN.findall(text[max(0, m.start() - 80) : m.start()])]
        qualifiers: list[str] = []
        relative = False
        for w in reversed(before):
            w = re.sub(r"(?:’s|'s)$", "", w)
            if _qualifies(w, months, is_place) or w in _GLUE:
                qualifiers.insert(0, w)
                continue
            relative = w in _RELATIVE
            break
        if relative:
            continue
        shown = list(qualifiers)
        after = [w.lower() for w in _TOKEN.findall(text[m.end() : m.end() + 80])]
        kept, placed = 0, False  # after the meeting word, a fact follows "in", "at" or "of": "in Oslo"
        for k, w in enumerate(after):
            if w in _AFTER_GLUE:
                placed = placed or w in {"in", "at", "of"}
            elif placed and (_YEAR.fullmatch(w) or w in months or is_place(w)) and not _ordinal(w):
                qualifiers.append(w)  # "in the first half of 2018": "first" is no ordinal of the meeting
                kept = k + 1
            else:
                break
        while shown and shown[0] in _GLUE:  # "the network's" opens no phrase worth showing
            shown.pop(0)
        phrase = " ".join([*shown, m.group(0).lower(), *after[:kept]])
        joined = " ".join(qualifiers)
        ordinals = {o for w in qualifiers if (o := _ordinal(w))}
        ref = MeetingReference(
            phrase=phrase,
            ordinals=frozenset(ordinals),
            years=frozenset(w for w in qualifiers if _YEAR.fullmatch(w)),
            months=frozenset(w for w in qualifiers if w in months),
            places=frozenset(w for w in qualifiers if w not in ordinals and not _YEAR.fullmatch(w) and is_place(w)),
            kinds=frozenset(k for k in _KINDS if k in qualifiers or k.replace("-", " ") in joined),
        )
        if ref.says_something():
            out.append(ref)
    return out


def _qualifies(word: str, months: frozenset[str], is_place: Callable[[str], bool]) -> bool:
    return bool(_ordinal(word) or _YEAR.fullmatch(word) or word in months or word in _KINDS or is_place(word))


@dataclass(frozen=True)
class MeetingFacts:
    """What one meeting is known to be: a document's title-block facts, or a mention in a passage."""

    ordinals: frozenset[str] = frozenset()
    years: frozenset[str] = frozenset()
    months: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()

    @classmethod
    def of_document(cls, doc: dict, country_of: Callable[[str], str | None]) -> MeetingFacts:
        iso = doc.get("date") or ""
        place = doc.get("place") or ""
        country = country_of(place) if place else None
        named = " ".join(str(doc.get(k) or "") for k in ("meeting", "title", "doc_id")).lower()
        names = frozenset(re.findall(r"[a-z0-9][a-z0-9-]*", named.replace("_", " ")))
        month = words.ordered("months")[int(iso[5:7]) - 1] if len(iso) >= 7 and iso[5:7].isdigit() else None
        return cls(
            ordinals=frozenset(o for w in names if (o := _ordinal(w))),
            years=frozenset({iso[:4]} if iso[:4].isdigit() else ()),
            months=frozenset({month} if month else ()),
            places=frozenset(re.findall(r"[a-zà-ÿ]+", f"{place} {country or ''}".lower())),
            kinds=frozenset(k for k in _KINDS if k in names or k.replace("-", " ") in named),
        )

    @classmethod
    def of_reference(cls, ref: MeetingReference) -> MeetingFacts:
        return cls(ref.ordinals, ref.years, ref.months, ref.places, ref.kinds)

    def says_something(self) -> bool:
        return bool(self.ordinals or self.years or self.months or self.places or self.kinds)


def can_be(ref: MeetingReference, facts: MeetingFacts, partial: bool = False) -> bool:
    """Whether ``facts`` may describe the meeting ``ref`` names: no fact both state disagrees (a fact
    only one of them states is no disagreement). A ``partial`` description — a mention in a passage,
    which says what its sentence needs — must also agree on one fact at least."""
    agree = False
    for asked, known in (
        (ref.ordinals, facts.ordinals),
        (ref.years, facts.years),
        (ref.months, facts.months),
        (ref.places, facts.places),
        (ref.kinds, facts.kinds),
    ):
        if asked and known:
            if not asked & known:
                return False
            agree = True
    return agree or not partial


def place_test(kind_of: Callable[[str], str | None]) -> Callable[[str], bool]:
    """A word names a place when the gazetteer knows it and it is no common word of a question ("of" is
    a town in Turkey, "union" one in the US)."""
    common = words.load("function_words_en") | words.load("meeting_words") | set(words.pairs("meeting_formats"))

    def is_place(word: str) -> bool:
        return len(word) > 2 and word not in common and kind_of(word) is not None

    return is_place


class KnownMeetings:
    """The meetings the corpus holds a document of or mentions, to tell which a question names that it
    has neither of."""

    def __init__(
        self,
        documents: Iterable[dict],
        passages: Iterable[str],
        is_place: Callable[[str], bool],
        country_of: Callable[[str], str | None] = lambda place: None,
    ) -> None:
        self.is_place = is_place
        self.documents = [MeetingFacts.of_document(d, country_of) for d in documents]
        # The ordinal-bearing names of the documents ("Eighth Capital-Level Meeting") are mentions too.
        self.mentions = [
            MeetingFacts.of_reference(ref) for text in passages for ref in meeting_references(text, is_place)
        ]

    def absent(self, question: str) -> MeetingReference | None:
        """The first meeting ``question`` names that no document can be and no passage mentions."""
        for ref in meeting_references(question, self.is_place):
            if any(can_be(ref, d) for d in self.documents):
                continue
            if any(can_be(ref, m, partial=True) for m in self.mentions):
                continue
            return ref
        return None
