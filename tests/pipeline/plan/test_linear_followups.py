"""Follow-up resolution is one pass over the history and gives what the recursive rules gave.

The recursive definitions below are the former ``resolve`` and ``QuestionPlanner.named_documents``,
kept here as the oracle: on conversations drawn from real questions, follow-ups and empty turns, the
linear versions must agree with them exactly; on very long conversations they must not recurse.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.pipeline.plan import condense
from assistant.pipeline.plan.acronyms import Acronyms
from assistant.pipeline.plan.condense import RuleCondenser, resolve, resolved_turns
from assistant.pipeline.plan.planner import QuestionPlanner
from assistant.pipeline.plan.steer import DocumentSteering
from tests.pipeline.plan.test_steer import DOCS

pytestmark = pytest.mark.unit

planner = QuestionPlanner(RuleCondenser(), Acronyms([]), DocumentSteering(DOCS))

TURNS = [
    "What does the communiqué say about gender-sensitive early warning?",
    "What did the Nairobi communiqué recommend on financing?",
    "What did the Rome meeting say about early warning?",
    "How much has the Network grown?",
    "What are the four pillars of the WPS agenda?",
    "and what about funding for it?",
    "and who pays for it?",
    "what about monitoring?",
    "What is its budget?",
    "Who should implement it?",
    "And what target did the Santiago meeting set on the same issue?",
    "Which countries did that meeting say would co-chair in 2024?",
    "What else did the same communiqué recommend?",
    "Who was the Secretariat there?",
    "How did the 2024 and 2026 meetings differ on financing?",
    "and funding?",
    "Why?",
    "",
    "   ",
    "  and   what about   youth? ",
    "and in 2019?",
    "what about now",
    "same question for santiago",
    "What about Sweden?",
    "How many members were there in 2022?",
    "What did Colombia pledge?",
]
ENTITIES = frozenset({"santiago", "nairobi", "rome", "seventh", "eighth"})


def recursive_resolve(question: str, history: list[str] | None = None, entities: frozenset[str] = frozenset()) -> str:
    question = " ".join(question.split())
    turns = [" ".join(h.split()) for h in (history or []) if h and h.strip()]
    if not turns or not condense.is_elliptical(question):
        return question
    return condense._rewrite(question, recursive_resolve(turns[-1], turns[:-1], entities), entities)


def recursive_named(question: str, history: list[str], standalone: str | None = None) -> list[str]:
    resolved = standalone if standalone is not None else planner.normalized(recursive_resolve(question, history))
    own = planner.steering.named(resolved)
    if history and (condense.refers_to_previous_document(question) or (not own and condense.is_elliptical(question))):
        return recursive_named(history[-1], history[:-1]) or own
    return own


conversations = st.lists(st.sampled_from(TURNS), max_size=12)


@settings(max_examples=300, deadline=None)
@given(history=conversations, question=st.sampled_from(TURNS))
def test_linear_resolution_gives_what_the_recursive_rules_gave(history, question):
    assert resolve(question, history) == recursive_resolve(question, history)
    assert resolve(question, history, ENTITIES) == recursive_resolve(question, history, ENTITIES)
    assert resolved_turns(history) == [recursive_resolve(h, history[:j]) for j, h in enumerate(history)]


@settings(max_examples=300, deadline=None)
@given(history=conversations, question=st.sampled_from(TURNS))
def test_linear_document_carry_over_gives_what_the_recursive_rules_gave(history, question):
    standalone = resolve(question, history)
    assert planner.named_documents(question, history, standalone) == recursive_named(question, history, standalone)
    assert planner.named_documents(question, history) == recursive_named(question, history)


def test_chains_longer_than_the_recursion_limit_resolve():
    # Each follow-up leans on the one before, 300 deep, with fewer than 300 frames of stack left to the
    # rules (the recursion limit is lowered to what this test already uses plus 150): one frame a turn,
    # as the recursive rules took, fails here. The limit is lowered rather than the chain made longer
    # than the default limit of 1,000: the resolved question grows turn by turn, so a 1,200-turn chain
    # took 6 s, this one a tenth of that. A chain like this is why Assistant.ask keeps only the last
    # WPS_MAX_HISTORY_TURNS turns; here the rules themselves are exercised, uncut.
    history = ["What did the Rome meeting say about early warning?"] + ["and what about funding for it?"] * 300

    with stack_left(150):
        standalone = resolve("and who pays for it?", history)
        named = planner.named_documents("Who was the Secretariat there?", history)
        with pytest.raises(RecursionError):  # the oracle, recursive, cannot
            recursive_resolve("and who pays for it?", history)

    assert "early warning" in standalone
    assert named == ["rome"]


@contextmanager
def stack_left(frames: int) -> Iterator[None]:
    """Python's recursion limit set to the frames in use here plus ``frames``, restored after."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack(0)) + frames)
    try:
        yield
    finally:
        sys.setrecursionlimit(limit)
