"""Acronyms the corpus defines ("Women, Peace and Security (WPS)"), to expand them in questions.

A question that says "WPS" or "NAPs" then matches passages that spell the words out, lexically and
in embedding space. Learned from the indexed text itself, so it works for any communiqué. An
acronym the text never defines ("DDR") is looked up as a phrase whose initials spell it
("disarmament, demobilization and reintegration").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from assistant import words as words_lists

_DEFINITION = re.compile(
    r"((?:[A-Z][\w'’-]*,?\s+(?:(?:and|of|for|the|on|in)\s+)*){1,7}[A-Z][\w'’-]*)\s+\(([A-Z][A-Za-z]{1,7})\)"
)


# Between the words an acronym spells: spaces, commas, hyphens ("gender-based") and small words.
_TERM_MIN_USES = 2
_LINK_WORDS = frozenset({"and", "of", "for", "the", "on", "in", "to"})


_LINKS = r"(?:(?:,?\s+|-)(?:(?:and|of|for|the|on|in|to|&)\s+)*)"


class Acronyms:
    """Acronyms defined in the indexed text, spelled out in questions."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.texts = list(texts)
        self.expansions: dict[str, str] = {}
        self._by_initials: dict[str, str | None] = {}
        self._long_forms: dict[str, str | None] = {}
        for text in self.texts:
            for match in _DEFINITION.finditer(text):
                phrase, acronym = match.group(1).strip(" ,"), match.group(2)
                words = [w for w in re.findall(r"[A-Za-z]+", phrase) if w[0].isupper()]
                initials = "".join(w[0] for w in words).upper()
                # Keep the shortest tail of the phrase whose initials spell the acronym.
                core = acronym.upper().rstrip("S") if not initials.endswith(acronym.upper()) else acronym.upper()
                if initials.endswith(core) and len(core) >= 2:
                    tail = words[-len(core) :]
                    start = phrase.find(tail[0])
                    self.expansions.setdefault(acronym, phrase[start:])

    def by_initials(self, acronym: str) -> str | None:
        """The phrase of the text whose words' initials spell ``acronym`` (the most frequent one)."""
        if acronym not in self._by_initials:
            words = _LINKS.join(rf"{c}[a-z][\w'’-]*" for c in acronym.lower())
            pattern = re.compile(rf"\b{words}\b", re.I)
            found = Counter(" ".join(m.group(0).split()) for t in self.texts for m in pattern.finditer(t))
            self._by_initials[acronym] = found.most_common(1)[0][0] if found else None
        return self._by_initials[acronym]

    def long_form(self, acronym: str) -> str | None:
        """The words ``acronym`` stands for in this corpus, strictly: its definition ("(NAPs)"), else
        the phrase of content words spelling its initials that the corpus uses at least
        ``_TERM_MIN_USES`` times ("AI" → "artificial intelligence"). Chance pairings ("agenda is",
        "and informal") are left out, so a fact check may trust the answer."""
        key = acronym if acronym in self.expansions else acronym.rstrip("s")
        if key in self.expansions:
            return self.expansions[key]
        if key not in self._long_forms:
            function = words_lists.load("function_words_en")
            spelled = _LINKS.join(rf"{c}[a-z][\w'’]*" for c in key.lower())
            pattern = re.compile(rf"\b{spelled}\b", re.I)
            found = Counter(
                " ".join(m.group(0).lower().split())
                for t in self.texts
                for m in pattern.finditer(t)
                if _content_words(m.group(0), function) == len(key)
            )
            best = found.most_common(1)
            self._long_forms[key] = best[0][0] if best and best[0][1] >= _TERM_MIN_USES else None
        return self._long_forms[key]

    def expand(self, question: str) -> str:
        """The question with each acronym followed by its words, once."""

        long_words = re.findall(r"[A-Za-z]{4,}", question)
        # "WHAT ABOUT FUNDING" is shouted, not spelled: its words are no acronyms.
        shouting = len(long_words) >= 3 and sum(w.isupper() for w in long_words) > len(long_words) / 2

        def replace(match: re.Match[str]) -> str:
            word = match.group(0)
            key = word if word in self.expansions else word.rstrip("s")
            phrase = self.expansions.get(key)
            if phrase is None and word.isupper() and len(word) >= 3 and not shouting:
                phrase = self.by_initials(word)
            if phrase and phrase.lower() not in question.lower():
                return f"{word} ({phrase})"
            return word

        return re.sub(r"\b[A-Z][A-Za-z]{1,7}s?\b", replace, question)


def _content_words(phrase: str, function: frozenset[str]) -> int:
    """How many words of ``phrase`` carry its meaning; 0 when one that should is a function word."""
    parts = [w for w in re.split(r"[\s,&-]+", phrase.lower()) if w and w not in _LINK_WORDS]
    return 0 if any(w in function for w in parts) else len(parts)
