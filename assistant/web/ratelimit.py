"""A per-client limit on questions (``WPS_RATE_LIMIT_PER_MINUTE``): 429 with ``Retry-After`` beyond it.

A token bucket per client (the signed-in user the trusted proxy names, else the client address):
it holds up to the limit, so a burst of that many questions passes, and refills at the limit per
minute. Buckets live in this process (replicas each count their own: behind N replicas a client gets
up to N times the limit unless the proxy keeps it on one replica), and at most ``MAX_CLIENTS`` are
kept, the least recently seen dropped first, so memory stays bounded whatever the traffic.

Questions come in by ``POST /api/ask`` (a FastAPI dependency, :meth:`RateLimiter.dependency`, 429)
and by the chat, whose handler charges the same allowance and, over it, answers in the conversation
(:class:`~assistant.web.asking.QuestionService`): a 429 on the queue would cover the chat with
Gradio's error state. :class:`GradioRateLimitMiddleware` is the backstop in front of Gradio's queue
for clients that are not the page — it counts question events joining the queue (it reads the small
JSON body of ``queue/join`` to tell a question from a click in the document browser, and Gradio's
REST routes for the ``ask`` event) against twice the allowance, and answers 429 beyond.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Collection, Mapping

from fastapi import Request
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant.web.limits import read_body, replaying
from assistant.web.security import Access, Denied, route_path

MAX_CLIENTS = 10_000
BY_NUMBER = frozenset({"/gradio_api/run/predict", "/gradio_api/api/predict"})


class RateLimiter:
    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # client → (tokens, at)
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.per_minute > 0

    def take(self, client: str) -> float | None:
        """Spend one question of ``client``'s allowance: None if allowed, else the seconds to wait."""
        if not self.enabled:
            return None
        rate = self.per_minute / 60.0
        now = self.clock()
        with self._lock:
            tokens, at = self._buckets.pop(client, (float(self.per_minute), now))
            tokens = min(float(self.per_minute), tokens + (now - at) * rate)
            allowed = tokens >= 1.0
            self._buckets[client] = (tokens - 1.0 if allowed else tokens, now)
            while len(self._buckets) > MAX_CLIENTS:
                self._buckets.popitem(last=False)
        return None if allowed else (1.0 - tokens) / rate

    def denied(self, client: str) -> Denied | None:
        wait = self.take(client)
        if wait is None:
            return None
        seconds = max(1, math.ceil(wait))
        return Denied(
            429,
            f"Too many {'feedback records' if client.startswith('feedback:') else 'questions'}: at most "
            f"{self.per_minute} a minute. Please try again in {seconds} s.",
            {"Retry-After": str(seconds)},
        )

    def dependency(self, access: Access, kind: str = "question") -> Callable:
        """A FastAPI dependency charging one ``kind`` (its own allowance) to the requesting client."""

        async def limit(request: Request) -> None:
            client = access.client(request.headers, request.client.host if request.client else None)
            denied = self.denied(f"{kind}:{client}")
            if denied:
                raise denied.exception()

        return limit


class GradioRateLimitMiddleware:
    """In front of Gradio's queue: events it does not have refused, question and feedback events counted.

    ``events`` maps a Gradio mount ("" for ``/``, "/embed") to the ids of all its events: a join naming
    anything else (an unknown number, or ``"18"`` or ``18.0``, which Gradio would coerce) is refused with
    400 before Gradio looks it up (a 500 there). ``questions`` are the question events' ids, counted
    against twice the allowance as a backstop; ``feedback`` the thumbs events' ids, counted against the
    same allowance as ``POST /api/feedback`` (``feedback_limiter``, key ``feedback:<client>``), so that
    every way of writing feedback shares one limit. ``api_names`` are the question events' names on
    Gradio's REST routes (``/gradio_api/call/ask``).
    """

    def __init__(
        self,
        app: ASGIApp,
        limiter: RateLimiter,
        access: Access,
        questions: Mapping[str, Collection[int]],
        api_names: Collection[str] = ("ask",),
        events: Mapping[str, Collection[int]] | None = None,
        feedback: Mapping[str, Collection[int]] | None = None,
        feedback_limiter: RateLimiter | None = None,
    ) -> None:
        self.app = app
        self.limiter = limiter
        self.access = access
        self.questions = questions
        self.events = events or {}
        self.feedback = feedback or {}
        self.feedback_limiter = feedback_limiter
        self.named = {
            f"/gradio_api/{route}/{name}" for route in ("call", "call/v2", "run", "api") for name in api_names
        }
        self.mounts = sorted({*questions, *self.events}, key=len, reverse=True)

    def _mount(self, path: str) -> tuple[str, str]:
        for mount in self.mounts:
            if mount and (path == mount or path.startswith(mount + "/")):
                return mount, path[len(mount) :]
        return "", path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            return await self.app(scope, receive, send)
        mount, path = self._mount(route_path(scope))
        path = path.rstrip("/")
        if path in self.named:
            return await self._charge(self.limiter, "queue", scope, receive, send)
        if path in BY_NUMBER:
            # Gradio's REST form that names an event by number reaches the page's private events too,
            # and answers a wrong body with a 500; the page itself uses the queue.
            denied = Denied(404, "Not served: events are called through the queue or by their API name.")
            return await denied.response()(scope, receive, send)
        if path != "/gradio_api/queue/join" or (mount not in self.questions and mount not in self.events):
            return await self.app(scope, receive, send)
        # The join body names the event; it is small (the body limit applies before this, and the
        # strict JSON check has read it already).
        body = await read_body(receive)
        if body is None:
            return
        replay = replaying(body, receive)
        try:
            fn_index = json.loads(body).get("fn_index")
        except (ValueError, AttributeError):
            return await self.app(scope, replay, send)  # Gradio answers malformed bodies itself
        known = self.events.get(mount)
        if fn_index is not None and known is not None and (type(fn_index) is not int or fn_index not in known):
            denied = Denied(400, "This page has no such event (fn_index); reload the page.")
            return await denied.response()(scope, replay, send)
        if fn_index in self.questions.get(mount, ()) and type(fn_index) is int:
            return await self._charge(self.limiter, "queue", scope, replay, send)
        if self.feedback_limiter is not None and type(fn_index) is int and fn_index in self.feedback.get(mount, ()):
            return await self._charge(self.feedback_limiter, "feedback", scope, replay, send)
        return await self.app(scope, replay, send)

    async def _charge(self, limiter: RateLimiter, kind: str, scope: Scope, receive: Receive, send: Send) -> None:
        if not limiter.enabled:
            return await self.app(scope, receive, send)
        client = scope.get("client")
        who = self.access.client(Headers(scope=scope), client[0] if client else None)
        denied = limiter.denied(f"{kind}:{who}")
        if denied:
            return await denied.response()(scope, receive, send)
        return await self.app(scope, receive, send)
