"""Follow-up resolution (``assistant.chat``): pure string rewriting, no model, no store."""

from __future__ import annotations

import pytest

from assistant.pipeline.plan.condense import is_elliptical, refers_to_previous_document, resolve, topic_of
from tests.conftest import EARLY_WARNING

pytestmark = pytest.mark.unit


def test_follow_up_with_connector_and_pronoun_takes_the_previous_topic():
    standalone = resolve("and what about funding for it?", [EARLY_WARNING])

    assert "gender-sensitive early warning" in standalone
    assert "funding" in standalone
    assert not standalone.lower().startswith("and ")
    assert " it?" not in standalone
    assert standalone.endswith("?")


@pytest.mark.parametrize(
    "question",
    [
        "What are the four pillars of the WPS agenda?",
        "What does the communiqué recommend on early warning systems?",
        "How should technology-facilitated gender-based violence be addressed?",
    ],
)
def test_self_contained_question_is_left_unchanged_despite_history(question):
    assert not is_elliptical(question)
    assert resolve(question, [EARLY_WARNING]) == question


@pytest.mark.parametrize("history", [None, [], ["", "   "]])
def test_follow_up_without_usable_history_is_left_unchanged(history):
    assert resolve("and what about funding for it?", history) == "and what about funding for it?"


def test_resolve_only_normalises_whitespace_when_there_is_nothing_to_resolve():
    assert resolve("  What are   the four pillars?  ") == "What are the four pillars?"


def test_pronoun_is_replaced_by_the_previous_topic():
    standalone = resolve("Who should implement it?", [EARLY_WARNING])

    assert standalone == "Who should implement gender-sensitive early warning?"


def test_possessive_pronoun_becomes_a_possessive_of_the_topic():
    assert resolve("What is its budget?", [EARLY_WARNING]) == "What is gender-sensitive early warning's budget?"


def test_follow_up_without_pronoun_gets_the_topic_appended():
    standalone = resolve("and funding?", [EARLY_WARNING])

    assert "funding" in standalone.lower()
    assert standalone.endswith("in relation to gender-sensitive early warning?")


def test_chained_follow_ups_carry_the_first_topic():
    history = [EARLY_WARNING, "and what about funding for it?"]

    second = resolve("and who pays for it?", history)
    third = resolve("what about monitoring?", history)

    assert "gender-sensitive early warning" in second
    assert "funding" in second
    assert "gender-sensitive early warning" in third
    assert "monitoring" in third


def test_only_the_latest_turn_supplies_the_topic():
    history = [EARLY_WARNING, "What does the communiqué say about women mediators' networks?"]

    standalone = resolve("and what about funding for it?", history)

    assert "women mediators' networks" in standalone
    assert "early warning" not in standalone


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("What does the communiqué recommend on early warning systems?", "early warning systems"),
        ("What does the communiqué say about the women mediators' networks?", "women mediators' networks"),
        ("Tell me about funding for women peacebuilders.", "funding for women peacebuilders"),
        ("What is recommended regarding social media platforms?", "social media platforms"),
    ],
)
def test_topic_of_is_the_phrase_after_about_or_on(question, topic):
    assert topic_of(question) == topic


def test_topic_of_falls_back_to_the_content_words():
    assert topic_of("What are the four pillars of the WPS agenda?") == "four pillars WPS agenda"


@pytest.mark.parametrize(
    "question",
    ["and funding?", "What about monitoring?", "Who should implement it?", "Why?"],
)
def test_connectors_pronouns_and_bare_questions_are_elliptical(question):
    assert is_elliptical(question)


# --- Regressions: each of these was a bug in assistant/chat.py ---


def test_existential_there_does_not_make_a_question_a_follow_up():
    question = "Is there anything on climate security?"
    assert resolve(question, [EARLY_WARNING]) == question


def test_this_communique_is_not_replaced_by_the_previous_topic():
    question = "What does this communiqué say about funding?"
    assert resolve(question, [EARLY_WARNING]) == question


def test_ui_example_about_the_meeting_is_not_rewritten_after_another_question():
    question = "Where and when was the meeting held?"
    assert resolve(question, [EARLY_WARNING]) == question


def test_the_same_issue_is_replaced_by_the_previous_topic():
    standalone = resolve(
        "And what target did the Santiago meeting set on the same issue?",
        ["What did the Nairobi communiqué recommend on financing?"],
    )
    assert standalone == "What target did the Santiago meeting set on financing?"


@pytest.mark.parametrize(
    ("question", "refers"),
    [
        ("Which countries did that meeting say would co-chair in 2024?", True),
        ("What else did the same communiqué recommend?", True),
        ("Who was the Secretariat there?", True),
        ("What did the 2024 meeting recommend on financing?", False),
        ("What are the four pillars?", False),
        ("What did the previous meeting say on youth?", False),  # the one before, not the same one
        ("Is there anything on youth there?", True),
        ("Is there anything on youth?", False),
    ],
)
def test_a_question_pointing_back_at_the_previous_document_is_recognised(question, refers):
    assert refers_to_previous_document(question) is refers


MEETINGS = frozenset({"santiago", "chile", "nairobi", "kenya", "rome", "italy", "seventh", "sixth", "eighth"})


@pytest.mark.parametrize(
    ("follow_up", "previous", "expected"),
    [
        (
            "and in 2019?",
            "what did santiago say about early warning?",
            "What did the 2019 meeting say about early warning?",
        ),
        (
            "what about now",
            "how many members did the network have in 2022?",
            "How many members did the network have now?",
        ),
        (
            "and in 2024?",
            "how many members did the network have in 2022?",
            "How many members did the network have in 2024?",
        ),
        (
            "same question for santiago",
            "What did Nairobi say about humanitarian needs assessments?",
            "What did Santiago say about humanitarian needs assessments?",
        ),
        ("What about Sweden?", "What did Colombia pledge?", "What did Sweden pledge?"),
        ("and in 2019?", "how many members does the network have?", "How many members does the network have in 2019?"),
        (
            "and the Kenyan meeting?",
            "what did santiago say about early warning?",
            "What did the Kenyan meeting say about early warning?",
        ),
        (
            "did the seventh meeting say the same?",
            "what did santiago say about early warning?",
            "What did the Seventh meeting say about early warning?",
        ),
        (
            "and the one before that?",
            "what did santiago say about early warning?",
            "What did the previous meeting say about early warning?",
        ),
        (
            "what did the next one say?",
            "what did santiago say about youth?",
            "What did the next meeting say about youth?",
        ),
        (
            "and two years later?",
            "how many members did the network have in 2022?",
            "How many members did the network have at the meeting two years later?",
        ),
    ],
)
def test_a_follow_up_naming_another_meeting_time_or_name_asks_the_previous_question_again(
    follow_up, previous, expected
):
    assert resolve(follow_up, [previous], MEETINGS) == expected


def test_a_follow_up_about_a_topic_is_no_swap():
    assert "funding" in resolve("what about funding?", ["What did the Rome meeting say about youth?"], MEETINGS)


@pytest.mark.parametrize(
    ("follow_up", "expected"),
    [
        ("did nairobi mention that too?", "Did nairobi mention early warning too?"),
        ("and what did they say about it in Kenya?", "What did they say about early warning in Kenya?"),
        ("who co-chaired it?", "Who co-chaired the meeting?"),
        ("Where was it held?", "Where was the meeting held?"),
    ],
)
def test_the_pronoun_that_stands_for_the_topic_is_replaced_and_one_for_the_meeting_names_it(follow_up, expected):
    assert resolve(follow_up, ["what did santiago say about early warning?"], MEETINGS) == expected


def test_a_second_relative_follow_up_replaces_the_first_ones_meeting():
    history = ["what did santiago say about youth?", "and the previous meeting?"]
    assert resolve("and the next one?", history, MEETINGS) == "What did the next meeting say about youth?"


def test_a_relative_meeting_with_a_topic_of_its_own_is_asked_as_it_stands():
    question = "What did the next meeting say about youth?"
    assert resolve(question, ["What did Santiago say about funding?"], MEETINGS) == question


@pytest.mark.parametrize(
    ("follow_up", "expected"),
    [
        ("is that binding?", "Is peer review binding?"),
        ("who is supposed to do that?", "Who is supposed to do peer review?"),
    ],
)
def test_that_standing_for_the_previous_topic_is_replaced_by_it(follow_up, expected):
    assert resolve(follow_up, ["What did the network agree on peer review?"]) == expected


def test_that_introducing_a_clause_is_left_alone():
    assert resolve("Do they recommend that States fund it?", []) == "Do they recommend that States fund it?"
