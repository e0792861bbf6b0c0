"""Bounds on one request, so that no single client can hold memory or a worker for long.

:class:`BodyLimitMiddleware` refuses a body larger than ``WPS_MAX_BODY_BYTES`` (``WPS_MAX_FEEDBACK_BYTES``
on ``POST /api/feedback``) with 413 before reading it: at once from ``Content-Length``, and for a
chunked body as soon as the bytes received pass the limit. Starlette and uvicorn set no such limit
(Starlette bounds only multipart parts), so this is plain ASGI.

:class:`TimeBudgetMiddleware` answers 503 when a request has not started its response within
``WPS_REQUEST_TIMEOUT_SECONDS``. A question runs in a worker thread that cannot be interrupted, so the
work is left to finish in the background and its late response is dropped; what the budget protects is
the client (a clear message instead of a hung connection) and the proxy's connection slots. Streams
(Gradio's queue events) start their response at once and are not cut.
"""

from __future__ import annotations

import asyncio
import logging
import math

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.web.security import Denied, route_path

log = logging.getLogger(__name__)

FEEDBACK_PATH = "/api/feedback"


async def read_body(receive: Receive, limit: int | None = None) -> bytes | None:
    """The whole request body; None if the client went away or the body passed ``limit``."""
    chunks, size, more = [], 0, True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if limit is not None and size > limit:
            return None
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


def replaying(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands the app a body already read, then defers to the real one."""
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if replayed:
            return await receive()
        replayed = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


def too_large(limit: int) -> Denied:
    return Denied(413, f"The request is too large: the limit is {limit:,} bytes.")


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int, feedback_max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.feedback_max_bytes = feedback_max_bytes

    def limit(self, scope: Scope) -> int:
        return self.feedback_max_bytes if route_path(scope).rstrip("/") == FEEDBACK_PATH else self.max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.limit(scope)
        headers = Headers(scope=scope)
        declared = headers.get("content-length")
        if declared is not None:
            # The server delivers exactly the declared length, so the header is all there is to check.
            if not declared.isdigit() or int(declared) > limit:
                return await too_large(limit).response()(scope, receive, send)
            return await self.app(scope, receive, send)
        if "chunked" not in headers.get("transfer-encoding", "").lower():
            return await self.app(scope, receive, send)  # no body
        # A chunked body of unknown length: take it in, up to the limit, before the app sees any of it.
        body = await read_body(receive, limit)
        if body is None:
            return await too_large(limit).response()(scope, receive, send)
        await self.app(scope, replaying(body, receive), send)


class TimeBudgetMiddleware:
    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds
        self._abandoned: set[asyncio.Task] = set()  # kept referenced until they finish

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = asyncio.Event()
        timed_out = False

        async def guarded_send(message: Message) -> None:
            if timed_out:
                return  # the client already has its 503
            if message["type"] == "http.response.start":
                started.set()
            await send(message)

        task = asyncio.ensure_future(self.app(scope, receive, guarded_send))
        waiter = asyncio.ensure_future(started.wait())
        try:
            await asyncio.wait({task, waiter}, timeout=self.seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            waiter.cancel()
        if not (started.is_set() or task.done()):
            timed_out = True
            self._abandoned.add(task)
            task.add_done_callback(self._finished)
            retry = str(math.ceil(self.seconds))
            denied = Denied(
                503, f"The request took longer than {self.seconds:g} s; please try again.", {"Retry-After": retry}
            )
            return await denied.response()(scope, receive, send)
        await task

    def _finished(self, task: asyncio.Task) -> None:
        self._abandoned.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("a request finished with an error after its time budget: %r", task.exception())
