"""The quiz: multiple choice from the corpus, deterministic for a seed (no model)."""

from __future__ import annotations

import re

import pytest

from assistant.views.quiz import BLANK, QuizMaker, gives_away, stem
from tests.views.tables import four, parts, rome

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def maker() -> QuizMaker:
    return parts(four())[3]


def test_the_same_seed_gives_the_same_quiz_and_another_seed_another(maker):
    assert maker.make(10, 3) == maker.make(10, 3)
    assert maker.make(10, 3).questions != maker.make(10, 4).questions


def test_every_question_has_distinct_choices_one_right_answer_and_its_citation(maker):
    quiz = maker.make(12, 1)
    assert len(quiz.questions) == 12
    assert {q.kind for q in quiz.questions} == {"blank", "section", "meeting"}
    for q in quiz.questions:
        assert len(q.choices) == len(set(q.choices)) >= 2
        assert 0 <= q.answer < len(q.choices)
        assert q.citation.quote in q.citation.text
        if q.kind == "blank":
            assert BLANK in q.text
            filled = q.text.replace(BLANK, q.choices[q.answer])
            assert filled == stem(q.citation.quote)
        elif q.kind == "section":
            assert q.choices[q.answer] == q.citation.section
        else:
            assert q.choices[q.answer] in q.where


def test_sentences_are_not_asked_twice_and_n_is_respected(maker):
    quiz = maker.make(20, 9)
    assert len({q.citation.quote for q in quiz.questions}) == len(quiz.questions) == 20
    assert len(maker.make(3, 9).questions) == 3


def test_one_document_makes_no_which_meeting_question():
    quiz = parts(rome())[3].make(10, 2)
    assert quiz.questions and "meeting" not in {q.kind for q in quiz.questions}
    assert all(re.search(r"Rome 2026", q.where) for q in quiz.questions)


def test_no_question_shows_a_paragraph_number_or_the_answer_s_own_words(maker):
    for seed in range(5):
        for q in maker.make(12, seed).questions:
            assert not re.match(r"\s*\(?\d{1,3}[.)]\s", q.text), q.text
            if q.kind in ("meeting", "section"):
                assert not gives_away(q.text, q.choices[q.answer]), q.text


def test_a_blank_has_no_wrong_choice_the_corpus_writes_in_the_same_place(maker):
    for seed in range(5):
        for q in maker.make(12, seed).questions:
            if q.kind == "blank":
                wrong = [c for i, c in enumerate(q.choices) if i != q.answer]
                assert not any(maker._fits(c, q.text) for c in wrong), q.text


def test_the_giveaway_check_reads_years_places_and_section_words():
    assert gives_away("as agreed at the Ministerial Meeting (2019)", "New York 2019")
    assert gives_away("strengthen prevention efforts", "Prevention")
    assert not gives_away("women mediators", "Relief and Recovery")
    assert stem("8. We recommend…") == "We recommend…" and stem("(a) Adopt plans") == "Adopt plans"
