"""The quiz: multiple choice from the corpus, deterministic for a seed (no model)."""

from __future__ import annotations

import re

import pytest

from assistant.views.quiz import BLANK, QuizMaker
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
            assert filled == q.citation.quote
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
