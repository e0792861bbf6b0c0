"""The API's questions run in a pool sized by ``WPS_ASK_THREADS``, off the event loop: a slow question
holds one slot, the others are answered beside it, and the health check never waits behind questions."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from assistant.feedback import FeedbackStore
from assistant.pipeline.assistant import Assistant
from assistant.pipeline.host import AssistantHost
from assistant.schema import Answer, Filters
from assistant.settings import Settings
from assistant.web.app import create_app
from assistant.web.asking import QuestionService
from tests.live import serve

SLOW = "What do the partners commit to on early warning?"
# Only so that a broken pool fails the test instead of hanging it: no assertion is about time.
NEVER = 120


@pytest.mark.unit
def test_the_question_pool_has_as_many_slots_as_the_ask_threads_setting():
    service = QuestionService(AssistantHost(Settings(ask_threads=3)))
    assert service.slots.total_tokens == 3


@pytest.mark.unit
def test_the_question_pool_has_one_slot_per_usable_core_by_default():
    assert Settings().ask_threads == 0
    service = QuestionService(AssistantHost(Settings()))
    assert service.slots.total_tokens == len(os.sched_getaffinity(0))


class HeldHost(AssistantHost):
    """The shipped assistant, holding the ``SLOW`` question until released; counts questions at once."""

    def __init__(self, assistant: Assistant) -> None:
        super().__init__(assistant.settings, assistant.embed_model, assistant=assistant, follow=False)
        self.slow_started = threading.Event()
        self.release = threading.Event()
        self.running = 0
        self.most_at_once = 0
        self._counting = threading.Lock()

    def ask_stream(
        self, question: str, history: Sequence[str] | None = None, filters: Filters | None = None
    ) -> Iterator[str | Answer]:
        with self._counting:
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        try:
            if question == SLOW:
                self.slow_started.set()
                self.release.wait(NEVER)
            yield from super().ask_stream(question, history, filters)
        finally:
            with self._counting:
                self.running -= 1


def _held(shipped: Assistant, tmp_path: Path, threads: int) -> HeldHost:
    settings = shipped.settings.model_copy(update={"ask_threads": threads})
    return HeldHost(replace(shipped, settings=settings))


@pytest.mark.integration
def test_twenty_questions_are_answered_while_a_slow_one_holds_its_slot(shipped: Assistant, tmp_path: Path, questions):
    host = _held(shipped, tmp_path, threads=2)
    asked = [q["question"] for q in questions if not q.get("history") and q["question"] != SLOW][:20]
    assert len(asked) == 20
    with (
        serve(create_app(host, FeedbackStore(tmp_path / "feedback.jsonl"))) as url,
        httpx.Client(base_url=url, timeout=NEVER) as client,
        ThreadPoolExecutor(21) as clients,
    ):
        slow = clients.submit(client.post, "/api/ask", json={"question": SLOW})
        assert host.slow_started.wait(NEVER)
        responses = list(clients.map(lambda q: client.post("/api/ask", json={"question": q}), asked))
        assert [r.status_code for r in responses] == [200] * 20
        assert all(r.json()["answer"] for r in responses)
        assert not slow.done()  # the twenty were answered beside it, not after it
        host.release.set()
        assert slow.result(NEVER).status_code == 200
    # The pool bounds the questions at once: the slow one and one other (never all twenty-one).
    assert host.most_at_once == 2


@pytest.mark.integration
def test_the_health_check_answers_while_every_question_slot_is_taken(shipped: Assistant, tmp_path: Path):
    host = _held(shipped, tmp_path, threads=1)
    with (
        serve(create_app(host, FeedbackStore(tmp_path / "feedback.jsonl"))) as url,
        httpx.Client(base_url=url, timeout=NEVER) as client,
        ThreadPoolExecutor(1) as clients,
    ):
        slow = clients.submit(client.post, "/api/ask", json={"question": SLOW})
        assert host.slow_started.wait(NEVER)
        assert client.get("/api/health").status_code == 200
        assert client.get("/api/documents").status_code == 200
        assert not slow.done()
        host.release.set()
        assert slow.result(NEVER).status_code == 200
