"""Typos in questions ("survivers", "finacing") corrected towards words the corpus uses.

A word is corrected only when it is neither in the corpus nor an English word (pyspellchecker's
dictionary), and a corpus word lies within one edit of it (insert, delete, replace or swap); the most
frequent such corpus word wins. One edit covers most typos and keeps this under a millisecond. So
"armies" stays "armies" (an English word), while "survivers" becomes "survivors".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

# Five letters or more (shorter words have too many neighbours); at most 30: no English or corpus word is
# longer, and one edit of a long run of letters is a large set (a 950-letter "word" took 0.1 s).
_WORD = re.compile(r"(?<![A-Za-z])[A-Za-z]{5,30}(?![A-Za-z])")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _edits1(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    transposes = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    inserts = {a + c + b for a, b in splits for c in _LETTERS}
    return deletes | transposes | replaces | inserts


class Speller:
    def __init__(self, texts: Iterable[str]) -> None:
        self.vocabulary = Counter(w.lower() for t in texts for w in _WORD.findall(t))
        self._english = None  # loaded on the first word that needs it (0.6 s, once per assistant)

    def _is_english(self, word: str) -> bool:
        if self._english is None:
            from spellchecker import SpellChecker

            self._english = SpellChecker(distance=1)
        return bool(self._english.known([word]))

    def suggestion(self, word: str) -> str | None:
        """The corpus word a misspelt ``word`` stands for, or None."""
        w = word.lower()
        if w in self.vocabulary or self._is_english(w):
            return None
        near = {e for e in _edits1(w) if e in self.vocabulary}
        return max(near, key=lambda c: (self.vocabulary[c], c)) if near else None

    def correct(self, text: str) -> str:
        def fix(match: re.Match[str]) -> str:
            word = match.group(0)
            if word[0].isupper():  # names are not typos of corpus words
                return word
            return self.suggestion(word) or word

        return _WORD.sub(fix, text)
