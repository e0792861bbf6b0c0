"""Stemmed informative words of the indexed sentences and their IDF: what lexical signals count with."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from functools import cache

from assistant import words

_BRITISH = re.compile(r"(?<=[a-z]{3})is(e|es|ed|ing|ation|ations)\b")
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")  # letters of any script: "communiqué" is one word


def _stemmer():  # PyStemmer comes with llama-index-retrievers-bm25 (bm25s)
    import Stemmer

    return Stemmer.Stemmer("english")


@cache
def lemma(word: str) -> str:
    """The dictionary form of an English word ("grew" → "grow", "took" → "take"), lower case: the
    stemmer cuts endings but leaves irregular forms apart. simplemma loads its English table on the
    first call (~0.4 s), which AnswerChecker does when it is built."""
    import simplemma

    return simplemma.lemmatize(word.lower(), lang="en").lower()


def flat(text: str) -> str:
    """Lower case, possessives and punctuation dropped, single spaces: how phrases are compared."""
    text = re.sub(r"['’]s\b", "", text.lower())
    return " ".join(re.findall(r"[\w]+", text))


class Terms:
    """Stemmed informative words and their IDF over a collection of texts (the indexed passages)."""

    def __init__(self, texts: Iterable[str]) -> None:
        self._stem = _stemmer()
        self._framing = words.load("framing_words")
        texts = list(texts)
        docs = [set(self.terms(t)) for t in texts]
        self.n = max(len(docs), 1)
        self.df = Counter(term for doc in docs for term in doc)
        # The whole text as phrases are compared ("Women's Peace and Humanitarian Fund"), to find names
        # the corpus states as a whole, not only word by word.
        self._flat = " " + " | ".join(flat(t) for t in texts) + " "

    def has_phrase(self, phrase: str) -> bool:
        """The corpus states this phrase, ignoring case, punctuation and possessives."""
        return f" {flat(phrase)} " in self._flat

    def terms(self, text: str) -> list[str]:
        """The stems of a text's words that say what it is about (framing words left out)."""
        text = _BRITISH.sub(r"iz\1", text.lower().replace("’", "'"))  # organisation ~ organization
        kept = [w for w in _TOKEN.findall(text) if w not in self._framing]
        return self._stem.stemWords([w.split("'")[0] for w in kept])

    def known(self, word: str) -> bool:
        """The collection mentions this word (every stem of it, for "Secretary-General")."""
        stems = self.terms(word)
        return not stems or all(t in self.df for t in stems)

    def share(self, word: str) -> float:
        """Share of the passages holding the word (its rarest stem): 0 for a word never used."""
        stems = self.terms(word)
        return min((self.df.get(t, 0) for t in stems), default=0) / self.n

    def idf(self, term: str) -> float:
        # Unknown words weigh most: the corpus cannot answer what it never mentions.
        return math.log(1 + self.n / (self.df.get(term, 0) + 0.5))
