"""JSON API: the same :class:`Answer` as the CLI and the chat, plus documents, health, feedback and the
views (:mod:`assistant.web.views_api`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from fastapi import Depends, FastAPI, HTTPException
from fastapi.concurrency import run_in_threadpool
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import PlainTextResponse
from fastapi.sse import EventSourceResponse, ServerSentEvent
from pydantic import BaseModel, Field

from assistant.feedback import FeedbackRecord, FeedbackStore
from assistant.pipeline.assistant import Assistant
from assistant.pipeline.question import QuestionError, check_question
from assistant.schema import Answer, Filters
from assistant.web.views_api import build_views_router


class AskRequest(BaseModel):
    question: str = Field(description="The question, in plain language.")
    history: list[str] = Field(default_factory=list, description="Earlier user questions, oldest first.")
    doc_ids: list[str] = Field(default_factory=list, description="Only these documents.")
    sections: list[str] = Field(default_factory=list, description="Only these sections.")


class FeedbackRequest(BaseModel):
    rating: Literal["up", "down"]
    answer: Answer = Field(description="The answer object being rated, as /api/ask returned it.")
    comment: str = Field("", max_length=2000)


def build_api(assistant: Assistant, feedback: FeedbackStore) -> FastAPI:
    """A sub-application mounted at /api, so CORS applies to the API only, not to the chat page."""
    api = FastAPI(
        title="WPS Communiqué Assistant API",
        version="0.1.0",
        description="Cited answers from the communiqués of the WPS Focal Points Network.",
    )
    if assistant.settings.allowed_origins:
        api.add_middleware(
            CORSMiddleware,
            allow_origins=assistant.settings.allowed_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type"],
        )

    if assistant.views is not None:
        api.include_router(build_views_router(assistant))

    @api.post("/ask", response_model=Answer, responses={400: {"description": "Empty or oversized question"}})
    async def ask(request: AskRequest) -> Answer:
        try:
            filters = Filters(tuple(request.doc_ids), tuple(request.sections))
            return await run_in_threadpool(assistant.ask, request.question, request.history, filters)
        except QuestionError as exc:
            raise HTTPException(status_code=400, detail=str(exc)) from exc

    def checked(request: AskRequest) -> AskRequest:
        """A bad question is refused with 400 before any event is sent."""
        try:
            check_question(request.question, assistant.settings)
        except QuestionError as exc:
            raise HTTPException(status_code=400, detail=str(exc)) from exc
        return request

    @api.post(
        "/ask/stream",
        response_class=EventSourceResponse,
        responses={400: {"description": "Empty or oversized question"}},
    )
    # Depends as a default, not in Annotated: with postponed annotations FastAPI cannot resolve a
    # dependency defined in this function.
    def ask_stream(request: AskRequest = Depends(checked)) -> Iterator[ServerSentEvent]:  # noqa: B008
        """Server-sent events: ``token`` ({"text"}) as a language model writes, then one ``answer`` (the
        answer object, checked: it replaces the streamed text, which it may differ from)."""
        filters = Filters(tuple(request.doc_ids), tuple(request.sections))
        for event in assistant.ask_stream(request.question, request.history, filters):
            if isinstance(event, Answer):
                yield ServerSentEvent(event="answer", data=event)
            else:
                yield ServerSentEvent(event="token", data={"text": event})

    @api.get("/health")
    async def health() -> dict:
        server = assistant.model_server
        return {
            "status": "ok",
            "documents": len(assistant.documents()),
            "passages": len(assistant.retriever.shared.passages),
            "model": assistant.embed_model.model_name,
            # The assistant answers (extractively) whatever state the model server is in.
            "llm": await run_in_threadpool(server.health) if server else {"mode": "off"},
        }

    @api.get("/documents")
    async def documents() -> list[dict]:
        return assistant.documents()

    @api.get("/documents/{doc_id}/paragraphs")
    async def paragraphs(doc_id: str) -> list[dict]:
        found = await run_in_threadpool(assistant.paragraphs, doc_id)
        if not found:
            raise HTTPException(status_code=404, detail=f"No indexed document {doc_id!r}")
        return found

    @api.post("/feedback", status_code=201)
    async def add_feedback(request: FeedbackRequest) -> dict:
        await run_in_threadpool(
            feedback.add, FeedbackRecord.from_answer(request.answer, request.rating, request.comment)
        )
        return {"status": "recorded"}

    @api.get("/feedback", response_class=PlainTextResponse)
    async def export_feedback() -> PlainTextResponse:
        """All feedback as JSON Lines (one record a line), for export."""
        text = await run_in_threadpool(feedback.export)
        return PlainTextResponse(text, media_type="application/x-ndjson")

    return api
