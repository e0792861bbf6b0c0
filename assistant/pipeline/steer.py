"""Which documents a question names: by year, place, or meeting ("the 2024 meeting", "in Nairobi",
"the Seventh Capital-Level Meeting"), from the facts parsed out of each document's title block — or
by time, from the documents' dates ("now", "the latest", "last year's", "the first meeting",
"since 2019", "over the years").

Only facts that match at least one indexed document count, so "the 2025 meetings in Tokyo and Oslo"
(mentioned inside the Rome text, but no document of their own) steers nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from assistant import words

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
_THIS_YEAR = re.compile(r"\bthis year(?:'s|’s)?\b", re.I)
_SINCE = re.compile(r"\b(?:since|from|after)\s+((?:19|20)\d\d)\b", re.I)
_OVER_TIME = re.compile(
    r"\bover (?:the|these|those) years\b|\bover time\b|\b(?:every|each) meeting\b|\ball (?:the )?meetings\b"
    r"|\bfrom one meeting to the next\b",
    re.I,
)
_COMPARE = re.compile(r"\b(?:differ\w*|compar\w*|contrast\w*|versus|vs\.?|both|change[ds]?|evolv\w*)\b", re.I)


def _words(text: str) -> set[str]:
    found = re.findall(r"[a-z0-9'’-]+", text.lower())
    return {w.replace("’", "'").removesuffix("'s") for w in found if len(w) > 2}


class DocumentSteering:
    """Which indexed documents a question names, and the question without the words that named them."""

    def __init__(self, documents: Iterable[dict], today: date | None = None) -> None:
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
            place = _words(d.get("place") or "") - words.load("place_stop_words")
            meeting = _words(d.get("meeting") or "") - generic
            year = {d["date"][:4]} if d.get("date") else set()
            self.cues[d["doc_id"]] = {"year": year, "place": place, "meeting": meeting}
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

    def named(self, question: str) -> list[str]:
        """Documents the question points at; empty when it names none (or names every one of several).

        With a single document this still says whether the question names it, so that the words naming
        it can leave the query ("What did members agree in Rome about funding?" is about funding).
        """
        if len(self.cues) > 1 and (_SINCE.search(question) or _OVER_TIME.search(question)):
            return self.by_time(question)  # "since 2019" names a span, not the 2019 meeting alone
        words = _words(question)
        scores: dict[str, int] = {}
        for doc_id, cues in self.cues.items():
            hits = sum(bool(cues[kind] & words) for kind in ("year", "place", "meeting"))
            if hits:
                scores[doc_id] = hits
        if not scores or (len(scores) == len(self.cues) and len(self.cues) > 1 and not _COMPARE.search(question)):
            return self.by_time(question) if len(self.cues) > 1 else []
        return sorted(scores, key=lambda d: -scores[d])

    def by_time(self, question: str) -> list[str]:
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
        if _LAST_YEAR.search(question):
            year = str(self.today.year - 1)
            exact = [d for d in dated if self.dates[d][:4] == year]
            before = [d for d in dated if self.dates[d][:4] < str(self.today.year)]
            return exact or before[-1:]
        if _THIS_YEAR.search(question):
            return [d for d in dated if self.dates[d][:4] == str(self.today.year)] or dated[-1:]
        if _EARLIEST.search(question):
            return dated[:1]
        if _LATEST.search(question):
            return dated[-1:]
        return []

    def without_cues(self, question: str, doc_ids: Iterable[str]) -> str:
        """The question minus the words that named the documents ("the 2024 Nairobi meeting" → "the meeting").

        Once retrieval is restricted to those documents the cues have done their work; left in, they
        pull every question towards the opening paragraph that states the meeting's year and place.
        """
        cues = set().union(*(c for d in doc_ids for c in self.cues.get(d, {}).values()))
        cues |= set().union(*(self.title_words.get(d, set()) for d in doc_ids))
        if not cues:
            return question

        def keep(match: re.Match) -> str:
            words = _words(match.group(0))  # "Chair's" is the cue "chair"
            return "" if words and words <= cues else match.group(0)

        stripped = re.sub(r"[A-Za-z0-9'’-]+", keep, question)
        return re.sub(r"\s{2,}", " ", stripped).strip()
