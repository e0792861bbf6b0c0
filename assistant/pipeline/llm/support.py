"""Whether a cited passage supports a generated sentence: a fitted model over named features.

Word overlap alone lets reused words pass as support ("National Action Plans (NAPs) are documents that
outline strong commitment …" shares most of its words with a passage that defines nothing). Each
feature below is a plain function of the sentence and the passage, tested on its own:

- ``minilm_clause``: MiniLM cosine of the sentence to the passage's closest quotable unit (sentences,
  long ones cut at clause boundaries at ingest, their vectors stored with the index);
- ``e5_clause``: the same with e5 (measured by the fit, not shipped: it added 0.01 AUC on the held-out
  pairs but costs ~0.1 s a sentence on a CPU core, past the 30 ms the check may add after the last token);
- ``overlap``: the hand-set support score (cosine and IDF-weighted word coverage, best unit of the same
  polarity and stance), kept as one feature among the others;
- ``added_share``: IDF-weighted share of the sentence's content words the passage never uses, what the
  sentence adds beyond the passage's words (a word the passage uses in another form, "grew" for
  "growth", or says with a word of the same meaning, "took place" for "convened", is not added:
  :func:`said_otherwise`);
- ``added_words``: how many content words it adds, whatever their weight;
- ``negation_differs``: the sentence and its closest unit disagree on being negated;
- ``stance_differs``: the sentence goes a way its closest unit does not (reduce for increase, …);
- ``modality_added``: the sentence says will / must / has been / already where the passage recommends,
  calls for or explores (words/modality_words.txt);
- ``definition_unsupported``: the sentence says what a thing *is* ("X are documents that …") in words
  the passage never defines anything by;
- ``definition`` (the answer type: it says what a thing is) and ``facts_found`` (how many of its numbers
  and names the passage confirms), measured but not shipped: the ablation showed neither earning a place.

p = σ(bias + Σ weight × feature) over the features the fitted file names, weights and threshold in
assistant/pipeline/fitted/support.json, refitted by bench/fit_support.py on written pairs of one half
of the communiqué's paragraphs, the threshold chosen so that no unsupported pair of that half passes.
Facts (numbers, names, months, quotes) remain a veto of their own in the checker: a wrong number is
never a matter of weighing.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np

from assistant import words
from assistant.pipeline.llm import claims as text

FEATURES = (  # the shipped model's
    "minilm_clause",
    "overlap",
    "added_share",
    "added_words",
    "negation_differs",
    "stance_differs",
    "modality_added",
    "definition_unsupported",
)
CANDIDATES = (*FEATURES, "e5_clause", "definition", "facts_found")  # also measured, left out by the ablation

_LINKS = frozenset({"is", "are", "was", "were", "be", "been", "being", "as"})
_LINK_WINDOW = 4  # "is" … "framework" in "is recognized as a global framework"
# "has been secured", "have already been implemented", "are already resourced": something said done.
_DONE = re.compile(
    r"\b(?:(?:has|have|had)\s+(?:already\s+)?been\s+[a-z]+(?:ed|en|wn)|(?:is|are|was|were|has|have|had)\s+already)\b",
    re.I,
)
# "has established", "have increased": an active perfect is how facts are told ("the Network has grown"),
# and says a thing was done only against a passage that recommends or explores it.
_PERFECT = re.compile(r"\b(?:has|have|had)\s+(?:[a-z]+ly\s+)?[a-z]+(?:ed|en|wn)\b", re.I)


def best_cosine(vector: Sequence[float], units: np.ndarray) -> tuple[float, int]:
    """The highest cosine of a (normalised) vector to the rows of ``units`` and that row's index;
    (0, -1) when there is none."""
    if len(units) == 0:
        return 0.0, -1
    cosines = np.asarray(units, dtype=np.float32) @ np.asarray(vector, dtype=np.float32)
    i = int(np.argmax(cosines))
    return float(cosines[i]), i


def added_share(claim_terms: Iterable[str], passage_terms: set[str], idf: Callable[[str], float]) -> float:
    """IDF-weighted share of the sentence's content words (stems) that the passage never uses: what the
    sentence says beyond the passage's words. 0 for a sentence of the passage's own words."""
    unique = set(claim_terms)
    total = sum(idf(t) for t in unique)
    if not total:
        return 0.0
    return sum(idf(t) for t in unique - passage_terms) / total


def added_words(claim_terms: Iterable[str], passage_terms: set[str]) -> float:
    """How many of the sentence's content words (stems) the passage never uses, at most 3, as a share
    of 3: one added verb ("networks are *funded* by …") is a claim of its own, however common the word
    is in the corpus (which is what :func:`added_share` weighs by)."""
    return min(3, len(set(claim_terms) - passage_terms)) / 3


@cache
def _groups() -> dict[str, int]:
    """Each dictionary form or phrase of words/same_meaning.txt → the number of its group."""
    return {w.strip(): i for i, line in enumerate(words.ordered("same_meaning")) for w in line.split(",")}


@lru_cache(maxsize=64)  # a passage is cited by several sentences of an answer
def _passage_forms(
    passage: str, lemma: Callable[[str], str], stems: Callable[[str], list[str]]
) -> tuple[frozenset[str], frozenset[int]]:
    """The stems of a passage's words in their dictionary forms, and the same-meaning groups it uses."""
    groups = _groups()
    lemmas = [lemma(t) for t in re.findall(r"[A-Za-z]+", passage)]
    phrases = [" ".join(pair) for pair in itertools.pairwise(lemmas)]
    return (
        frozenset(s for word in lemmas for s in stems(word)),
        frozenset(groups[w] for w in (*lemmas, *phrases) if w in groups),
    )


def said_otherwise(
    claim: str, passage: str, lemma: Callable[[str], str], stems: Callable[[str], list[str]]
) -> set[str]:
    """The stems of the sentence's words that the passage says in another form or with a word of the same
    meaning: irregular forms through their dictionary form ("grew" → grow, "held" → hold), word families
    and phrases through words/same_meaning.txt ("grew" for "growth", "took place" for "convened"). The
    sentence's words as :func:`added_share` counts them (stems) are compared with the passage's stems
    only; these are the words that comparison would wrongly count as added."""
    groups = _groups()
    passage_stems, passage_groups = _passage_forms(passage, lemma, stems)
    tokens = re.findall(r"[A-Za-z]+", claim)
    lemmas = [lemma(t) for t in tokens]
    covered: set[int] = set()
    for i, form in enumerate(lemmas):
        if set(stems(form)) <= passage_stems or groups.get(form, -1) in passage_groups:
            covered.add(i)
        if i + 1 < len(lemmas) and groups.get(f"{form} {lemmas[i + 1]}", -1) in passage_groups:
            covered |= {i, i + 1}  # "took place": both words say "convened"
    return {s for i in covered for s in stems(tokens[i])}


def negation_differs(claim: str, unit: str) -> float:
    """1 when one of the two says something is not so and the other does not (words/negation_cues.txt)."""
    return float(text.negated(claim) != text.negated(unit))


# Where a passage sentence's clauses part: strong marks, and a comma before a participle or a relative
# ("…respond to reprisals, recognizing that such acts contribute to the shrinking of civic space").
_CLAUSE = re.compile(
    r"\s*(?:[;:]|\s[–—])\s+|,\s+(?=(?:recognizing|recognising|including|particularly|especially|while|where|"
    r"which|who|whose|ensuring|coupled|alongside|as well as|in line with)\b)"
)


def clauses(sentence: str) -> list[str]:
    """The clauses of a passage sentence (the sentence itself when it has one)."""
    return [c for c in _CLAUSE.split(sentence) if c and c.strip()]


def closest_clause(claim_terms: set[str], units: Iterable[str], stems: Callable[[str], list[str]]) -> str:
    """The clause of the passage sharing the most content words with the sentence ("" for none)."""
    candidates = [c for u in units for c in clauses(u)]
    return max(candidates, key=lambda c: len(claim_terms & set(stems(c))), default="")


def stance_differs(claim: str, clause: str) -> float:
    """1 when the sentence goes a way the passage clause sharing its words does not (words/stance_words.txt:
    "limit collaboration" against "strengthen collaboration", "reduce ODA" against "increase ODA")."""
    return float(not text.stances(claim) <= text.stances(clause))


def modality_classes(sentence: str) -> set[str]:
    """How binding or settled a sentence says its claim is (words/modality_words.txt: will, must,
    should, may, …, and "has been …" / "already" as done)."""
    families = _modality_families()
    found = {families[w] for w in re.findall(r"[a-z]+", sentence.lower()) if w in families}
    if _DONE.search(sentence):
        found.add("done")
    return found


def modality_added(claim: str, unit: str) -> float:
    """1 when the sentence is more certain, binding or settled than the passage sentence closest to
    it: a modality of the stronger kinds (future, obligation, done, absolute) that the passage sentence
    does not use ("members will establish" against "we call for the exploration of", "financing has
    been secured" against "we recommend dedicated financing"). An active perfect ("States have
    increased ODA") says done only where the passage sentence recommends or explores."""
    said, stated = modality_classes(claim), modality_classes(unit)
    if _PERFECT.search(claim) and not _PERFECT.search(unit) and stated & {"recommend", "possible"}:
        said.add("done")
    return float(bool(said & {"future", "obligation", "done", "absolute"} - stated))


def definition(claim: str) -> float:
    """The answer type "definition": the sentence says what something is ("NAPs are documents that …")."""
    return float(bool(text.classified_as(claim)))


def definition_unsupported(claim: str, passage: str, stems: Callable[[str], list[str]]) -> float:
    """1 when the sentence says what something is ("NAPs are documents that …") and the passage never
    calls anything that: each word the sentence classifies the thing as must stand in the passage
    within a few words after "is", "are", "as", "be" ("they serve as a repository of …"). A passage
    that uses the word otherwise ("other forms of violence") does not define by it: reused words
    around an invented class define nothing."""
    classes = [set(stems(w)) for w in text.classified_heads(claim)]
    if not classes:
        return 0.0
    tokens = re.findall(r"[A-Za-z][\w'’-]*", passage)
    stated: set[str] = set()
    for i, token in enumerate(tokens):
        if any(t.lower() in _LINKS for t in tokens[max(0, i - _LINK_WINDOW) : i]):
            stated |= set(stems(token))
    return float(any(not c <= stated for c in classes))


def facts_found(claim: str, source: str) -> float:
    """How many of the numbers and names the sentence states the passage confirms (at most 3, as a
    share of 3): a sentence carrying the passage's own specifics is more likely one it supports."""
    stated = text.numbers(claim) | {n.lower() for n in text.names(claim)}
    there = text.numbers(source) | text.word_set(source)
    return min(3, sum(1 for f in stated if f in there)) / 3


_REASONS = {
    "negation_differs": "it turns its passage's statement around",
    "stance_differs": "it goes another way than its passage",
    "modality_added": "it is more certain or binding than its passage",
    "definition_unsupported": "it says what a thing is in words its passage defines nothing by",
}


def reasons(features: Mapping[str, float]) -> list[str]:
    """What a reader is told of why a passage does not support a sentence, beyond its probability."""
    return [why for name, why in _REASONS.items() if features.get(name)]


@dataclass(frozen=True)
class SupportModel:
    """σ(bias + Σ weight × feature) and the probability from which a passage counts as support."""

    weights: Mapping[str, float]
    threshold: float

    def probability(self, features: Mapping[str, float]) -> float:
        w = self.weights
        z = w.get("bias", 0.0) + sum(weight * float(features.get(k, 0.0)) for k, weight in w.items() if k != "bias")
        return 1 / (1 + math.exp(-max(-50.0, min(50.0, z))))


@cache
def _modality_families() -> dict[str, str]:
    out = {}
    for entry in words.ordered("modality_words"):
        family, members = entry.split(":", 1)
        out.update({w: family.strip() for w in members.split()})
    return out
