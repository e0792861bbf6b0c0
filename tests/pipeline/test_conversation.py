"""A follow-up whose rewrite is not shown is searched with the conversation: the embedding mix and the plan."""

from __future__ import annotations

import numpy as np
import pytest
from llama_index.core.schema import QueryBundle

from assistant.pipeline.acronyms import Acronyms
from assistant.pipeline.condense import RuleCondenser
from assistant.pipeline.plan import Conversation, QuestionPlanner
from assistant.pipeline.retrieve import conversation_embedding, searched_with
from assistant.pipeline.steer import DocumentSteering
from tests.pipeline.test_steer import DOCS

pytestmark = pytest.mark.unit

MEDIATORS = "How did the position on women mediators change between 2019 and 2026?"
planner = QuestionPlanner(RuleCondenser(), Acronyms([]), DocumentSteering(DOCS))


def test_the_conversation_embedding_is_unit_length_and_between_its_two_questions():
    own, previous = np.array([3.0, 0.0, 0.0]), np.array([0.0, 2.0, 0.0])

    mixed = conversation_embedding(own, previous, 0.5)

    assert np.isclose(np.linalg.norm(mixed), 1.0)
    assert mixed @ (own / 3) > mixed @ (previous / 2) > 0  # the follow-up leads, the previous question counts


def test_weight_zero_searches_the_follow_up_alone_and_weight_one_both_alike():
    own, previous = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    assert np.allclose(conversation_embedding(own, previous, 0.0), own)
    assert np.allclose(conversation_embedding(own, previous, 1.0), np.array([1.0, 1.0]) / np.sqrt(2))


def test_a_bundle_names_its_two_texts_only_when_it_mixes_the_conversation():
    assert searched_with(QueryBundle("q")) is None
    assert searched_with(QueryBundle("q", custom_embedding_strs=["is it binding?", MEDIATORS])) == (
        "is it binding?",
        MEDIATORS,
    )


def test_a_follow_up_the_rules_cannot_rewrite_well_is_searched_with_the_previous_question():
    plan = planner.plan("is that binding?", [MEDIATORS])

    assert plan.conversation == Conversation("is that binding?", MEDIATORS)
    assert plan.standalone == "Is women mediators change between 2019 and 2026 binding?"  # the rules' rewrite
    assert plan.understood_as == f"is that binding? (following on from: {MEDIATORS})"
    assert "binding" in plan.query and "mediators" in plan.query  # the words searched: the rewrite's


def test_a_well_formed_swap_is_searched_as_rewritten_and_shown():
    plan = planner.plan("and in 2019?", ["What did the Nairobi meeting say about early warning?"])

    assert plan.conversation is None
    assert plan.understood_as == plan.standalone == "What did the 2019 meeting say about early warning?"


def test_a_question_of_its_own_is_searched_alone():
    plan = planner.plan("What are the four pillars?", [MEDIATORS])
    assert plan.conversation is None and plan.understood_as == "What are the four pillars?"
