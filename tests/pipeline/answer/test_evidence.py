"""The signals that read whether a passage holds what is asked (pipeline/answer/evidence.py)."""

from __future__ import annotations

import math

import pytest

from assistant.pipeline.answer import evidence

pytestmark = pytest.mark.unit


def test_a_document_fact_is_text_the_question_words_are_looked_up_in():
    facts = evidence.document_facts("Joint Communiqué", "Sixth Capital-Level Meeting", "Santiago, Chile", "2022-10-20")
    assert {"santiago", "2022", "sixth"} <= set(facts.lower().replace(",", " ").split())


def test_a_number_asked_for_must_be_one_the_question_did_not_bring():
    assert evidence.fresh_answer_type("How many of the 81 members had a NAP?", "64 of the 81 members had one.") == 1.0
    assert evidence.fresh_answer_type("How many of the 81 members had a NAP?", "Of the 81 members, most did.") == 0.0


def test_no_asked_kind_is_neutral():
    assert evidence.fresh_answer_type("What about climate?", "Climate matters.") == 0.5


def test_rarest_missing_is_the_idf_of_the_most_specific_absent_word_over_an_unknown_words():
    idf = {"nuclear": 2.0, "weapon": 1.0}.get

    def weights(term: str) -> float:
        return idf(term) or 4.0  # a word the corpus never uses weighs most

    assert evidence.rarest_missing(["nuclear", "weapon"], ["weapon"], weights) == pytest.approx(0.5)
    assert evidence.rarest_missing(["nuclear", "weapon"], ["nuclear", "weapon"], weights) == 0.0
    assert math.isclose(evidence.rarest_missing(["poland"], [], weights), 1.0)
