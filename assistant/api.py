"""JSON API: the same :class:`Answer` as the CLI and the chat."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from assistant.answer import Answer
from assistant.retrieval import Filters
from assistant.service import Assistant, QuestionError


class AskRequest(BaseModel):
    question: str = Field(description="The question, in plain language.")
    history: list[str] = Field(default_factory=list, description="Earlier user questions, oldest first.")
    doc_ids: list[str] = Field(default_factory=list, description="Only these documents.")
    sections: list[str] = Field(default_factory=list, description="Only these sections.")


def build_router(assistant: Assistant) -> APIRouter:
    router = APIRouter(prefix="/api")

    @router.post("/ask", response_model=Answer)
    async def ask(request: AskRequest) -> Answer:
        try:
            filters = Filters(tuple(request.doc_ids), tuple(request.sections))
            return await run_in_threadpool(assistant.ask, request.question, request.history, filters)
        except QuestionError as exc:
            raise HTTPException(status_code=400, detail=str(exc)) from exc

    @router.get("/health")
    async def health() -> dict:
        docs = assistant.documents()
        return {
            "status": "ok",
            "documents": len(docs),
            "passages": len(assistant.retriever.passages),
            "model": assistant.embed_model.model_name,
        }

    @router.get("/documents")
    async def documents() -> list[dict]:
        return assistant.documents()

    return router
