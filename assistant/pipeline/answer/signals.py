"""The named signals an extractive answer is scored with, each a plain function tested on its own.

They are combined in one place, :meth:`assistant.pipeline.answer.extractive.SentenceScorer.score`, and the
abstain decision reads them through :class:`assistant.pipeline.answer.abstain.AbstentionPolicy`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from functools import cache, lru_cache

import numpy as np

from assistant import words
from assistant.pipeline.terms import Terms, flat


def similarity(query_embedding: Sequence[float], sentence_embeddings: Sequence[Sequence[float]]) -> np.ndarray:
    """Cosine of each sentence to the question (all vectors are unit length)."""
    if not len(sentence_embeddings):
        return np.zeros(0)
    return np.asarray(sentence_embeddings) @ np.asarray(query_embedding)


def lexical_coverage(question_terms: set[str], sentence_terms: Iterable[str], idf: Callable[[str], float]) -> float:
    """IDF-weighted share of the question's informative words that the sentence contains.

    A question whose key words occur nowhere in the corpus gets a low share, which is what lets
    abstention work on near-topic questions that embeddings alone find "similar" to something.
    """
    total = sum(idf(t) for t in question_terms)
    if not total:
        return 0.0
    return sum(idf(t) for t in question_terms & set(sentence_terms)) / total


# ---------------------------------------------------------------------------- answer type

_ASKS = [
    ("number", re.compile(r"\bhow (?:many|much)\b|\bwhat (?:number|percentage|share|amount|figure)\b", re.I)),
    ("date", re.compile(r"\bwhen\b|\bwhat (?:date|year|day)\b|\bwhich year\b", re.I)),
    ("name", re.compile(r"^\s*(?:who|whom)\b|\bwhere\b", re.I)),
]


def expected_answer_type(question: str) -> str | None:
    """What kind of fact the question asks for, when its wording says so ("how many" → a number)."""
    return next((kind for kind, pattern in _ASKS if pattern.search(question)), None)


@cache
def answer_type_patterns() -> dict[str, re.Pattern[str]]:
    """What a sentence holding each kind of fact looks like (built once from the word lists)."""
    numbers = "|".join(sorted(words.load("number_words")))
    months = "|".join(m.capitalize() for m in sorted(words.load("months")))
    return {
        # A year alone ("as 2024 Co-Chairs") is no quantity: "how much money" is not answered by it.
        "number": re.compile(rf"\b(?!(?:19|20)\d\d\b)\d|%|\b(?:{numbers})\b", re.I),
        "date": re.compile(rf"\b(?:1[89]|20)\d\d\b|\b(?:{months})\b"),
        "name": re.compile(r"(?<!^)(?<![.!?] )\b[A-Z][a-z]+|\b[A-Z]{2,}\b"),
    }


def holds_answer_type(kind: str | None, text: str) -> bool:
    """The sentence holds the kind of fact asked for (always true when the question asks for none)."""
    return kind is None or bool(answer_type_patterns()[kind].search(text))


# ---------------------------------------------------------------------------- unknown names and numbers


def _is_unit(word: str) -> bool:
    return word.lower() in words.load("units")


def _names_something(index: int, word: str) -> bool:
    """A number, a unit, an ordinal, or a capitalised word that does not open the question."""
    return (
        word[:1].isdigit()
        or word.lower() in words.load("ordinals")
        or _is_unit(word)
        or (index > 0 and word[:1].isupper() and not word.isupper())
    )


def _is_acronym(word: str) -> bool:
    """An acronym of three letters or more ("LGBTIQ"); two-letter ones ("AI", "US") are too ambiguous."""
    core = word.removesuffix("s")
    return len(core) >= 3 and core.isupper() and core.isalpha()


def unknown_mentions(question: str, terms: Terms) -> tuple[list[str], list[str]]:
    """Numbers/units and names in the question that the corpus never mentions: (numbers, names).

    "Resolution 2250", "the 2019 meeting", "in euros", "Sudan", "LGBTIQ": the corpus cannot speak of
    what it never names. A lone digit (a stray "1" in pasted text) names nothing, and an acronym the
    question spells out (the acronyms step writes its words after it: "DDR (disarmament, …)") is known.
    """
    found = re.findall(r"\b[\w'’-]+\b", question)
    spelled = set(re.findall(r"\b([A-Z][A-Za-z]{1,7}) \(", question))
    unknown = [
        w
        for i, w in enumerate(found)
        if (_names_something(i, w) or _is_acronym(w))
        and w not in spelled
        and not terms.known(w)
        and not (w.isdigit() and len(w) < 2)
    ]
    numbers = [w for w in unknown if w[:1].isdigit() or _is_unit(w)]
    names = [w for w in unknown if w not in numbers]
    # A name of several words the corpus never states whole ("the Women's Peace and Humanitarian Fund"
    # over a text that only has its words apart) names something it does not speak of.
    names += [p for p in multiword_names(question) if not _stated(p, terms) and not any(w in p for w in names)]
    return numbers, names


def _stated(name: str, terms: Terms) -> bool:
    """The corpus states the name whole, or each of the names it joins with "and" ("UN Women and the
    African Union")."""
    parts = [p for p in re.split(r"\s+(?:and|&)\s+", name) if p]
    return terms.has_phrase(name) or all(terms.has_phrase(p) for p in parts)


_NAME_RUN = re.compile(r"\b[A-Z][\w'’-]*(?:(?:\s+(?:and|of|for|the|on|in|&))*\s+[A-Z][\w'’-]*)+")


def multiword_names(question: str) -> list[str]:
    """Names of two or more capitalised words in the question ("UN Women", "Peace and Security
    Council"); none when the question is typed in Title Case, where every word looks like a name."""
    return list(_multiword_names(question))


@lru_cache(maxsize=256)
def _multiword_names(question: str) -> tuple[str, ...]:
    """``multiword_names``, read once a question: each candidate sentence's name signal asks again."""
    question = re.sub(r"\([^()]*\)", " ", question)  # "UN (United Nations)": the acronyms step's own words
    found = re.findall(r"[A-Za-z][\w'’-]*", question)
    if len(found) >= 4 and sum(w[0].isupper() for w in found) > 0.6 * len(found):
        return ()
    names = []
    for m in _NAME_RUN.finditer(question):
        text = m.group(0)
        if m.start() == 0:  # the question's first word is capitalised anyway
            text = text.split(None, 1)[1] if " " in text else ""
            text = re.sub(r"^(?:(?:and|of|for|the|on|in|&)\s+)+", "", text)
        if len(re.findall(r"\b[A-Z]", text)) >= 2:
            names.append(text)
    return tuple(names)


def name_match(question: str, text: str, generic: frozenset[str] = frozenset()) -> float:
    """Share of the question's multi-word names that the sentence states whole ("UN Women").

    A name made only of ``generic`` words ("the Capital-Level Meeting") names no particular thing: every
    document's opening states it, so it earns nothing."""
    names = [n for n in multiword_names(question) if not set(re.findall(r"[a-z][\w-]*", n.lower())) <= generic]
    if not names:
        return 0.0
    flat_text = f" {flat(text)} "
    return sum(f" {flat(n)} " in flat_text for n in names) / len(names)


# ---------------------------------------------------------------------------- enumerations

_LIST_QUESTION = re.compile(
    r"\b(?:which|what|list|name)\b[^?]{0,40}\b(?:countries|members|states|nations|governments|organi[sz]ations"
    r"|delegations|participants|co-?chairs|hosts)\b|^\s*who\b",
    re.I,
)


def enumeration_share(text: str) -> float:
    """Share of a sentence's words that are capitalised names: near 1 for a list of member States."""
    found = re.findall(r"[A-Za-zÀ-ÿ'’-]{2,}", text)[1:]
    if len(found) < 6:
        return 0.0
    return sum(w[0].isupper() for w in found) / len(found)


def is_unasked_enumeration(
    question: str, text: str, threshold: float = 0.5, names_one: Callable[[str], bool] = lambda word: True
) -> bool:
    """A list of names that the question neither asks for ("which countries …") nor names one of.

    Such a sentence (a member list) resembles any question about the Network and answers none.
    ``names_one`` says whether a word the question shares with the list picks out an item of it:
    "Colombia" does, while "WPS" or "Women", in the Network's own name before its members, is in
    most passages and picks out nothing.
    """
    if enumeration_share(text) < threshold or _LIST_QUESTION.search(question):
        return False
    asked = {w.lower() for w in re.findall(r"[A-Za-zÀ-ÿ'’-]{3,}", question)}
    listed = {w.lower() for w in re.findall(r"\b[A-Z][A-Za-zÀ-ÿ'’-]{2,}", text)}
    return not any(names_one(w) for w in asked & listed)


# ---------------------------------------------------------------------------- distinctiveness


def distinctiveness(similarities: Sequence[float]) -> float | None:
    """z-score of the best cosine among the retrieval candidates: (best − mean) / std.

    A question the corpus answers usually has one passage that stands out; a question it does not
    answer tends to be equally (un)like many passages, even when its words are on topic (a standard
    query-performance predictor). Undefined with fewer than four candidates.
    """
    if len(similarities) < 4:
        return None
    mean = sum(similarities) / len(similarities)
    std = math.sqrt(sum((s - mean) ** 2 for s in similarities) / len(similarities))
    return (max(similarities) - mean) / std if std > 1e-9 else None
