"""What a follow-up is shown as: its rewrite only when well-formed, else the question with its context."""

from __future__ import annotations

import pytest

from assistant.pipeline.llm.condense import LLMCondenser
from assistant.pipeline.plan.condense import RuleCondenser, resolve
from assistant.pipeline.plan.understood import following_on, understood_turns, well_formed
from tests.pipeline.plan.test_condense import MEETINGS

pytestmark = pytest.mark.unit

MEDIATORS = "How did the position on women mediators change between 2019 and 2026?"
SANTIAGO = "what did santiago say about early warning?"


@pytest.mark.parametrize(
    ("rewrite", "question", "previous"),
    [
        ("What did the 2019 meeting say about early warning?", "and in 2019?", SANTIAGO),
        (
            "How many members did the network have now?",
            "what about now",
            "how many members did the network have in 2022?",
        ),
        ("How many members does the network have in 2019?", "and in 2019?", "how many members does the network have?"),
        ("What did Sweden pledge?", "What about Sweden?", "What did Colombia pledge?"),
        ("What did the previous meeting say about early warning?", "and the one before that?", SANTIAGO),
        ("What did the Seventh meeting say about early warning?", "did the seventh meeting say the same?", SANTIAGO),
        (
            "What did the next meeting say about youth?",
            "and the next one?",
            "What did the previous meeting say about youth?",
        ),
    ],
)
def test_the_previous_question_with_only_its_meeting_time_or_name_swapped_is_well_formed(rewrite, question, previous):
    assert well_formed(rewrite, question, previous)


@pytest.mark.parametrize(
    ("rewrite", "question", "previous"),
    [
        # a topic phrase cut out by a regular expression and glued into the follow-up's clause
        ("Is women mediators change between 2019 and 2026 binding?", "is that binding?", MEDIATORS),
        (
            "Who's supposed to do reprisals against women human rights defenders?",
            "who's supposed to do that?",
            "what does it say about reprisals against women human rights defenders?",
        ),
        # a bare name added where no meeting was named: "… on disarmament alicante?"
        (
            "What did the 2020 statement say on disarmament alicante?",
            "and in alicante?",
            "what did the 2020 statement say on disarmament?",
        ),
        (
            "What did the communiqués say about climate Chilean?",
            "what about the Chilean one?",
            "What did the communiqués say about climate?",
        ),
        # the pronoun replaced: the follow-up's own question, not the previous one asked again
        ("Who co-chaired the meeting?", "who co-chaired it?", SANTIAGO),
        ("Is peer review binding?", "is that binding?", "What did the network agree on peer review?"),
    ],
)
def test_a_rewrite_that_glues_words_into_a_question_is_not_well_formed(rewrite, question, previous):
    assert not well_formed(rewrite, question, previous)


def test_asking_the_previous_question_again_is_well_formed():
    assert well_formed(
        "What did Santiago say about youth?", "same question again", "what did santiago say about youth?"
    )


def test_is_that_binding_after_a_question_on_mediators_is_shown_with_the_question_it_follows():
    turns = [MEDIATORS, "is that binding?"]
    shown = understood_turns(turns, resolve_all(turns))[-1]

    assert shown == f"is that binding? (following on from: {MEDIATORS})"
    assert "mediators change between 2019 and 2026 binding" not in shown


def test_a_well_formed_swap_is_shown_as_rewritten():
    turns = [SANTIAGO, "and in 2019?"]
    shown = understood_turns(turns, [resolve(t, turns[:j], MEETINGS) for j, t in enumerate(turns)])
    assert shown == [SANTIAGO, "What did the 2019 meeting say about early warning?"]


def test_a_question_that_leans_on_nothing_is_shown_as_it_is():
    assert understood_turns(["and funding?"], ["and funding?"]) == ["and funding?"]
    turns = [SANTIAGO, "What are the four pillars?"]
    assert understood_turns(turns, turns) == turns


def test_the_context_shown_is_the_previous_turn_as_typed_when_it_was_itself_shown_with_context():
    turns = ["how many members does the network have?", "and how many were there at the start?", "are they looking?"]
    rewrites = resolve_all(turns)

    shown = understood_turns(turns, rewrites)

    assert shown[1] == following_on(turns[1], turns[0])
    assert shown[2] == following_on(turns[2], turns[1])  # no nested parentheses
    assert shown[2].count("(following on from:") == 1


def test_a_swap_of_a_garbled_rewrite_is_not_shown():
    turns = [MEDIATORS, "is that binding?", "and in 2019?"]
    shown = understood_turns(turns, resolve_all(turns))
    assert "binding?" not in shown[2].split("(following on from:")[0]
    assert shown[2] == following_on("and in 2019?", "is that binding?")


def test_empty_turns_are_skipped_when_finding_the_previous_question():
    turns = [SANTIAGO, "", "and in 2019?"]
    rewrites = [SANTIAGO, "", "What did the 2019 meeting say about early warning?"]
    assert understood_turns(turns, rewrites)[-1] == rewrites[-1]


def test_the_rule_condenser_shows_its_rewrite_only_when_well_formed():
    condenser = RuleCondenser(MEETINGS)
    for question, previous, expected in [
        ("is that binding?", MEDIATORS, f"is that binding? (following on from: {MEDIATORS})"),
        ("same question for nairobi", SANTIAGO, "What did Nairobi say about early warning?"),
        ("What are the four pillars?", SANTIAGO, "What are the four pillars?"),
    ]:
        standalone = condenser.condense(question, [previous])
        assert condenser.understood_as(question, [previous], standalone) == expected


class _Model:
    """A model server's client: a fixed reply, or an error."""

    def __init__(self, reply: str | None) -> None:
        self.reply = reply

    def predict(self, *args: object, **kwargs: object) -> str:
        if self.reply is None:
            raise ConnectionError("down")
        return self.reply


def test_a_models_rewrite_is_shown_as_it_is_and_the_rules_fallback_only_when_well_formed():
    fluent = LLMCondenser(_Model("Is the guidance on women mediators binding?"))  # type: ignore[arg-type]
    standalone = fluent.condense("is that binding?", [MEDIATORS])
    assert fluent.understood_as("is that binding?", [MEDIATORS], standalone) == standalone

    down = LLMCondenser(_Model(None))  # type: ignore[arg-type]
    standalone = down.condense("is that binding?", [MEDIATORS])
    assert down.understood_as("is that binding?", [MEDIATORS], standalone) == following_on(
        "is that binding?", MEDIATORS
    )


def resolve_all(turns: list[str]) -> list[str]:
    return [resolve(t, turns[:j]) for j, t in enumerate(turns)]
