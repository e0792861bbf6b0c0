"""Fuzzing ``POST /api/ask`` and the chat's queue over HTTP with hypothesis: bodies of any shape, lone
surrogates escaped in the JSON as a client could send them. Never a 5xx; a 200 is a valid answer
object, anything else a 4xx with a ``detail``. Bounded by the number of examples (~15 s here)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import HealthCheck, given, settings

from tests.fuzz import ASK_BODIES, HISTORIES, QUESTIONS
from tests.web import gradio_http

pytestmark = pytest.mark.integration

FIXTURES = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def http(live_app: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_app, timeout=120) as client:
        yield client


@settings(FIXTURES, max_examples=200)
@given(body=ASK_BODIES)
def test_ask_never_answers_a_5xx_whatever_the_body(http, body):
    content = json.dumps(body, ensure_ascii=True)  # lone surrogates travel as \ud800 escapes
    response = http.post("/api/ask", content=content, headers={"Content-Type": "application/json"})

    assert response.status_code < 500, response.text
    payload = response.json()
    if response.status_code == 200:
        assert {"id", "question", "answer", "citations"} <= payload.keys()
    else:
        assert response.status_code in (400, 413, 422) and payload["detail"]


@settings(FIXTURES, max_examples=40)
@given(question=QUESTIONS, history=HISTORIES)
def test_the_chat_completes_every_event_whatever_the_question(http, question, history):
    chat = [
        {"role": role, "content": [{"type": "text", "text": text}]}
        for turn in history
        for role, text in (("user", turn), ("assistant", "…"))
    ]
    session = uuid.uuid4().hex
    body = {"data": [question, chat, None, [], []], "fn_index": gradio_http.ask_event_id(http), "session_hash": session}

    joined = gradio_http.join_raw(http, json.dumps(body, ensure_ascii=True))

    assert joined.status_code == 200, joined.text
    message = gradio_http.completed(http, session)
    assert message["success"] is True, message
