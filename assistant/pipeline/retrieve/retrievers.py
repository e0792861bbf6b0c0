"""Hybrid retrieval as a llama-index ``BaseRetriever``: dense MiniLM (Chroma), dense e5 (in memory,
when available) and BM25 over the same passages, fused by weighted, min-max-normalised scores
(llama-index's ``QueryFusionRetriever``).

It returns ``candidate_k`` fused candidates; choosing among them (one window per paragraph, the final
cut, a reranker) is the post-processors' work (:mod:`assistant.pipeline.retrieve.postprocess`).
"""

from __future__ import annotations

import math
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
from llama_index.vector_stores.chroma.base import _to_chroma_filter

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


def cosine_of(distance: float) -> float:
    """A Chroma cosine distance as the cosine the index reports, by the same steps: llama-index's
    ``exp(-distance)``, then ``CosineChromaVectorStore``'s ``1 + log`` (bit for bit the same scores)."""
    similarity = math.exp(-distance)
    return 1 + math.log(similarity) if similarity > 0 else -1.0


FUSIONS = ("relative_score", "dist_based_score")  # the modes :func:`fuse` computes itself


def fusion_weights(weights: Sequence[float]) -> list[float]:
    """The weights ``QueryFusionRetriever`` applies when given ``weights`` normalised to sum 1, as
    ``candidates`` always did: it normalises them again (no weights at all: equal shares)."""
    total = sum(weights)
    if not total:
        return [1.0 / len(weights)] * len(weights)
    shares = [w / total for w in weights]
    again = sum(shares)
    return [w / again for w in shares]


def unique_ids(results: list[NodeWithScore]) -> list[NodeWithScore]:
    """The first result of each node id (what a llama-index retriever's ``retrieve`` keeps)."""
    seen: set[str] = set()
    return [r for r in results if not (r.node.node_id in seen or seen.add(r.node.node_id))]


def fuse(results: list[list[NodeWithScore]], weights: Sequence[float], mode: str, top_k: int) -> list[NodeWithScore]:
    """llama-index's ``QueryFusionRetriever`` (one query, ``relative_score`` or ``dist_based_score``) over
    results already retrieved, without building a retriever a question (that cost ~1.5 ms: it looks
    for LangChain each time). Each list is min-max (or mean ± 3σ) scaled, weighted, summed per node
    (by content hash), sorted, cut to ``top_k``. The results' scores are changed in place, as there.
    """
    if mode not in FUSIONS:
        raise ValueError(f"fuse computes {FUSIONS}, not {mode!r}")
    shares = fusion_weights(weights)
    for i, nodes in enumerate(results):
        if not nodes:
            continue
        scores = [r.score or 0.0 for r in nodes]
        if mode == "dist_based_score":
            mean = sum(scores) / len(scores)
            std = (sum((x - mean) ** 2 for x in scores) / len(scores)) ** 0.5
            low, high = mean - 3 * std, mean + 3 * std
        else:
            low, high = min(scores), max(scores)
        for r in nodes:
            if high == low:
                r.score = 1.0 if high > 0 else 0.0
            else:
                r.score = (r.score - low) / (high - low)
            r.score = (r.score or 0.0) * shares[i]
    merged: dict[str, NodeWithScore] = {}
    for nodes in results:
        for r in nodes:
            key = r.node.hash
            if key in merged:
                merged[key].score = (merged[key].score or 0.0) + (r.score or 0.0)
            else:
                merged[key] = r
    ranked = sorted(merged.values(), key=lambda r: r.score or 0.0, reverse=True)
    return unique_ids(ranked[:top_k])


@dataclass
class DenseVectors:
    """MiniLM's vectors of one kind of record (passages or sentences), held in memory and searched exactly.

    Chroma's filtered query took 3-10 ms a question at 100 records and ~40 at 1,000 (a metadata scan,
    then the graph search); the product of a question with every vector takes well under a
    millisecond at that size and ~5 at 50,000. The cosines are the ones the store reports up to the
    last float32 bits (the store normalises the query and sums in another order).
    """

    ids: list[str]
    para_keys: list[str]
    matrix: np.ndarray  # float32, one unit-length row per record

    def nearest(self, embedding: Sequence[float], rows: np.ndarray, k: int) -> list[tuple[str, str, float]]:
        """(id, paragraph key, cosine) of the ``k`` rows among ``rows`` nearest ``embedding``, nearest first."""
        if not len(rows):
            return []
        query = np.asarray(embedding, dtype=np.float32)
        query = query * (np.float32(1) / (np.sqrt(np.dot(query, query)) + np.float32(1e-30)))  # as the store does
        sims = (self.matrix @ query)[rows]
        order = np.argsort(-sims, kind="stable")[:k]
        distances = np.float32(1) - sims[order]  # the store's cosine distance, in float32
        return [
            (self.ids[rows[i]], self.para_keys[rows[i]], cosine_of(float(d)))
            for i, d in zip(order, distances, strict=True)
        ]


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
        dense: dict[str, DenseVectors] | None = None,
    ) -> None:
        """``dense``: MiniLM's vectors by record kind (PASSAGE, SENTENCE) to search in memory; a kind
        missing there is searched with a Chroma query."""
        self.index = index
        self.vectors = dense or {}
        self._rows: OrderedDict[tuple[Filters, str], np.ndarray] = OrderedDict()
        self.passages = passages
        self.settings = settings
        self.e5 = e5 or None
        self._e5_rows: OrderedDict[Filters, list[int]] = OrderedDict()
        self.first_window: dict[str, TextNode] = {}  # paragraph → its first window, for sentence hits
        for node in passages:
            self.first_window.setdefault(para_key(node), node)
        self._bm25: OrderedDict[Filters, BM25Retriever | None] = OrderedDict()
        self._lock = threading.Lock()  # Gradio and the API answer several questions at once
        self.by_id = {n.node_id: n for n in passages}
        self._where: dict[tuple[Filters, str], dict] = {}

    def where(self, filters: Filters, kind: str) -> dict:
        """Chroma's ``where`` for ``metadata_filters(filters, kind)``, as llama-index translates it (cached)."""
        key = (filters, kind)
        found = self._where.get(key)
        if found is None:
            found = _to_chroma_filter(metadata_filters(filters, kind))
            with self._lock:
                if len(self._where) > 64:
                    self._where.clear()
                self._where[key] = found
        return found

    def nearest(self, embedding: list[float], filters: Filters, kind: str, k: int) -> list[tuple[str, str, float]]:
        """(id, paragraph key, cosine) of the ``k`` records of ``kind`` in scope nearest the query: from the
        vectors in memory, else Chroma's query as llama-index's vector retriever sends it, asking only
        for what is read here (no text, no node rebuilt from its JSON)."""
        vectors = self.vectors.get(kind)
        if vectors is not None:
            return vectors.nearest(embedding, self.rows(filters, kind), k)
        include = ["distances"] if kind == PASSAGE else ["metadatas", "distances"]
        got = self.index.vector_store.client.query(
            query_embeddings=[embedding], n_results=k, where=self.where(filters, kind), include=include
        )
        ids, distances = got["ids"][0], got["distances"][0]
        keys = [para_key(m) for m in got["metadatas"][0]] if kind != PASSAGE else [""] * len(ids)
        return [(i, key, cosine_of(d)) for i, key, d in zip(ids, keys, distances, strict=True)]

    def rows(self, filters: Filters, kind: str) -> np.ndarray:
        """Rows of ``kind``'s vectors in scope: those of the paragraphs the filters allow (cached)."""
        key = (filters, kind)
        with self._lock:
            found = self._rows.get(key)
        if found is None:
            vectors = self.vectors[kind]
            allowed = {k for k, node in self.first_window.items() if filters.matches(Address.of(node))}
            found = np.asarray([i for i, k in enumerate(vectors.para_keys) if k in allowed], dtype=np.intp)
            with self._lock:
                self._rows[key] = found
                if len(self._rows) > 64:
                    self._rows.popitem(last=False)
        return found

    def dense_passages(self, embedding: list[float], filters: Filters) -> list[NodeWithScore] | None:
        """The passages nearest the query in scope with their cosines, as ``VectorIndexRetriever`` finds
        them but as the passage nodes held here (the same nodes: both are read from the same records);
        None if a record is not among them (then the caller asks llama-index)."""
        found = self.nearest(embedding, filters, PASSAGE, self.settings.candidate_k)
        if any(i not in self.by_id for i, _, _ in found):
            return None
        return [NodeWithScore(node=self.by_id[i], score=score) for i, _, score in found]

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
        query_vector = self.e5.model.query(query)
        # The whole matrix when every passage is in scope (the usual question): no copy of it per
        # question, which at 10,000 passages cost more than the product itself.
        matrix = self.e5.matrix if len(rows) == len(self.e5.nodes) else self.e5.matrix[rows]
        sims = matrix @ query_vector
        top = np.argsort(-sims)[: self.settings.candidate_k]
        found = [NodeWithScore(node=self.e5.nodes[rows[i]], score=float(sims[i])) for i in top]
        return found, sims.tolist()


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
        shared, settings = self.shared, self.settings
        dense_results = shared.dense_passages(bundle.embedding, self.filters) if bundle.embedding else None
        if dense_results is None:  # no embedding yet (llama-index's retriever computes it) or an odd record
            dense = shared.index.as_retriever(
                similarity_top_k=settings.candidate_k, filters=metadata_filters(self.filters)
            )
            dense_results = dense.retrieve(bundle)
        if settings.sentence_candidate_k:
            dense_results = self._with_sentences(dense_results, bundle)
        results = [dense_results]
        weights = [settings.dense_weight]
        e5_results, e5_similarities = shared.e5_results(bundle.query_str, self.filters)
        if e5_results:
            results.append(e5_results)
            weights.append(settings.e5_weight)
        bm25 = shared.bm25(self.filters)
        if settings.fusion_mode not in FUSIONS:
            return Candidates(self._llama_fusion(results, weights, bm25, bundle), e5_similarities)
        # Copies, as each retriever hands the fusion (it rescores them in place)
        fixed = [unique_ids([NodeWithScore(node=r.node, score=r.score) for r in found]) for found in results]
        if bm25 is not None:
            # What BaseRetriever.retrieve returns for text nodes, without its instrumentation (a span,
            # events and uuids each call: ~1 ms a question, more under load)
            fixed.append(unique_ids(bm25._retrieve(bundle)))
            weights.append(1 - settings.dense_weight)
        return Candidates(fuse(fixed, weights, settings.fusion_mode, settings.candidate_k), e5_similarities)

    def _llama_fusion(
        self, results: list[list[NodeWithScore]], weights: list[float], bm25: BM25Retriever | None, bundle: QueryBundle
    ) -> list[NodeWithScore]:
        """llama-index's own fusion, for the modes :func:`fuse` does not compute."""
        retrievers: list[BaseRetriever] = [_Fixed(found) for found in results]
        if bm25 is not None:
            retrievers.append(bm25)
            weights = [*weights, 1 - self.settings.dense_weight]
        fusion = QueryFusionRetriever(
            retrievers,
            # Min-max normalised scores, weighted: BM25 helps exact terms but must not outvote the
            # embeddings on paraphrases (reciprocal rank fusion gives both an equal say).
            mode=self.settings.fusion_mode,
            retriever_weights=[w / sum(weights) for w in weights] if sum(weights) else None,
            num_queries=1,  # no query generation, so no LLM is ever called
            use_async=False,
            similarity_top_k=self.settings.candidate_k,
            llm=MockLLM(),
        )
        return fusion.retrieve(bundle)

    def _with_sentences(self, dense_results: list[NodeWithScore], bundle: QueryBundle) -> list[NodeWithScore]:
        """Dense candidates where a paragraph scores as its best window or its best sentence.

        A long paragraph's embedding is an average; the one sentence a question is about can match it
        far better than the whole ("Where will the outcomes … feed in?" and the last sentence of ¶21).
        Only the sentences' paragraphs and cosines are read: no sentence node is built.
        """
        found = self.shared.nearest(bundle.embedding, self.filters, SENTENCE, self.settings.sentence_candidate_k)
        best: dict[str, NodeWithScore] = {}
        for r in dense_results:
            best.setdefault(para_key(r.node), r)
        first_window = self.shared.first_window
        for _, key, score in found:
            if key in first_window and (key not in best or score > (best[key].score or 0)):
                node = best[key].node if key in best else first_window[key]
                best[key] = NodeWithScore(node=node, score=score)
        return sorted(best.values(), key=lambda r: -(r.score or 0))
