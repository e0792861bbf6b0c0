"""The views' JSON API (included in /api): commitments, topic, guides, glossary, quiz, briefing, examples.

Thin over :mod:`assistant.views`; every response cites with the same :class:`Citation` as /api/ask.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, HTTPException, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import PlainTextResponse, Response
from pydantic import BaseModel

from assistant.index.errors import store_failure
from assistant.ingest.operative import TYPES
from assistant.pipeline.host import LiveViews
from assistant.settings import Settings
from assistant.views import Views
from assistant.views.briefing import BriefingRequest, numbered, to_docx, to_markdown
from assistant.views.commitments import Commitment, CommitmentFilter, to_csv, to_jsonl
from assistant.views.examples import Tour
from assistant.views.glossary import GlossaryEntry
from assistant.views.guide import DocumentGuide
from assistant.views.quiz import Quiz
from assistant.views.topic import TopicResult

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
OperativeType = Literal[TYPES]  # type: ignore[valid-type]
T = TypeVar("T")


class Facets(BaseModel):
    """The values each commitments filter can take."""

    meetings: list[str]
    sections: list[str]
    pillars: list[str]
    types: list[str]
    addressees: list[str]


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


def _from_store(settings: Settings, read: Callable[..., T], *args: Any) -> T:
    """``read(*args)``, a failure of the store raised as its state (503 with what to do, never a 500)."""
    try:
        return read(*args)
    except Exception as exc:
        failure = store_failure(exc, settings)
        if failure is None:
            raise
        raise failure from exc


def build_views_router(views: Views | LiveViews, settings: Settings) -> APIRouter:
    """``views``: a :class:`LiveViews` in the app, so every request reads the live generation's views."""
    router = APIRouter(tags=["views"])

    @router.get(
        "/commitments",
        response_model=list[Commitment],
        responses={200: {"content": {"text/csv": {}, "application/x-ndjson": {}}}},
    )
    async def commitments(
        meeting: Annotated[
            list[str] | None, Query(description="Doc id, 'Rome 2026', a year or a meeting name (repeatable).")
        ] = None,
        section: Annotated[list[str] | None, Query(description="Section name (repeatable).")] = None,
        pillar: Annotated[list[str] | None, Query(description="WPS pillar (repeatable).")] = None,
        type: Annotated[list[OperativeType] | None, Query(description="Operative type (repeatable).")] = None,
        addressee: Annotated[
            list[str] | None, Query(description="Who it addresses: 'States', 'members' … (repeatable).")
        ] = None,
        words: Annotated[str, Query(max_length=300, description="Every word must appear in the sentence.")] = "",
        format: Annotated[
            Literal["json", "csv", "jsonl"], Query(description="json, or a CSV / JSONL export.")
        ] = "json",
    ):
        """Operative sentences (recommend, call, commit, encourage, welcome, support, concern), by meeting date."""
        f = CommitmentFilter(
            tuple(meeting or ()),
            tuple(section or ()),
            tuple(pillar or ()),
            tuple(type or ()),
            tuple(addressee or ()),
            words,
        )
        rows = views.commitments.filter(f)
        if format == "csv":
            return PlainTextResponse(to_csv(rows), media_type="text/csv", headers=_attachment("commitments.csv"))
        if format == "jsonl":
            return PlainTextResponse(
                to_jsonl(rows), media_type="application/x-ndjson", headers=_attachment("commitments.jsonl")
            )
        return rows

    @router.get("/commitments/facets", response_model=Facets)
    async def facets() -> Facets:
        """What the commitments filters can be set to."""
        return Facets(**views.commitments.facets())

    @router.get("/topic", response_model=TopicResult, responses={400: {"description": "No topic given"}})
    async def topic(
        q: Annotated[str, Query(description="The topic, in a few words.")] = "",
        commitment: Annotated[str, Query(description="Or: the id of a commitment whose sentence is the topic.")] = "",
        doc: Annotated[list[str] | None, Query(description="Only these documents (default: every meeting).")] = None,
    ) -> TopicResult:
        """For each meeting in date order, its best passages on the topic, or 'not addressed at this meeting'."""
        chosen = views.commitments.get(commitment) if commitment else None
        if commitment and chosen is None:
            raise HTTPException(status_code=404, detail=f"No commitment {commitment!r}")
        text = chosen.sentence if chosen else q.strip()
        if not text:
            raise HTTPException(status_code=400, detail="Give a topic (q=…) or a commitment id (commitment=…).")
        if len(text) > settings.max_question_chars:
            raise HTTPException(status_code=400, detail=f"The topic is too long (limit {settings.max_question_chars}).")
        return await run_in_threadpool(_from_store, settings, views.topic.across, text, tuple(doc or ()))

    @router.get("/documents/{doc_id}/guide", response_model=DocumentGuide, responses={404: {"description": "No such"}})
    async def guide(doc_id: str) -> DocumentGuide:
        """A document's facts, sections with paragraph counts, and its most central sentences per section."""
        found = views.guides.guide(doc_id)
        if found is None:
            raise HTTPException(status_code=404, detail=f"No indexed document {doc_id!r}")
        return found

    @router.get("/glossary", response_model=list[GlossaryEntry])
    async def glossary(q: str = Query("", max_length=200, description="Only entries containing these words.")):
        """Acronyms and resolutions the corpus defines and agenda terms it uses, each with where it is introduced."""
        return views.glossary.search(q)

    @router.get("/glossary/{term}", response_model=GlossaryEntry, responses={404: {"description": "Not in it"}})
    async def glossary_entry(term: str) -> GlossaryEntry:
        """One entry: 'NAP', 'NAPs', 'national action plans', 'resolution 1325' …"""
        entry = views.glossary.lookup(term)
        if entry is None:
            raise HTTPException(status_code=404, detail=f"{term!r} is not in the glossary")
        return entry

    @router.get("/quiz", response_model=Quiz)
    async def quiz(
        n: Annotated[int, Query(ge=1, le=50, description="How many questions.")] = settings.quiz_questions,
        seed: Annotated[
            int | None, Query(description="The same seed gives the same quiz (default: a new one).")
        ] = None,
    ) -> Quiz:
        """Multiple-choice questions made from the corpus, each with its answer and cited paragraph."""
        return views.quiz.make(n, seed if seed is not None else random.randrange(1_000_000))

    @router.post(
        "/briefing",
        response_class=Response,
        responses={200: {"content": {DOCX: {}, "text/markdown": {}}, "description": "The note as a file."}},
    )
    async def briefing(request: BriefingRequest) -> Response:
        """A briefing note from items (answers, commitments, passages): numbered references at the end."""
        note = numbered(request.title, request.items)
        if request.format == "markdown":
            return Response(to_markdown(note), media_type="text/markdown", headers=_attachment("briefing-note.md"))
        data = await run_in_threadpool(to_docx, note, settings.briefing_page_size)
        return Response(data, media_type=DOCX, headers=_attachment("briefing-note.docx"))

    @router.get("/examples", response_model=dict[str, list[str]])
    async def examples() -> dict[str, list[str]]:
        """Example questions made from the indexed documents, grouped by theme."""
        return views.examples.questions()

    @router.get("/tour", response_model=Tour)
    async def tour() -> Tour:
        """'Start here': the pillars (then the other themes), one commitment each, and a question to ask next."""
        return views.examples.tour()

    return router
