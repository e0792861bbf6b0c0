"""Does the chosen passage hold what is asked? Named signals read off the question and the passage.

Similarity cannot see a missing specific: "what did the Manila meeting say about nuclear weapons?" is
as close to Manila's paragraph on disarmament delegations as an answerable question is to its answer.
These signals read for the question's most specific word in the passage and its document's facts,
and for a token of the asked answer type that the question did not bring. They are features of the
fitted tier model (:mod:`assistant.pipeline.answer.abstain`, scripts/fit_tiers.py), never rules alone; the
capitalised-specifics check the trust issue suggested was measured there and left out (it did not
earn its place in the ablation).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from assistant.pipeline.answer import signals


def fresh_answer_type(question: str, text: str) -> float:
    """1 when the question asks for a kind of fact (a number, a date, a name) and the sentence holds
    one that the question did not bring itself; 0 when it holds none; 0.5 when no kind is asked."""
    kind = signals.expected_answer_type(question)
    if kind is None:
        return 0.5
    pattern = signals.answer_type_patterns()[kind]
    asked = {m.group(0).lower() for m in pattern.finditer(question)}
    return float(any(m.group(0).lower() not in asked for m in pattern.finditer(text)))


def document_facts(title: str, meeting: str, place: str, date: str) -> str:
    """A document's own facts as text the specifics are looked up in ("Santiago", "2022", "Sixth")."""
    return " ".join((title, meeting, place, date, date[:4]))


def rarest_missing(question_terms: Iterable[str], passage_terms: Iterable[str], idf: Callable[[str], float]) -> float:
    """The IDF of the most specific question word the passage lacks, over the IDF of a word the corpus
    never uses (0 when the passage has them all). "nuclear weapons" asked of a meeting that never
    mentions them, "Poland" of a passage on a summer school elsewhere: one rare word missing is enough
    for the passage not to say what is asked, however close its topic."""
    have = set(passage_terms)
    ceiling = idf("\0never-a-term\0")
    missing = [idf(t) for t in set(question_terms) - have]
    return max(missing, default=0.0) / ceiling if ceiling else 0.0
