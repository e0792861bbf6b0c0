"""Asking on behalf of a web surface: the answer gets its server-issued id and the question its log line.

The API and the chat both ask through :class:`QuestionService`, so both give signed answer ids and
both are logged the same way; :meth:`Assistant.ask` stays the one question path
(through the host, which follows the index). The chat also has
its questions counted here against the client's rate limit (the API counts them in a FastAPI
dependency, to answer 429): over the limit, the chat says so in the conversation, which stays shown.

The API's questions run in a thread pool of ``WPS_ASK_THREADS`` (default one per core), never on the
event loop: an answer is CPU work (embeddings, the store's search), so more questions at once than
cores only share the cores and all finish later; the rest wait their turn in order, without holding
a thread. The pool is its own, so the health check and the views never wait behind questions.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterator, Mapping, Sequence

import anyio
import anyio.to_thread

from assistant.pipeline.host import AssistantHost
from assistant.pipeline.plan.question import QuestionError, clean_text
from assistant.schema import Answer, Filters, SentenceCheck
from assistant.web.answer_ids import AnswerIds
from assistant.web.question_log import QuestionLog
from assistant.web.ratelimit import RateLimiter
from assistant.web.security import Access


class RateLimited(QuestionError):
    """Over the client's allowance of questions; the message says when to try again."""


class QuestionService:
    def __init__(
        self,
        host: AssistantHost,
        ids: AnswerIds | None = None,
        log: QuestionLog | None = None,
        limiter: RateLimiter | None = None,
        access: Access | None = None,
    ) -> None:
        self.host = host
        self.ids = ids or AnswerIds.from_settings(host.settings)
        self.log = log or QuestionLog(host.settings.log_questions)
        self.limiter = limiter
        self.access = access or Access(host.settings)
        # anyio's own limiter: waiting for a slot is on the event loop (no thread held), in order.
        self.slots = anyio.CapacityLimiter(host.settings.ask_workers)

    def client(self, headers: Mapping[str, str] | None, host: str | None) -> str | None:
        """Who asks, for the rate limit; None when no limit is set (nothing to count)."""
        if self.limiter is None or not self.limiter.enabled:
            return None
        return self.access.client(headers or {}, host)

    def ask(
        self,
        question: str,
        history: Sequence[str] | None,
        filters: Filters | None,
        surface: str,
        client: str | None = None,
    ) -> Answer:
        """Answer, issue the id, log; with ``client``, first charge the question to its allowance."""
        *_, answer = self.ask_stream(question, history, filters, surface, client)
        return answer

    async def ask_in_pool(
        self,
        question: str,
        history: Sequence[str] | None,
        filters: Filters | None,
        surface: str,
        client: str | None = None,
    ) -> Answer:
        """:meth:`ask` in the question pool (for async callers): at most ``slots`` at once."""
        call = functools.partial(self.ask, question, history, filters, surface, client)
        return await anyio.to_thread.run_sync(call, limiter=self.slots)

    def ask_stream(
        self,
        question: str,
        history: Sequence[str] | None,
        filters: Filters | None,
        surface: str,
        client: str | None = None,
    ) -> Iterator[str | SentenceCheck | Answer]:
        """:meth:`AssistantHost.ask_stream`, with the final answer's id issued and its log line written."""
        started = time.perf_counter()
        try:
            if client is not None and self.limiter is not None:
                denied = self.limiter.denied(f"question:{client}")
                if denied:
                    raise RateLimited(denied.message)
            for event in self.host.ask_stream(question, history, filters):
                if isinstance(event, Answer):
                    self.ids.issue(event)
                    self.log.answered(surface, time.perf_counter() - started, event)
                yield event
        except QuestionError as exc:
            self.log.refused(surface, time.perf_counter() - started, str(exc), clean_text(str(question or "")))
            raise
        except Exception as exc:
            self.log.failed(surface, time.perf_counter() - started, exc, clean_text(str(question or "")))
            raise
