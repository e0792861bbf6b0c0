"""The question path as one object: question (+ history, filters) in, :class:`Answer` out.

    plan (condense → acronyms → paragraph refs → steer) → embed → retrieve (per scope) → post-process
    → sentences → answer

The CLI, the API and the UI all call the same :meth:`Assistant.ask`; ``build_assistant`` in
:mod:`assistant.pipeline.factory` wires the parts from the settings.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from llama_index.core.postprocessor.types import BaseNodePostprocessor
from llama_index.core.schema import NodeWithScore, QueryBundle

from assistant.index.catalog import Catalog
from assistant.index.embeddings import MiniLMEmbedding
from assistant.index.store import Store
from assistant.pipeline.answer.compose import missing_paragraph_text
from assistant.pipeline.llm.client import ModelServer
from assistant.pipeline.plan.planner import Plan, QuestionPlanner
from assistant.pipeline.plan.question import check_question, clean_filters, recent_turns
from assistant.pipeline.plan.scope import scope_text
from assistant.pipeline.protocols import Answerer, AnswerRequest, StreamingAnswerer
from assistant.pipeline.retrieve.retrievers import HybridRetriever
from assistant.schema import Answer, Filters, SentenceCheck, para_key
from assistant.settings import Settings


@dataclass
class Retrieved:
    """Post-processed passages of one question, and e5's cosines of the passages in each scope."""

    passages: list[NodeWithScore]
    e5_similarities: list[list[float]]


def interleave(parts: list[list[NodeWithScore]], top_k: int) -> list[NodeWithScore]:
    """Several retrievals (one per compared document) in turn, so that each contributes its best."""
    out: list[NodeWithScore] = []
    for rank in range(top_k):
        out += [p[rank] for p in parts if rank < len(p)]
    return out[: max(top_k, len(parts))]


@dataclass
class Assistant:
    settings: Settings
    store: Store
    embed_model: MiniLMEmbedding
    planner: QuestionPlanner
    retriever: HybridRetriever
    postprocessors: list[BaseNodePostprocessor]
    answerer: Answerer
    catalog: Catalog
    model_server: ModelServer | None = None  # the language model server, when one is configured
    routes: dict[str, Answerer] = field(default_factory=dict)  # Plan.route name → the answerer for it
    views: Any = None  # assistant.views.Views: the staff and trainee views over the same index

    def ask(self, question: str, history: Sequence[str] | None = None, filters: Filters | None = None) -> Answer:
        """Answer one question; ``history`` holds earlier user turns, oldest first."""
        *_, answer = self.ask_stream(question, history, filters)
        return answer

    def ask_stream(
        self, question: str, history: Sequence[str] | None = None, filters: Filters | None = None
    ) -> Iterator[str | SentenceCheck | Answer]:
        """Pieces of the answer's text as a language model writes them and each sentence's check (none
        from the extractive answerer), then the :class:`Answer`; a bad question raises
        :class:`QuestionError` before anything is yielded."""
        started = time.perf_counter()
        text = check_question(question, self.settings)
        turns = recent_turns(history, self.settings)
        filters = clean_filters(filters)
        plan = self.planner.plan(text, turns, filters)
        if plan.route == "out_of_scope":
            yield self._out_of_scope(text, started)
            return
        routed = self.routes.get(plan.route)
        if routed is not None:  # a view answers it, with its own retrieval or table (pipeline/plan/route.py)
            yield self._routed(routed, text, plan, started)
            return
        # e5 embeds the query on its own thread while MiniLM does here (each engine on a core of its own)
        self.retriever.shared.prefetch_e5(plan.query, plan.scopes)
        bundle = QueryBundle(query_str=plan.query, embedding=self.embed_model.embed_query(plan.query))
        retrieved = self.retrieve(bundle, plan)
        retrieved_at = time.perf_counter()
        if plan.pointed and not retrieved.passages:
            answer = self._missing_paragraph(text, plan, filters)
        else:
            sentences = self.store.sentences([para_key(p.node) for p in retrieved.passages])
            request = AnswerRequest(
                question=text,
                standalone=plan.understood_as,
                query=plan.query,
                query_embedding=bundle.embedding or [],
                passages=retrieved.passages,
                sentences=sentences,
                e5_similarities=retrieved.e5_similarities,
                force=plan.force,
                spread=plan.spread,
                language=plan.language,
                cross_lingual=plan.cross_lingual,
                absent_meeting=plan.absent_meeting,
            )
            if isinstance(self.answerer, StreamingAnswerer):
                for event in self.answerer.stream(request):
                    if isinstance(event, Answer):
                        answer = event
                    else:
                        yield event
            else:
                answer = self.answerer.answer(request)
        yield _timed(answer, started, retrieved_at)

    def retrieve(self, bundle: QueryBundle, plan: Plan) -> Retrieved:
        """Candidates for each scope of the plan, post-processed; interleaved when there are several."""
        parts, similarities = [], []
        for scope in plan.scopes:
            found = self.retriever.scoped(scope).candidates(bundle)
            nodes = found.nodes
            for step in self.postprocessors:
                nodes = step.postprocess_nodes(nodes, query_bundle=bundle)
            parts.append(nodes)
            similarities.append(found.e5_similarities)
        passages = parts[0] if len(parts) == 1 else interleave(parts, self.settings.top_k)
        return Retrieved(passages, similarities)

    def _routed(self, answerer: Answerer, question: str, plan: Plan, started: float) -> Answer:
        """A question a view answers: no retrieval here (the topic view retrieves per meeting)."""
        planned = time.perf_counter()
        answer = answerer.answer(AnswerRequest(question, plan.understood_as, plan.query, [], [], [], view=plan.view))
        return _timed(answer, started, planned)

    def _out_of_scope(self, question: str, started: float) -> Answer:
        """A request that is no question about the communiqués: what the assistant answers, no passage."""
        answer = Answer(
            question=question,
            standalone_question=question,
            answer=scope_text(self.catalog.documents),
            abstained=True,
        )
        answer.timings_ms = {"retrieve": 0.0, "answer": 0.0, "total": round((time.perf_counter() - started) * 1000, 1)}
        return answer

    def _missing_paragraph(self, question: str, plan: Plan, filters: Filters | None) -> Answer:
        """ "paragraph 999": say what is missing, not "not addressed"."""
        scoped = bool(filters and (filters.doc_ids or filters.sections))
        return Answer(
            question=question,
            standalone_question=plan.understood_as,
            answer=missing_paragraph_text(plan.pointed, scoped),
            abstained=True,
        )

    def documents(self) -> list[dict]:
        """Indexed documents with their facts, sections and paragraph counts, in corpus order."""
        return self.catalog.documents

    def paragraphs(self, doc_id: str) -> list[dict]:
        """Every paragraph of one document, in order, with its section and full text."""
        return self.catalog.paragraphs(doc_id)


def _timed(answer: Answer, started: float, retrieved: float) -> Answer:
    """The answer with its timings: to retrieval, to the answer, in all (a generative answer's own
    steps, generate and check, kept)."""
    done = time.perf_counter()
    answer.timings_ms = {
        **answer.timings_ms,
        "retrieve": round((retrieved - started) * 1000, 1),
        "answer": round((done - retrieved) * 1000, 1),
        "total": round((done - started) * 1000, 1),
    }
    return answer
