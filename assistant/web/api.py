"""JSON API: the same :class:`Answer` as the CLI and the chat, plus documents, health, feedback and the
views (:mod:`assistant.web.views_api`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, PlainTextResponse
from fastapi.sse import EventSourceResponse, ServerSentEvent
from pydantic import BaseModel, Field

from assistant.feedback import FeedbackRecord, FeedbackStore
from assistant.index.errors import IndexUnavailableError, damaged, store_failure
from assistant.index.integrity import damage
from assistant.pipeline.assistant import Assistant
from assistant.pipeline.host import AssistantHost, IndexStatus, LiveViews
from assistant.pipeline.plan.question import QuestionError, check_question, clean_text, recent_turns
from assistant.schema import Answer, Filters, SentenceCheck
from assistant.settings import Settings
from assistant.web.asking import QuestionService
from assistant.web.ratelimit import RateLimiter
from assistant.web.security import Access, Guards
from assistant.web.views_api import build_views_router


class AskRequest(BaseModel):
    question: str = Field(description="The question, in plain language.")
    history: list[str] = Field(default_factory=list, description="Earlier user questions, oldest first.")
    doc_ids: list[str] = Field(default_factory=list, description="Only these documents.")
    sections: list[str] = Field(default_factory=list, description="Only these sections.")


class FeedbackRequest(BaseModel):
    rating: Literal["up", "down"]
    answer: Answer = Field(description="The answer object being rated, as /api/ask returned it (with its id).")
    comment: str = Field("", max_length=2000)


# Sent with every 503: the index or the store is expected back (rebuilt, restarted) without our help.
RETRY_AFTER_SECONDS = "10"
UNAVAILABLE = "The index is missing, being built, damaged, or its store unreachable"


def _responses(*codes: int) -> dict:
    meaning = {
        400: "Empty or oversized question or history turn",
        401: "Credentials needed or not valid (WPS_API_KEY, trusted user header, admin token)",
        403: "Not allowed (administration disabled or needs the admin token; answer not given by this server)",
        413: "Request body over WPS_MAX_BODY_BYTES / WPS_MAX_FEEDBACK_BYTES",
        429: "Over WPS_RATE_LIMIT_PER_MINUTE; see the Retry-After header",
        503: f"Over the time budget (WPS_REQUEST_TIMEOUT_SECONDS), or: {UNAVAILABLE}; see the Retry-After header",
    }
    return {code: {"description": meaning[code]} for code in codes}


def build_api(
    host: AssistantHost,
    feedback: FeedbackStore,
    questions: QuestionService | None = None,
    access: Access | None = None,
    limiter: RateLimiter | None = None,
) -> FastAPI:
    """A sub-application mounted at /api, so CORS applies to the API only, not to the chat page.

    Every endpoint reads the host's current assistant, so it follows a new index generation."""
    settings = host.settings
    questions = questions or QuestionService(host)
    access = access or Access(settings)
    limiter = limiter or RateLimiter(settings.rate_limit_per_minute)
    guards = Guards(access)
    reader = [Depends(guards.reader)]
    api = FastAPI(
        title="WPS Communiqué Assistant API",
        version="0.1.0",
        description="Cited answers from the communiqués of the WPS Focal Points Network.",
    )
    if settings.allowed_origins:
        api.add_middleware(
            CORSMiddleware,
            allow_origins=settings.allowed_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "Authorization"],
        )

    # The views read the live generation on every request (503 while the index cannot answer).
    api.include_router(build_views_router(LiveViews(host), settings), dependencies=reader)

    @api.exception_handler(IndexUnavailableError)
    async def unavailable(request: Request, exc: IndexUnavailableError) -> JSONResponse:
        return JSONResponse(
            status_code=503,
            content={"detail": str(exc), "state": exc.state},
            headers={"Retry-After": RETRY_AFTER_SECONDS},
        )

    @api.post(
        "/ask",
        response_model=Answer,
        dependencies=[*reader, Depends(limiter.dependency(access))],
        responses=_responses(400, 401, 413, 429, 503),
    )
    async def ask(request: AskRequest) -> Answer:
        try:
            filters = Filters(tuple(request.doc_ids), tuple(request.sections))
            return await questions.ask_in_pool(request.question, request.history, filters, "api")
        except QuestionError as exc:
            raise HTTPException(status_code=400, detail=str(exc)) from exc

    def checked(request: AskRequest) -> AskRequest:
        """A bad question (or history) is refused with 400, an unavailable index with 503, before any event
        is sent."""
        try:
            check_question(request.question, settings)
            recent_turns(request.history, settings)
        except QuestionError as exc:
            raise HTTPException(status_code=400, detail=str(exc)) from exc
        host.current()  # an index that cannot answer is a 503 before the stream starts
        return request

    @api.post(
        "/ask/stream",
        response_class=EventSourceResponse,
        dependencies=[*reader, Depends(limiter.dependency(access))],
        responses=_responses(400, 401, 413, 429, 503),
    )
    # Depends as a default, not in Annotated: with postponed annotations FastAPI cannot resolve a
    # dependency defined in this function.
    def ask_stream(request: AskRequest = Depends(checked)) -> Iterator[ServerSentEvent]:  # noqa: B008
        """Server-sent events: ``token`` ({"text"}) as a language model writes; ``check`` (a sentence
        check: ``index``, ``sentence``, ``kept``, ``citations``, ``sources``, ``kind``, ``detail``) as
        each sentence is checked against its sources (a later one with the same ``index`` replaces it);
        then one ``answer`` (the answer object, checked: it replaces the streamed text, which it may
        differ from)."""
        filters = Filters(tuple(request.doc_ids), tuple(request.sections))
        for event in questions.ask_stream(request.question, request.history, filters, "api"):
            if isinstance(event, Answer):
                yield ServerSentEvent(event="answer", data=event)
            elif isinstance(event, SentenceCheck):
                yield ServerSentEvent(event="check", data=event)
            else:
                yield ServerSentEvent(event="token", data={"text": event})

    @api.get("/health", responses={503: {"description": UNAVAILABLE}})
    async def health(
        probe: bool = Query(False, description="Also have the language model write a few tokens now, to time it."),
    ) -> JSONResponse:
        """200 with the index's figures when it answers; 503 with its state and what to do when not.

        ``llm`` names the model server, the model configured and those the server lists, whether it is
        up, and its speed over the recent answers; with ``probe=true``, also a few tokens written now
        (one probe at a time, its result reused for 30 s).

        The store is read for it (the pointer, the live generation, a check of the embedded files), so
        a damaged or replaced index shows here as it does to questions. Open to all (for load balancers),
        whatever the reading rule: it reveals counts and states, never a path."""
        status, assistant = await run_in_threadpool(_checked, host)
        if not status.ready or assistant is None:
            body = {
                "status": status.state,
                "detail": _without_paths(status.message, settings),
                "store": _store_state(status.state),
            }
            return JSONResponse(status_code=503, content=body, headers={"Retry-After": RETRY_AFTER_SECONDS})
        server = assistant.model_server
        return JSONResponse(
            {
                "status": "ok",
                "store": "ok",
                "generation": assistant.store.generation,
                # Which generation, not just its number: a rebuilt index has another id.
                "index_id": str(getattr(assistant.store.collection, "id", "")),
                "documents": len(assistant.documents()),
                "passages": len(assistant.retriever.shared.passages),
                "model": assistant.embed_model.model_name,
                # The assistant answers (extractively) whatever state the model server is in.
                "llm": await run_in_threadpool(server.health, probe) if server else {"mode": "off"},
            }
        )

    @api.get("/documents", dependencies=reader, responses=_responses(401, 503))
    async def documents() -> list[dict]:
        return host.documents()

    @api.get("/documents/{doc_id}/paragraphs", dependencies=reader, responses=_responses(401, 503))
    async def paragraphs(doc_id: str) -> list[dict]:
        found = await run_in_threadpool(host.paragraphs, doc_id)
        if not found:
            raise HTTPException(status_code=404, detail=f"No indexed document {clean_text(doc_id)!r}")
        return found

    @api.post(
        "/feedback",
        status_code=201,
        dependencies=[*reader, Depends(limiter.dependency(access, "feedback"))],
        responses=_responses(401, 403, 413, 429),
    )
    async def add_feedback(request: FeedbackRequest) -> dict:
        """Thumbs up/down on an answer this server gave (its signed ``id`` must match its content)."""
        if not questions.ids.issued(request.answer):
            raise HTTPException(
                status_code=403,
                detail="Feedback is recorded only for answers this server gave: "
                "this answer's id is missing, unknown, or does not match the answer.",
            )
        record = FeedbackRecord.from_answer(request.answer, request.rating, clean_text(request.comment))
        await run_in_threadpool(feedback.add, record)
        return {"status": "recorded"}

    @api.get(
        "/feedback",
        response_class=PlainTextResponse,
        dependencies=[Depends(guards.admin)],
        responses=_responses(401, 403),
    )
    async def export_feedback() -> PlainTextResponse:
        """All feedback as JSON Lines (one record a line), for export. Needs the admin token."""
        text = await run_in_threadpool(feedback.export)
        return PlainTextResponse(text, media_type="application/x-ndjson")

    return api


def _checked(host: AssistantHost) -> tuple[IndexStatus, Assistant | None]:
    """The index's status after reading the store itself, and the assistant answering now (if any)."""
    status = host.probe()
    if status.ready and host.follow:
        host.check()  # reads the pointer: a replaced or damaged store shows here
        status = host.status()
    if not status.ready:
        return status, None
    try:
        assistant = host.current()
        reason = damage(host.settings)
        if reason is not None:
            raise damaged(host.settings, reason)
        assistant.store.collection.count()  # one real read of the live generation
    except Exception as exc:
        failure = store_failure(exc, host.settings)
        if failure is None:
            raise
        return IndexStatus(failure.state, str(failure), status.generation), None
    return status, assistant


def _without_paths(message: str, settings: Settings) -> str:
    """The open health check names the index folder by its setting, never by its path on the server."""
    paths = {str(settings.index_dir.resolve()), str(settings.index_dir)}
    for path in sorted((p for p in paths if "/" in p), key=len, reverse=True):
        message = message.replace(path, "WPS_INDEX_DIR")
    return message


def _store_state(state: str) -> str:
    """The store's own state behind an index state (the index can be missing in a store that is fine)."""
    return {"unreachable": "unreachable", "damaged": "damaged"}.get(state, "ok")
