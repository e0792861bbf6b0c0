"""Which documents a question names: by year, place, or meeting ("the 2024 meeting", "in Nairobi",
"the Seventh Capital-Level Meeting"), from the facts parsed out of each document's title block — or
by time, from the documents' dates ("now", "the latest", "last year's", "the first meeting",
"since 2019", "over the years").

Only facts that match at least one indexed document count, so "the 2025 meetings in Tokyo and Oslo"
(mentioned inside the Rome text, but no document of their own) steers nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache

from assistant import words
from assistant.ingest.facts import format_words

# Time words that point at the latest document, the earliest one, a span, or last year's.
_LATEST = re.compile(
    r"\b(?:now|nowadays|currently|at present|presently|these days|today|to date|so far|latest|most recent"
    r"|newest|last (?:meeting|communiqu\w*|summit|one))\b",
    re.I,
)
_EARLIEST = re.compile(
    r"\b(?:earliest|inaugural|founding)\b|\bfirst (?:meeting|communiqu\w*|summit|statement|gathering)\b"
    r"|\bfirst (?:set up|launched|started|founded|created|established|met|convened)\b",
    re.I,
)
_LAST_YEAR = re.compile(r"\blast year(?:'s|’s)?\b|\bprevious (?:meeting|communiqu\w*|one)\b", re.I)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_THIS_YEAR = re.compile(r"\bthis year(?:'s|’s)?\b", re.I)
_SINCE = re.compile(r"\b(?:since|from|after)\s+((?:19|20)\d\d)\b", re.I)
_OVER_TIME = re.compile(
    r"\bover (?:the|these|those) years\b|\bover time\b|\b(?:every|each) meeting\b|\ball (?:the )?meetings\b"
    r"|\bfrom one meeting to the next\b",
    re.I,
)
# A meeting named by its place in time relative to the one being discussed: "the previous meeting",
# "the one before that", "the next one", "two years later". Only a follow-up has such an anchor.
_DOC_NOUN = r"(?:meeting|one|communiqu\w*|summit|gathering|statement|summary)"
# "the one before that", "the meeting before Nairobi", "the one after?" — not "one after another"
_THEN = r"(?:\s+(?:that|it|this)\b|(?=\s+(?:the\s+\w+|(?-i:[A-Z])))|(?=\s*[?.!,]|\s*$))"
_BEFORE = re.compile(
    rf"\b(?:previous|prior|preceding|earlier)\s+{_DOC_NOUN}\b|\b{_DOC_NOUN}\s+before{_THEN}"
    r"|^\W*(?:and\s+|what\s+about\s+)?before\s+(?:that|it|this)\b",
    re.I,
)
_AFTER = re.compile(
    rf"\b(?:next|following|subsequent|later)\s+{_DOC_NOUN}\b|\b{_DOC_NOUN}\s+after{_THEN}"
    r"|^\W*(?:and\s+|what\s+about\s+)?after\s+(?:that|it|this)\b",
    re.I,
)
_YEARS_APART = re.compile(
    r"\b(a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+years?\s+"
    r"(later|after(?:wards)?|on|earlier|before)\b",
    re.I,
)


@dataclass(frozen=True)
class RelativeStep:
    """How far from the discussed meeting a question points: ``meetings`` in date order, or ``years``."""

    meetings: int = 0
    years: int = 0
    phrase: str = ""  # the words that said so, as typed
    # "the meeting before Nairobi" steps from the meeting it names; "who offered to host the next
    # meeting?" names the meeting it asks about, and "and the next one?" steps from the one discussed.
    from_named: bool = False


def relative_step(question: str) -> RelativeStep | None:
    """ "the previous meeting" → one meeting back, "the next one" → one on, "two years later" → +2 years."""
    if m := _YEARS_APART.search(question):
        count = m.group(1).lower()
        n = 1 if count in ("a", "an") else int(count) if count.isdigit() else int(words.pairs("number_values")[count])
        return RelativeStep(years=-n if m.group(2).lower() in ("earlier", "before") else n, phrase=m.group(0))
    for pattern, meetings in ((_BEFORE, -1), (_AFTER, 1)):
        if m := pattern.search(question):
            # only "<meeting> before|after <a name>" names its anchor; "the next one said" does not
            named = bool(re.search(r"(?:before|after)$", m.group(0), re.I)) and bool(
                re.match(r"\s+(?!(?:that|it|this)\b)\w", question[m.end() :])
            )
            return RelativeStep(meetings=meetings, phrase=m.group(0).strip(), from_named=named)
    return None


_BESIDE = r"differ\w*|compar\w*|contrast\w*|versus|vs\.?|both"  # words that set one thing beside another
_COMPARE = re.compile(rf"\b(?:{_BESIDE}|change[ds]?|evolv\w*)\b", re.I)


# How an adjective of a place ends: "Kenyan", "Chilean", "Italian", "Japanese", "Swedish".
_DEMONYM_ENDINGS = ("ian", "ean", "an", "ese", "ish", "n", "")


def is_demonym_of(word: str, place: str) -> bool:
    """``word`` is the adjective of ``place`` ("kenyan" of "kenya", "italian" of "italy", "japanese" of
    "japan"): what is left once its ending is cut (four letters at least) begins the place's name.

    Checked only against the indexed documents' places, so a near miss elsewhere steers nothing;
    irregular ones ("French", "Filipino") are not caught.
    """
    word, place = word.lower(), place.lower()
    if word == place or len(word) <= len(place) - 2:
        return False
    for ending in _DEMONYM_ENDINGS:
        stem = word[: len(word) - len(ending)] if ending else word
        if word.endswith(ending) and len(stem) >= 4 and place.startswith(stem) and len(place) - len(stem) <= 2:
            return True
    return False


# "the Kenyan meeting", "the Chilean communiqué", "the Italian one": an adjective naming a document
# only where it qualifies one ("the African Union" names no meeting in South Africa).
_QUALIFIES_DOCUMENT = re.compile(
    rf"\b(?=([A-Za-z]+)(?:\s+[\w-]+){{0,2}}?\s+(?:{_DOC_NOUN}|document)\b)",
    re.I,
)


@cache
def _format_phrase() -> re.Pattern[str]:
    """ "the online meeting", "the virtual one", "the meeting held online", "when we met virtually": a
    format word where it says how a meeting was held, not "online abuse" or "virtual diplomacy"."""
    names = format_words()
    return re.compile(
        rf"\b(?P<a>{names})\s+(?:[\w-]+\s+)?{_DOC_NOUN}\b"
        rf"|\b(?:{_DOC_NOUN}\s+(?:that\s+was\s+|which\s+was\s+|was\s+)?(?:held|conducted|convened|run)|met)"
        rf"\s+(?:in\s+an?\s+)?(?P<b>{names})\b",
        re.I,
    )


def formats_named(question: str) -> set[str]:
    """The formats ("online", "hybrid") a question names a meeting by: "the online meeting" → online."""
    formats = words.pairs("meeting_formats")
    return {formats[(m.group("a") or m.group("b")).lower()] for m in _format_phrase().finditer(question)}


# A follow-up setting one meeting beside another ("how does that compare with Rome?"); narrower than
# _COMPARE, whose "change" is also "climate change".
_SET_BESIDE = re.compile(rf"\b(?:{_BESIDE}|unlike|same as)\b", re.I)


def compares(question: str) -> bool:
    """The question sets something beside something else ("compare with", "differ from", "versus")."""
    return bool(_SET_BESIDE.search(question))


def _words(text: str) -> set[str]:
    found = re.findall(r"[a-z0-9'’-]+", text.lower())
    return {w.replace("’", "'").removesuffix("'s") for w in found if len(w) > 2}


class DocumentSteering:
    """Which indexed documents a question names, and the question without the words that named them."""

    def __init__(
        self,
        documents: Iterable[dict],
        today: date | None = None,
        country_of: Callable[[str], str | None] = lambda place: None,
    ) -> None:
        """``country_of`` names the country of a document's place (the gazetteer's), so that "the
        meeting in Namibia" names the Windhoek one."""
        self.cues: dict[str, dict[str, set[str]]] = {}
        self.title_words: dict[str, set[str]] = {}
        self.dates: dict[str, str] = {}  # doc_id → ISO date, for the documents that state one
        self.today = today or date.today()
        generic = words.load("meeting_words")
        self.sections: list[str] = []  # every section heading of the indexed documents, once
        for d in documents:
            for sec in d.get("sections", []):
                name = sec["name"] if isinstance(sec, dict) else sec
                if name not in self.sections:
                    self.sections.append(name)
            if d.get("date"):
                self.dates[d["doc_id"]] = d["date"]
            # A place read off a file name ("Virtual Meeting") must not name a document by "meeting".
            place_text = d.get("place") or ""
            country = country_of(place_text) if place_text else None
            place = _words(f"{place_text} {country or ''}") - words.load("place_stop_words") - generic
            meeting = _words(d.get("meeting") or "") - generic
            year = {d["date"][:4]} if d.get("date") else set()
            fmt = {d["format"]} if d.get("format") else set()
            self.cues[d["doc_id"]] = {"year": year, "place": place, "meeting": meeting, "format": fmt}
            # Words of the title ("Chair's Summary") also only name the document once it is chosen.
            self.title_words[d["doc_id"]] = _words(d.get("title") or "") - generic

    def named_sections(self, question: str) -> list[str]:
        """Section headings the question names as such: "the Prevention section", "the part on Youth"."""
        found = []
        for name in self.sections:
            n = re.escape(name)
            if re.search(rf"\b{n}\W{{0,3}}\s+(?:section|part|chapter|pillar|heading)\b", question, re.I) or re.search(
                rf"\b(?:section|part|chapter|heading)\s+(?:on|about|called|titled|entitled)?\s*[\"“'‘]?{n}\b",
                question,
                re.I,
            ):
                found.append(name)
        return found

    def entity_words(self) -> frozenset[str]:
        """Lower-case words that name an indexed meeting (places, ordinals): "santiago", "seventh"."""
        return frozenset(w for cues in self.cues.values() for kind in ("place", "meeting") for w in cues[kind])

    def named(self, question: str, by_time: bool = True) -> list[str]:
        """Documents the question points at; empty when it names none (or names every one of several).

        With a single document this still says whether the question names it, so that the words naming
        it can leave the query ("What did members agree in Rome about funding?" is about funding).
        """
        if by_time and len(self.cues) > 1 and (_SINCE.search(question) or _OVER_TIME.search(question)):
            return self.by_time(question)  # "since 2019" names a span, not the 2019 meeting alone
        if by_time and len(self.cues) > 1 and (said_now := self._present_stated(question)):
            return said_now  # "it's 2026: what did last year's meeting set?" → 2025's
        words = _words(question)
        adjectives = {m.group(1) for m in _QUALIFIES_DOCUMENT.finditer(question)}
        formats = formats_named(question)
        scores: dict[str, int] = {}
        for doc_id, cues in self.cues.items():
            hits = sum(bool(cues[kind] & words) for kind in ("year", "meeting"))
            hits += bool(cues["place"] & words) or any(is_demonym_of(w, p) for w in adjectives for p in cues["place"])
            hits += bool(cues["format"] & formats)
            if hits:
                scores[doc_id] = hits
        if not scores or (len(scores) == len(self.cues) and len(self.cues) > 1 and not _COMPARE.search(question)):
            return self.by_time(question) if by_time and len(self.cues) > 1 else []
        return sorted(scores, key=lambda d: -scores[d])

    def _present_stated(self, question: str) -> list[str]:
        """ "I'm drafting our 2021 workplan – what did last year's meeting say?": a question that says
        which year is its present and asks for last year's meeting means the year before that one, not
        the year it states nor the year before today. Among that year's documents, those the question
        otherwise names ("last year's thematic meeting") come first."""
        years = _YEAR.findall(question)
        if len(set(years)) != 1 or not re.search(r"\blast year(?:'s|’s)?\b", question, re.I):
            return []
        found = self.by_time(question, today=date(int(years[0]), 7, 1))
        rest = _YEAR.sub(" ", question)
        named = set(self.named(rest, by_time=False)) if len(found) > 1 else set()
        return sorted(found, key=lambda d: d not in named)

    def by_time(self, question: str, today: date | None = None) -> list[str]:
        """Documents a question names by time: "now" → the latest, "the first meeting" → the earliest,
        "last year's" → last year's (else the one before this year's), "since 2019" and "over the
        years" → each from then on, in date order."""
        dated = sorted(self.dates, key=lambda d: self.dates[d])
        if not dated:
            return []
        if m := _SINCE.search(question):
            return [d for d in dated if self.dates[d][:4] >= m.group(1)]
        if _OVER_TIME.search(question):
            return dated
        today = today or self.today
        if _LAST_YEAR.search(question):
            year = str(today.year - 1)
            exact = [d for d in dated if self.dates[d][:4] == year]
            before = [d for d in dated if self.dates[d][:4] < str(today.year)]
            return exact or before[-1:]
        if _THIS_YEAR.search(question):
            return [d for d in dated if self.dates[d][:4] == str(today.year)] or dated[-1:]
        if _EARLIEST.search(question):
            return dated[:1]
        if _LATEST.search(question):
            return dated[-1:]
        return []

    def shifted(self, doc_ids: Iterable[str], step: RelativeStep) -> list[str]:
        """The dated document ``step`` away from ``doc_ids`` — on from the latest of them, back from the
        earliest ("the one before" Santiago → New York); for years, the first document that many years
        on (or the last that many back) or beyond; empty when there is none (the last meeting has no
        next one)."""
        dated = sorted(self.dates, key=lambda d: self.dates[d])
        anchors = [d for d in doc_ids if d in self.dates]
        if not anchors:
            return []
        back = step.meetings < 0 or step.years < 0  # back from the earliest anchor, on from the latest
        anchor = (min if back else max)(anchors, key=lambda d: self.dates[d])
        if step.meetings:
            at = dated.index(anchor) + step.meetings
            return [dated[at]] if 0 <= at < len(dated) else []
        year = int(self.dates[anchor][:4]) + step.years
        if step.years > 0:
            later = [d for d in dated if int(self.dates[d][:4]) >= year]
            return later[:1]
        earlier = [d for d in dated if int(self.dates[d][:4]) <= year]
        return earlier[-1:]

    @staticmethod
    def without_relative(question: str) -> str:
        """The question minus a relative cue ("the previous meeting") once it has chosen the document."""
        step = relative_step(question)
        return re.sub(r"\s{2,}", " ", question.replace(step.phrase, " ")).strip() if step else question

    def without_cues(self, question: str, doc_ids: Iterable[str]) -> str:
        """The question minus the words that named the documents ("the 2024 Nairobi meeting" → "the meeting").

        Once retrieval is restricted to those documents the cues have done their work; left in, they
        pull every question towards the opening paragraph that states the meeting's year and place.
        """
        # a format ("online") names a document only where it qualifies a meeting: dropped below, not here
        kinds = ("year", "place", "meeting")
        cues = set().union(*(self.cues.get(d, {}).get(k, set()) for d in doc_ids for k in kinds))
        cues |= set().union(*(self.title_words.get(d, set()) for d in doc_ids))
        if not cues:
            return question

        places = set().union(*(self.cues.get(d, {}).get("place", set()) for d in doc_ids))

        def is_cue(word: str) -> bool:  # "Kenyan" names the Nairobi meeting as "Kenya" does
            return word in cues or any(is_demonym_of(word, p) for p in places)

        def keep(match: re.Match) -> str:
            words = _words(match.group(0))  # "Chair's" is the cue "chair"
            return "" if words and all(is_cue(w) for w in words) else match.group(0)

        def one_is_meeting(match: re.Match) -> str:  # "the santiago one" → "the meeting", not "the one"
            words = _words(match.group(1))
            return f"{match.group(1)} meeting" if words and all(is_cue(w) for w in words) else match.group(0)

        formats = set().union(*(self.cues.get(d, {}).get("format", set()) for d in doc_ids))

        def drop_format(match: re.Match) -> str:  # "the online meeting" → "the meeting"; "online abuse" stays
            word = match.group("a") or match.group("b")
            if words.pairs("meeting_formats")[word.lower()] not in formats:
                return match.group(0)
            return match.group(0).replace(word, "", 1)

        question = _format_phrase().sub(drop_format, question)
        question = re.sub(r"\b([A-Za-z0-9'’-]+)\s+one\b", one_is_meeting, question)
        stripped = re.sub(r"[A-Za-z0-9'’-]+", keep, question)
        return re.sub(r"\s{2,}", " ", stripped).strip()
