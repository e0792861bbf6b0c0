"""One process: the chat at ``/``, the same chat without chrome at ``/embed``, the JSON API at ``/api``."""

from __future__ import annotations

import asyncio
import atexit
import logging
import logging.handlers
import queue
import threading

import gradio as gr
import uvicorn
from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from assistant.feedback import FeedbackStore
from assistant.pipeline.assistant import Assistant
from assistant.pipeline.host import AssistantHost
from assistant.settings import Settings
from assistant.web.api import build_api
from assistant.web.asking import QuestionService
from assistant.web.framing import EmbedRefusalMiddleware, startup_notice
from assistant.web.limits import BodyLimitMiddleware, TimeBudgetMiddleware
from assistant.web.question_log import LOGGER
from assistant.web.ratelimit import GradioRateLimitMiddleware, RateLimiter
from assistant.web.security import Access, GradioAccessMiddleware, TrustedHeaderMiddleware
from assistant.web.ui import CSS, EMBED_CSS, HEAD, build_ui, feedback_events, question_events, theme
from assistant.web.unicode import CleanJSONMiddleware

log = logging.getLogger(__name__)


def create_app(source: Assistant | AssistantHost, feedback: FeedbackStore | None = None) -> FastAPI:
    """The app over a host that follows the index, or over one fixed assistant (tests, benchmarks)."""
    host = source if isinstance(source, AssistantHost) else AssistantHost.fixed(source)
    settings = host.settings
    feedback = feedback or FeedbackStore(settings.feedback_file)
    access = Access(settings)
    limiter = RateLimiter(settings.rate_limit_per_minute)
    questions = QuestionService(host, limiter=limiter, access=access)
    app = FastAPI(title="WPS Communiqué Assistant", docs_url=None, redoc_url=None, openapi_url=None)
    app.mount("/api", build_api(host, feedback, questions, access, limiter))

    @app.get("/embed", include_in_schema=False)
    async def embed_slash() -> RedirectResponse:
        return RedirectResponse(url=f"{settings.root_path}/embed/")

    # The URL prefix reaches Gradio through the ASGI scope (uvicorn's root_path, see ``serve``): set on
    # the mounts themselves it would also be stripped from paths that never carried it. No route of
    # the chat takes files: uploads are refused in front of Gradio and limited to 0 bytes inside it.
    # Gradio's "Use via API" panel lists every event of the page: shown only when WPS_API_PANEL says so.
    common = {
        "theme": theme(),
        "footer_links": ["api"] if settings.api_panel else [],
        "max_file_size": 0,
        "head": HEAD,
    }
    queue = {
        "default_concurrency_limit": settings.concurrency_limit,
        "api_open": False,
        "max_size": settings.chat_queue_size,
    }
    embed = build_ui(host, feedback, embed=True, questions=questions).queue(**queue)
    chat = build_ui(host, feedback, questions=questions).queue(**queue)
    for blocks in (embed, chat):
        # Gradio keeps every session's copy of the page's values (~0.1 MB with the views' tabs) for up
        # to 10,000 sessions: 1 GB. Bounded here; the least recently used session goes first.
        blocks.state_session_capacity = settings.chat_sessions
    app = gr.mount_gradio_app(app, embed, path="/embed", css=EMBED_CSS, **common)
    app = gr.mount_gradio_app(app, chat, path="/", css=CSS, **common)

    # Middleware, innermost first (each add_middleware wraps the ones before): the backstop rate limit
    # on Gradio's queue; JSON bodies without lone surrogates; the time budget; the body limit; who may
    # read at all; the client named by X-Forwarded-For (from the named proxies only); the trusted user
    # header refused from any other peer (before that rewriting, so on the real peer address); the
    # headers every response carries (so that refusals carry them too).
    app.add_middleware(
        GradioRateLimitMiddleware,
        limiter=RateLimiter(2 * settings.rate_limit_per_minute),  # a backstop: the chat counts its own
        access=access,
        questions={"": question_events(chat), "/embed": question_events(embed)},
        events={"": set(chat.fns), "/embed": set(embed.fns)},
        feedback={"": feedback_events(chat), "/embed": feedback_events(embed)},
        feedback_limiter=limiter,  # the allowance of POST /api/feedback: one limit for every way
    )
    app.add_middleware(CleanJSONMiddleware, max_depth=settings.max_json_depth)
    app.add_middleware(TimeBudgetMiddleware, seconds=settings.request_timeout_seconds)
    app.add_middleware(
        BodyLimitMiddleware, max_bytes=settings.max_body_bytes, feedback_max_bytes=settings.max_feedback_bytes
    )
    app.add_middleware(GradioAccessMiddleware, access=access)
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.forwarded_allow_ips)
    app.add_middleware(TrustedHeaderMiddleware, access=access)
    app.add_middleware(FramingHeadersMiddleware, frame_ancestors=settings.frame_ancestors)
    app.add_middleware(EmbedRefusalMiddleware, frame_ancestors=settings.frame_ancestors)
    app.state.open_streams = OpenStreams()
    app.add_middleware(OpenStreamsMiddleware, streams=app.state.open_streams)
    return app


class OpenStreams:
    """Set when the server stops: every open response (a tab's heartbeat and event streams, which never
    end by themselves) is then told its client has gone, so it ends cleanly instead of holding the stop."""

    def __init__(self) -> None:
        self._stopping: asyncio.Event | None = None

    @property
    def stopping(self) -> asyncio.Event:
        if self._stopping is None:
            self._stopping = asyncio.Event()
        return self._stopping

    def stop(self) -> None:
        self.stopping.set()


class OpenStreamsMiddleware:
    def __init__(self, app: ASGIApp, streams: OpenStreams) -> None:
        self.app = app
        self.streams = streams

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        stopping = self.streams.stopping

        async def until_stopped() -> Message:
            if stopping.is_set():
                return {"type": "http.disconnect"}
            message = asyncio.ensure_future(receive())
            stop = asyncio.ensure_future(stopping.wait())
            try:
                await asyncio.wait({message, stop}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                stop.cancel()
            if message.done():
                return message.result()
            message.cancel()
            return {"type": "http.disconnect"}

        await self.app(scope, until_stopped, send)


class FramingHeadersMiddleware:
    """Who may frame the app is the intranet's choice (CSP frame-ancestors); X-Frame-Options would
    override nothing useful and block legitimate embedding, so it is never sent."""

    def __init__(self, app: ASGIApp, frame_ancestors: str) -> None:
        self.app = app
        self.policy = f"frame-ancestors {frame_ancestors}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Content-Security-Policy"] = self.policy
                if "x-frame-options" in headers:
                    del headers["x-frame-options"]
                headers.setdefault("X-Content-Type-Options", "nosniff")
            await send(message)

        await self.app(scope, receive, with_headers)


def start_host(settings: Settings, embed_model=None) -> AssistantHost:
    """The host over the live index, following it; with ``ingest_on_start``, an ingest in the background.

    The app serves at once: from the live generation while the ingest runs (it switches when done), or
    with a "being built" notice when there is none yet. A damaged or unreachable store does not stop
    the app either: it answers 503 with what to do, and recovers by itself once the store is back.
    """
    from assistant.index.embeddings import MiniLMEmbedding

    host = AssistantHost(settings, embed_model or MiniLMEmbedding.from_settings(settings)).start()
    if not host.status().ready:
        print(host.status().message, flush=True)
    if settings.ingest_on_start:
        threading.Thread(target=_ingest, args=(host,), name="ingest-on-start", daemon=True).start()
    return host


def _ingest(host: AssistantHost) -> None:
    from assistant.index.errors import IndexUnavailableError, store_failure
    from assistant.index.lock import IngestLockedError
    from assistant.ingest.pipeline import CorpusEmptyError, CorpusMissingError, ingest_corpus

    host.ingest_started(f"The index is being built from {host.settings.corpus_dir}; answers start when it finishes.")
    try:
        report = ingest_corpus(host.settings, host.embed_model, show_progress=False, wait_seconds=0, e5=host.e5_model())
        print(report.summary(), flush=True)
    except (IndexUnavailableError, IngestLockedError, CorpusMissingError, CorpusEmptyError) as exc:
        print(f"ingest on start: {exc}", flush=True)
    except Exception as exc:  # the app keeps serving whatever the ingest met
        failure = store_failure(exc, host.settings)
        if failure is None:
            log.exception("ingest on start failed")
        else:
            print(f"ingest on start: {failure}", flush=True)
    finally:
        host.ingest_finished()


def serve(settings: Settings) -> None:
    """Serve until interrupted, following the index (and bringing it up to date first, if enabled)."""
    host = start_host(settings)
    print(f"WPS Communiqué Assistant on http://{settings.host}:{settings.port}{settings.root_path}/", flush=True)
    print(startup_notice(settings.frame_ancestors), flush=True)
    log_questions_to_stderr()
    app = create_app(host)
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        root_path=settings.root_path,
        # The app reads X-Forwarded-For itself, after checking the real peer (TrustedHeaderMiddleware).
        proxy_headers=False,
        # Whatever still runs this long after SIGTERM is cancelled: an orchestrator's stop never ends
        # in SIGKILL.
        timeout_graceful_shutdown=settings.shutdown_seconds,
        log_level="warning",
    )
    try:
        StoppingServer(config, app.state.open_streams).run()
    except KeyboardInterrupt:
        pass  # Ctrl-C or SIGINT: a normal stop, as uvicorn.run treats it
    finally:
        host.stop()


class StoppingServer(uvicorn.Server):
    """uvicorn's server, which first ends the open streams when it stops (see :class:`OpenStreams`)."""

    def __init__(self, config: uvicorn.Config, streams: OpenStreams) -> None:
        super().__init__(config)
        self.streams = streams

    async def shutdown(self, sockets=None) -> None:
        self.streams.stop()
        await super().shutdown(sockets)


def log_questions_to_stderr() -> None:
    """The per-question log lines (assistant.web.question_log) on standard error, once."""
    logger = logging.getLogger(LOGGER)
    logger.setLevel(logging.INFO)
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        # Through a queue and one writer thread: a question's thread only enqueues its line, so a slow
        # standard error (a pipe its reader drains late) never holds questions behind the handler's lock.
        lines: queue.SimpleQueue = queue.SimpleQueue()
        writer = logging.handlers.QueueListener(lines, handler)
        writer.start()
        atexit.register(writer.stop)  # the last lines are written before the process ends
        logger.addHandler(logging.handlers.QueueHandler(lines))
