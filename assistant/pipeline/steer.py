"""Which documents a question names: by year, place, or meeting ("the 2024 meeting", "in Nairobi",
"the Seventh Capital-Level Meeting"), from the facts parsed out of each document's title block.

Only facts that match at least one indexed document count, so "the 2025 meetings in Tokyo and Oslo"
(mentioned inside the Rome text, but no document of their own) steers nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant import words

_COMPARE = re.compile(r"\b(?:differ\w*|compar\w*|contrast\w*|versus|vs\.?|both|change[ds]?|evolv\w*)\b", re.I)


def _words(text: str) -> set[str]:
    found = re.findall(r"[a-z0-9'’-]+", text.lower())
    return {w.replace("’", "'").removesuffix("'s") for w in found if len(w) > 2}


class DocumentSteering:
    """Which indexed documents a question names, and the question without the words that named them."""

    def __init__(self, documents: Iterable[dict]) -> None:
        self.cues: dict[str, dict[str, set[str]]] = {}
        self.title_words: dict[str, set[str]] = {}
        generic = words.load("meeting_words")
        for d in documents:
            place = _words(d.get("place") or "") - words.load("place_stop_words")
            meeting = _words(d.get("meeting") or "") - generic
            year = {d["date"][:4]} if d.get("date") else set()
            self.cues[d["doc_id"]] = {"year": year, "place": place, "meeting": meeting}
            # Words of the title ("Chair's Summary") also only name the document once it is chosen.
            self.title_words[d["doc_id"]] = _words(d.get("title") or "") - generic

    def named(self, question: str) -> list[str]:
        """Documents the question points at; empty when it names none (or names every one of several).

        With a single document this still says whether the question names it, so that the words naming
        it can leave the query ("What did members agree in Rome about funding?" is about funding).
        """
        words = _words(question)
        scores: dict[str, int] = {}
        for doc_id, cues in self.cues.items():
            hits = sum(bool(cues[kind] & words) for kind in ("year", "place", "meeting"))
            if hits:
                scores[doc_id] = hits
        if not scores or (len(scores) == len(self.cues) and len(self.cues) > 1 and not _COMPARE.search(question)):
            return []
        return sorted(scores, key=lambda d: -scores[d])

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
