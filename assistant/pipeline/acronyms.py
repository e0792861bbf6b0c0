"""Acronyms the corpus defines ("Women, Peace and Security (WPS)"), to expand them in questions.

A question that says "WPS" or "NAPs" then matches passages that spell the words out, lexically and
in embedding space. Learned from the indexed text itself, so it works for any communiqué.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_DEFINITION = re.compile(
    r"((?:[A-Z][\w'’-]*,?\s+(?:(?:and|of|for|the|on|in)\s+)*){1,7}[A-Z][\w'’-]*)\s+\(([A-Z][A-Za-z]{1,7})\)"
)


class Acronyms:
    """Acronyms defined in the indexed text, spelled out in questions."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.expansions: dict[str, str] = {}
        for text in texts:
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

    def expand(self, question: str) -> str:
        """The question with each defined acronym followed by its words, once."""

        def replace(match: re.Match[str]) -> str:
            word = match.group(0)
            key = word if word in self.expansions else word.rstrip("s")
            if key in self.expansions and self.expansions[key].lower() not in question.lower():
                return f"{word} ({self.expansions[key]})"
            return word

        return re.sub(r"\b[A-Z][A-Za-z]{1,7}s?\b", replace, question)
