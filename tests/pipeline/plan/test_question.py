"""What a question must be: encodable text, a bounded history of earlier turns."""

from __future__ import annotations

import pytest

from assistant.pipeline.plan.question import QuestionError, check_question, clean_filters, clean_text, recent_turns
from assistant.schema import Filters
from assistant.settings import Settings

pytestmark = pytest.mark.unit

SETTINGS = Settings(max_history_turns=3, max_question_chars=50)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("a\ud800b", "a\ufffdb"),  # a lone surrogate (JSON "\ud800") cannot be encoded: replaced
        ("\udfff", "\ufffd"),
        ("\ud83d\ude00", "😀"),  # a pair written as two escapes is one character
        ("x\x00y\x1bz", "xyz"),  # control characters go
        ("tab\tnew\nline", "tab\tnew\nline"),  # tab and newline stay
        ("Où en est la Résolution 1325 ?", "Où en est la Résolution 1325 ?"),
    ],
)
def test_clean_text_makes_every_string_encodable(raw, clean):
    assert clean_text(raw) == clean
    clean_text(raw).encode("utf-8")


def test_a_question_with_a_lone_surrogate_is_cleaned_not_refused():
    assert check_question("What about \ud800 funding?", SETTINGS) == "What about \ufffd funding?"


def test_only_the_last_turns_of_the_history_count():
    history = [f"question {n}" for n in range(1000)]
    assert recent_turns(history, SETTINGS) == ["question 997", "question 998", "question 999"]


def test_empty_and_non_text_turns_do_not_count_towards_the_limit():
    assert recent_turns(["a", "b", "", "  ", 7, None, "c"], SETTINGS) == ["a", "b", "c"]


def test_an_oversized_turn_that_counts_is_refused_one_that_does_not_is_ignored():
    with pytest.raises(QuestionError, match="earlier question in the history is too long"):
        recent_turns(["x" * 51, "a", "b"], Settings(max_history_turns=3, max_question_chars=50))
    assert recent_turns(["x" * 51, "a", "b", "c"], SETTINGS) == ["a", "b", "c"]


def test_a_history_that_is_not_a_list_is_refused_with_a_message():
    with pytest.raises(QuestionError, match="must be a list"):
        recent_turns("What about it?", SETTINGS)


def test_filters_are_cleaned_like_the_question():
    cleaned = clean_filters(Filters(("\ud800rome",), ("Prevention",), (3,)))
    assert cleaned == Filters(("\ufffdrome",), ("Prevention",), (3,))
    assert clean_filters(None) is None
