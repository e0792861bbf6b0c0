"""Hybrid retrieval: dense (Chroma) and BM25 over the same passages, fused by weighted normalised scores."""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from llama_index.core import VectorStoreIndex
from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.llms import MockLLM
from llama_index.core.retrievers import QueryFusionRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode
from llama_index.core.vector_stores import FilterOperator, MetadataFilter, MetadataFilters
from llama_index.retrievers.bm25 import BM25Retriever

from assistant.chunking import PASSAGE, SENTENCE
from assistant.embeddings import MiniLMEmbedding
from assistant.settings import Settings
from assistant.store import IndexMissingError, Store


@dataclass(frozen=True)
class Filters:
    """Optional restriction of retrieval to some documents and/or sections."""

    doc_ids: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    paragraphs: tuple[int, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.doc_ids or self.sections or self.paragraphs)

    def matches(self, metadata: dict) -> bool:
        return (
            (not self.doc_ids or metadata.get("doc_id") in self.doc_ids)
            and (not self.sections or metadata.get("section") in self.sections)
            and (not self.paragraphs or metadata.get("paragraph") in self.paragraphs)
        )

    def metadata_filters(self, kind: str = PASSAGE) -> MetadataFilters:
        filters = [MetadataFilter(key="kind", value=kind)]
        if self.doc_ids:
            filters.append(MetadataFilter(key="doc_id", value=list(self.doc_ids), operator=FilterOperator.IN))
        if self.sections:
            filters.append(MetadataFilter(key="section", value=list(self.sections), operator=FilterOperator.IN))
        if self.paragraphs:
            filters.append(MetadataFilter(key="paragraph", value=list(self.paragraphs), operator=FilterOperator.IN))
        return MetadataFilters(filters=filters)


class _Fixed(BaseRetriever):
    """Results already computed, handed to the fusion as if retrieved again."""

    def __init__(self, results: list[NodeWithScore]) -> None:
        super().__init__()
        self._results = results

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        return [NodeWithScore(node=r.node, score=r.score) for r in self._results]


@dataclass
class Retrieved:
    """Fused top passages, and how much the best one stands out from the dense candidates."""

    passages: list[NodeWithScore] = field(default_factory=list)
    distinctiveness: float | None = None


def distinctiveness(similarities: list[float]) -> float | None:
    """z-score of the best cosine among the candidates: (best − mean) / std.

    A question the corpus answers usually has one passage that stands out; a question it does not
    answer tends to be equally (un)like many passages, even when its words are on topic. Undefined
    with fewer than four candidates.
    """
    if len(similarities) < 4:
        return None
    mean = sum(similarities) / len(similarities)
    std = math.sqrt(sum((s - mean) ** 2 for s in similarities) / len(similarities))
    return (max(similarities) - mean) / std if std > 1e-9 else None


def merge(parts: list[Retrieved], top_k: int) -> Retrieved:
    """Interleave several retrievals (one per document) so that each contributes its best passages."""
    passages: list[NodeWithScore] = []
    for rank in range(top_k):
        passages += [p.passages[rank] for p in parts if rank < len(p.passages)]
    scores = [p.distinctiveness for p in parts if p.distinctiveness is not None]
    return Retrieved(passages[: max(top_k, len(parts))], max(scores) if scores else None)


class HybridRetriever:
    """Builds BM25 once from the stored passages; dense queries go to Chroma each time."""

    def __init__(self, store: Store, embed_model: MiniLMEmbedding, settings: Settings) -> None:
        self.settings = settings
        self.passages: list[TextNode] = store.passages()
        if not self.passages:
            raise IndexMissingError(
                "The index is empty: run `wps-assistant ingest` (corpus folder: "
                f"{settings.corpus_dir}, index: {settings.index_dir})."
            )
        self.index = VectorStoreIndex.from_vector_store(store.vector_store, embed_model=embed_model)
        self._first_window: dict[str, TextNode] = {}  # para_key → its first window, for sentence hits
        for node in self.passages:
            self._first_window.setdefault(node.metadata["para_key"], node)
        self._bm25: OrderedDict[Filters, BM25Retriever | None] = OrderedDict()
        self._bm25_lock = threading.Lock()  # Gradio and the API answer several questions at once

    def _bm25_for(self, filters: Filters) -> BM25Retriever | None:
        """BM25 over the passages the filters allow (cached: filters repeat in a session)."""
        with self._bm25_lock:
            return self._bm25_cached(filters)

    def _bm25_cached(self, filters: Filters) -> BM25Retriever | None:
        if filters not in self._bm25:
            nodes = [n for n in self.passages if filters.matches(n.metadata)]
            retriever = (
                BM25Retriever.from_defaults(nodes=nodes, similarity_top_k=min(self.settings.candidate_k, len(nodes)))
                if nodes
                else None
            )
            self._bm25[filters] = retriever
            if len(self._bm25) > 32:
                self._bm25.popitem(last=False)
        return self._bm25[filters]

    def _with_sentences(
        self, dense_results: list[NodeWithScore], bundle: QueryBundle, filters: Filters
    ) -> list[NodeWithScore]:
        """Dense candidates where a paragraph scores as its best window or its best sentence.

        A long paragraph's embedding is an average; the one sentence a question is about can match it
        far better than the whole ("Where will the outcomes … feed in?" and the last sentence of ¶21).
        """
        sentences = self.index.as_retriever(
            similarity_top_k=self.settings.sentence_candidate_k, filters=filters.metadata_filters(SENTENCE)
        ).retrieve(bundle)
        best: dict[str, NodeWithScore] = {}
        for r in dense_results:
            best.setdefault(r.node.metadata["para_key"], r)
        for r in sentences:
            key = r.node.metadata["para_key"]
            if key in self._first_window and (key not in best or (r.score or 0) > (best[key].score or 0)):
                node = best[key].node if key in best else self._first_window[key]
                best[key] = NodeWithScore(node=node, score=r.score)
        return sorted(best.values(), key=lambda r: -(r.score or 0))

    def retrieve(self, question: str, embedding: list[float], filters: Filters | None = None) -> Retrieved:
        """Top passages for a question whose embedding is already computed (it is reused for answering)."""
        filters = filters or Filters()
        bundle = QueryBundle(query_str=question, embedding=embedding)
        dense = self.index.as_retriever(similarity_top_k=self.settings.candidate_k, filters=filters.metadata_filters())
        dense_results = dense.retrieve(bundle)
        # ChromaVectorStore reports exp(-cosine distance): back to cosines, before fusion rescales scores.
        cosines = [1 + math.log(r.score) for r in dense_results if r.score and r.score > 0]
        if self.settings.sentence_candidate_k:
            dense_results = self._with_sentences(dense_results, bundle, filters)
        retrievers: list[BaseRetriever] = [_Fixed(dense_results)]  # the dense query runs once
        bm25 = self._bm25_for(filters)
        if bm25 is not None:
            retrievers.append(bm25)
        fusion = QueryFusionRetriever(
            retrievers,
            # Min-max normalised scores, weighted: BM25 helps exact terms but must not outvote the
            # embeddings on paraphrases (reciprocal rank fusion gives both an equal say).
            mode=self.settings.fusion_mode,
            retriever_weights=[self.settings.dense_weight, 1 - self.settings.dense_weight][: len(retrievers)],
            num_queries=1,  # no query generation, so no LLM is ever called
            use_async=False,
            similarity_top_k=self.settings.top_k * 2,  # windows of one paragraph may take two places
            llm=MockLLM(),
        )
        results = fusion.retrieve(bundle)
        seen: set[str] = set()
        unique: list[NodeWithScore] = []
        for result in results:
            key = result.node.metadata["para_key"]
            if key not in seen:
                seen.add(key)
                unique.append(result)
        return Retrieved(unique[: self.settings.top_k], distinctiveness(cosines))
