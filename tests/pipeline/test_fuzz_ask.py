"""Fuzzing ``Assistant.ask`` with hypothesis: whatever the question, history and filters, the answer
is an :class:`Answer` (serialisable, its quotes inside their paragraphs) or a :class:`QuestionError`
with a message — the one documented error. Bounded by the number of examples (~10 s here)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.pipeline.plan.question import QuestionError
from assistant.schema import Filters
from tests.fuzz import DOC_IDS, HISTORIES, QUESTIONS, SECTIONS

pytestmark = pytest.mark.integration


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    question=QUESTIONS,
    history=HISTORIES,
    doc_ids=DOC_IDS,
    sections=SECTIONS,
    paragraphs=st.lists(st.integers(-(2**70), 2**70), max_size=3),
)
def test_ask_gives_an_answer_or_a_question_error_whatever_it_is_sent(
    shipped, question, history, doc_ids, sections, paragraphs
):
    filters = Filters(tuple(doc_ids), tuple(sections), tuple(paragraphs))
    try:
        answer = shipped.ask(question, history, filters)
    except QuestionError as exc:
        assert str(exc)
        return
    answer.model_dump_json().encode("utf-8")
    for citation in answer.citations:
        assert citation.quote in citation.text
        assert f"[{citation.n}]" in answer.answer
