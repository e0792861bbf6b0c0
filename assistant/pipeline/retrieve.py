"""Hybrid retrieval as a llama-index ``BaseRetriever``: dense MiniLM (Chroma), dense e5 (in memory,
when available) and BM25 over the same passages, fused by weighted, min-max-normalised scores
(llama-index's ``QueryFusionRetriever``).

It returns ``candidate_k`` fused candidates; choosing among them (one window per paragraph, the final
cut, a reranker) is the post-processors' work (:mod:`assistant.pipeline.postprocess`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from llama_index.core import VectorStoreIndex
from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.llms import MockLLM
from llama_index.core.retrievers import QueryFusionRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode
from llama_index.core.vector_stores import FilterOperator, MetadataFilter, MetadataFilters
from llama_index.retrievers.bm25 import BM25Retriever

from assistant.index.e5 import E5PassageIndex
from assistant.schema import DOC_ID, KIND, PARAGRAPH, PASSAGE, SECTION, SENTENCE, Address, Filters, para_key
from assistant.settings import Settings


def metadata_filters(filters: Filters, kind: str = PASSAGE) -> MetadataFilters:
    """The filters as a vector-store query restriction, for passages or for sentences."""
    out = [MetadataFilter(key=KIND, value=kind)]
    # Chroma stores integers in 64 bits and refuses a filter beyond; such a paragraph cannot exist, so
    # it becomes one that never does (0: paragraphs count from 1), and still matches nothing.
    paragraphs = tuple(p if 0 < p < 2**31 else 0 for p in filters.paragraphs)
    for key, values in ((DOC_ID, filters.doc_ids), (SECTION, filters.sections), (PARAGRAPH, paragraphs)):
        if values:
            out.append(MetadataFilter(key=key, value=list(values), operator=FilterOperator.IN))
    return MetadataFilters(filters=out)


@dataclass
class Candidates:
    """Fused candidates, best first, and e5's cosine of every passage in scope (for the abstain signals)."""

    nodes: list[NodeWithScore] = field(default_factory=list)
    e5_similarities: list[float] = field(default_factory=list)


class PassageIndex:
    """What every scoped retriever shares: the vector index, the passages, BM25 per filter (cached)."""

    def __init__(
        self,
        index: VectorStoreIndex,
        passages: list[TextNode],
        settings: Settings,
        e5: E5PassageIndex | None = None,
    ) -> None:
        self.index = index
        self.passages = passages
        self.settings = settings
        self.e5 = e5 or None
        self._e5_rows: OrderedDict[Filters, list[int]] = OrderedDict()
        self.first_window: dict[str, TextNode] = {}  # paragraph → its first window, for sentence hits
        for node in passages:
            self.first_window.setdefault(para_key(node), node)
        self._bm25: OrderedDict[Filters, BM25Retriever | None] = OrderedDict()
        self._lock = threading.Lock()  # Gradio and the API answer several questions at once

    def bm25(self, filters: Filters) -> BM25Retriever | None:
        """BM25 over the passages the filters allow (cached: filters repeat within a session)."""
        with self._lock:
            if filters not in self._bm25:
                nodes = [n for n in self.passages if filters.matches(Address.of(n))]
                top_k = min(self.settings.candidate_k, len(nodes))
                found = BM25Retriever.from_defaults(nodes=nodes, similarity_top_k=top_k) if nodes else None
                self._bm25[filters] = found
                if len(self._bm25) > 32:
                    self._bm25.popitem(last=False)
            return self._bm25[filters]

    def e5_rows(self, filters: Filters) -> list[int]:
        """Rows of the e5 matrix the filters allow (cached like BM25)."""
        assert self.e5 is not None
        with self._lock:
            if filters not in self._e5_rows:
                self._e5_rows[filters] = [i for i, n in enumerate(self.e5.nodes) if filters.matches(Address.of(n))]
                if len(self._e5_rows) > 32:
                    self._e5_rows.popitem(last=False)
            return self._e5_rows[filters]

    def prefetch_e5(self, query: str, scopes: Sequence[Filters]) -> None:
        """Start e5's query embedding on its own thread when a scope will read it (see E5Model.prefetch)."""
        if self.e5 is not None and any(self.e5_rows(f) for f in scopes):
            self.e5.model.prefetch(query)

    def e5_results(self, query: str, filters: Filters) -> tuple[list[NodeWithScore], list[float]]:
        """e5's top ``candidate_k`` passages in scope, and its cosine of every passage in scope."""
        if self.e5 is None:
            return [], []
        rows = self.e5_rows(filters)
        if not rows:
            return [], []
        sims = self.e5.matrix[rows] @ self.e5.model.query(query)
        top = np.argsort(-sims)[: self.settings.candidate_k]
        found = [NodeWithScore(node=self.e5.nodes[rows[i]], score=float(sims[i])) for i in top]
        return found, [float(x) for x in sims]


class _Fixed(BaseRetriever):
    """Results already computed, handed to the fusion as if retrieved again (the dense query runs once)."""

    def __init__(self, results: list[NodeWithScore]) -> None:
        super().__init__()
        self._results = results

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        return [NodeWithScore(node=r.node, score=r.score) for r in self._results]


class HybridRetriever(BaseRetriever):
    """Dense + BM25 candidates for one scope (documents, sections, paragraphs) of the index.

    The query embedding travels in ``QueryBundle.embedding`` (computed once per question, reused for
    answering); without one, the index's embedding model computes it.
    """

    def __init__(self, shared: PassageIndex, filters: Filters | None = None) -> None:
        super().__init__()
        self.shared = shared
        self.settings = shared.settings
        self.filters = filters or Filters()

    def scoped(self, filters: Filters) -> HybridRetriever:
        """The same retriever restricted to ``filters`` (cheap: everything heavy is shared)."""
        return HybridRetriever(self.shared, filters)

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        return self.candidates(query_bundle).nodes

    def candidates(self, bundle: QueryBundle) -> Candidates:
        """Fused candidates and the dense cosines behind them."""
        index, settings = self.shared.index, self.settings
        dense = index.as_retriever(similarity_top_k=settings.candidate_k, filters=metadata_filters(self.filters))
        dense_results = dense.retrieve(bundle)
        if settings.sentence_candidate_k:
            dense_results = self._with_sentences(dense_results, bundle)
        retrievers: list[BaseRetriever] = [_Fixed(dense_results)]
        weights = [settings.dense_weight]
        e5_results, e5_similarities = self.shared.e5_results(bundle.query_str, self.filters)
        if e5_results:
            retrievers.append(_Fixed(e5_results))
            weights.append(settings.e5_weight)
        bm25 = self.shared.bm25(self.filters)
        if bm25 is not None:
            retrievers.append(bm25)
            weights.append(1 - settings.dense_weight)
        fusion = QueryFusionRetriever(
            retrievers,
            # Min-max normalised scores, weighted: BM25 helps exact terms but must not outvote the
            # embeddings on paraphrases (reciprocal rank fusion gives both an equal say).
            mode=settings.fusion_mode,
            retriever_weights=[w / sum(weights) for w in weights] if sum(weights) else None,
            num_queries=1,  # no query generation, so no LLM is ever called
            use_async=False,
            similarity_top_k=settings.candidate_k,
            llm=MockLLM(),
        )
        return Candidates(fusion.retrieve(bundle), e5_similarities)

    def _with_sentences(self, dense_results: list[NodeWithScore], bundle: QueryBundle) -> list[NodeWithScore]:
        """Dense candidates where a paragraph scores as its best window or its best sentence.

        A long paragraph's embedding is an average; the one sentence a question is about can match it
        far better than the whole ("Where will the outcomes … feed in?" and the last sentence of ¶21).
        """
        sentences = self.shared.index.as_retriever(
            similarity_top_k=self.settings.sentence_candidate_k, filters=metadata_filters(self.filters, SENTENCE)
        ).retrieve(bundle)
        best: dict[str, NodeWithScore] = {}
        for r in dense_results:
            best.setdefault(para_key(r.node), r)
        first_window = self.shared.first_window
        for r in sentences:
            key = para_key(r.node)
            if key in first_window and (key not in best or (r.score or 0) > (best[key].score or 0)):
                node = best[key].node if key in best else first_window[key]
                best[key] = NodeWithScore(node=node, score=r.score)
        return sorted(best.values(), key=lambda r: -(r.score or 0))
