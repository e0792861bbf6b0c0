"""Chroma, embedded in ``index/`` or behind a ``chroma run`` server, holding passages and sentences.

Chroma is the single source of truth for what is indexed: each ingest writes a complete generation
(one collection, see :mod:`assistant.index.generations`) and a :class:`Store` reads one of them. BM25
is rebuilt from its passages when an assistant is built, so replicas sharing a Chroma server see the
same corpus.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
from llama_index.core.schema import TextNode
from llama_index.core.vector_stores.types import (
    FilterCondition,
    FilterOperator,
    MetadataFilters,
    VectorStoreQuery,
    VectorStoreQueryMode,
    VectorStoreQueryResult,
)
from llama_index.core.vector_stores.utils import metadata_dict_to_node
from llama_index.vector_stores.chroma import ChromaVectorStore
from pydantic import PrivateAttr

from assistant.index.client import make_client
from assistant.schema import (
    DOC_ID,
    E5_PASSAGE,
    KIND,
    PARA_KEY,
    PARAGRAPH,
    PASSAGE,
    SECTION,
    SENTENCE,
    WINDOW,
    Address,
    Sentence,
    SentenceFacts,
)
from assistant.settings import Settings


class CosineChromaVectorStore(ChromaVectorStore):
    """Chroma's vector store reporting cosine similarity, whatever Chroma makes of distances.

    llama-index's ChromaVectorStore reports ``exp(-distance)``; in our cosine space that is
    ``exp(cos − 1)``. Everything above the store (fusion, the abstain signal) reads plain cosines.
    """

    def query(self, query: VectorStoreQuery, **kwargs: Any) -> VectorStoreQueryResult:
        result = super().query(query, **kwargs)
        if result.similarities:
            result.similarities = [1 + math.log(s) if s > 0 else -1.0 for s in result.similarities]
        return result


# Metadata a query may restrict besides the kind, answered from columns kept in memory.
_COLUMNS = (DOC_ID, SECTION, PARAGRAPH, PARA_KEY)
_PAGE = 1000  # rows per request when the vectors are read


@dataclass
class KindVectors:
    """The unit vectors of one kind of node of a generation, with their ids and filterable metadata."""

    ids: list[str]
    matrix: np.ndarray
    columns: dict[str, list[Any]]


def exact_plan(query: VectorStoreQuery) -> tuple[str, tuple[tuple[str, frozenset], ...]] | None:
    """(kind, other conditions) when ``query`` is a plain similarity search for one kind of node under
    AND-ed equality / membership conditions on :data:`_COLUMNS`; None for anything else."""
    filters = query.filters
    if (
        query.query_embedding is None
        or query.mode != VectorStoreQueryMode.DEFAULT
        or query.doc_ids
        or query.node_ids
        or not isinstance(filters, MetadataFilters)
        or filters.condition not in (None, FilterCondition.AND)
    ):
        return None
    kind = None
    conditions = []
    for f in filters.filters:
        if isinstance(f, MetadataFilters):
            return None
        if f.key == KIND and f.operator == FilterOperator.EQ and kind is None:
            kind = f.value
        elif f.key in _COLUMNS and f.operator == FilterOperator.EQ:
            conditions.append((f.key, frozenset([f.value])))
        elif f.key in _COLUMNS and f.operator == FilterOperator.IN and isinstance(f.value, list):
            conditions.append((f.key, frozenset(f.value)))
        else:
            return None
    if not isinstance(kind, str):
        return None
    return kind, tuple(sorted(conditions, key=lambda c: c[0]))


class ExactChromaVectorStore(CosineChromaVectorStore):
    """Dense search as one matrix product over the queried kind's vectors, held in memory.

    Chroma answers a query filtered by metadata (every question's ``kind = passage`` and ``kind =
    sentence``) by first collecting every id the filter matches, then searching its HNSW graph with
    that allow-list: linear in the corpus, and slow — 5 ms at 2,000 nodes, 240 ms at 50,000 (bench:
    ``bench_scale.py``). A generation never changes once written, so its vectors of a kind are read
    once, at the first query for that kind, and every query is then an exact cosine search (no
    approximation either); the top nodes' text and metadata are fetched by id. Queries this cannot
    answer (other filters, other modes) go to Chroma as before.
    """

    _kinds: dict[str, KindVectors] = PrivateAttr(default_factory=dict)
    _rows: OrderedDict = PrivateAttr(default_factory=OrderedDict)
    _groups: dict = PrivateAttr(default_factory=dict)
    _lock: Any = PrivateAttr(default_factory=threading.Lock)

    def query(self, query: VectorStoreQuery, **kwargs: Any) -> VectorStoreQueryResult:
        plan = exact_plan(query)
        if plan is None or kwargs:
            return super().query(query, **kwargs)
        kind, conditions = plan
        vectors = self.vectors(kind)
        rows = self._rows_for(kind, conditions, vectors)
        k = min(query.similarity_top_k, len(vectors.ids) if rows is None else len(rows))
        if k <= 0:
            return VectorStoreQueryResult(nodes=[], similarities=[], ids=[])
        q = np.asarray(query.query_embedding, dtype=np.float32)
        q = q / (np.linalg.norm(q) or 1.0)
        sims = (vectors.matrix if rows is None else vectors.matrix[rows]) @ q
        top = np.argpartition(-sims, k - 1)[:k] if k < len(sims) else np.arange(len(sims))
        top = top[np.argsort(-sims[top], kind="stable")]
        ranked = [(vectors.ids[t if rows is None else rows[t]], float(sims[t])) for t in top]
        got = self._collection.get(ids=[i for i, _ in ranked], include=["documents", "metadatas"])
        found = {i: (m, d) for i, m, d in zip(got["ids"], got["metadatas"], got["documents"], strict=True)}
        ranked = [(i, sim) for i, sim in ranked if i in found]
        return VectorStoreQueryResult(
            nodes=[metadata_dict_to_node(found[i][0], text=found[i][1]) for i, _ in ranked],
            similarities=[sim for _, sim in ranked],
            ids=[i for i, _ in ranked],
        )

    def vectors(self, kind: str) -> KindVectors:
        """Every vector of ``kind`` in this generation, normalised (read at the first query for it)."""
        with self._lock:
            if kind not in self._kinds:
                self._kinds[kind] = self._read(kind)
            return self._kinds[kind]

    def _read(self, kind: str) -> KindVectors:
        ids: list[str] = []
        parts: list[np.ndarray] = []
        columns: dict[str, list[Any]] = {key: [] for key in _COLUMNS}
        offset = 0
        while True:
            got = self._collection.get(
                where={KIND: kind}, include=["embeddings", "metadatas"], limit=_PAGE, offset=offset
            )
            ids += got["ids"]
            if len(got["ids"]):
                parts.append(np.asarray(got["embeddings"], dtype=np.float32))
            for meta in got["metadatas"]:
                for key in _COLUMNS:
                    columns[key].append(meta.get(key))
            if len(got["ids"]) < _PAGE:
                break
            offset += _PAGE
        matrix = np.concatenate(parts) if parts else np.zeros((0, 384), dtype=np.float32)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return KindVectors(ids, matrix / np.where(norms == 0, 1, norms), columns)

    def ids_by(self, kind: str, key: str, values: list[Any]) -> list[str]:
        """Ids of the nodes of ``kind`` whose ``key`` (one of :data:`_COLUMNS`) is one of ``values``,
        from the columns in memory: a fetch by id stays fast however large the collection, where
        Chroma's ``where`` on the kind reads every node of it."""
        vectors = self.vectors(kind)
        with self._lock:
            groups = self._groups.get((kind, key))
            if groups is None:
                groups = {}
                for node_id, value in zip(vectors.ids, vectors.columns[key], strict=True):
                    groups.setdefault(value, []).append(node_id)
                self._groups[(kind, key)] = groups
        return [node_id for value in dict.fromkeys(values) for node_id in groups.get(value, ())]

    def _rows_for(self, kind: str, conditions: tuple, vectors: KindVectors) -> np.ndarray | None:
        """Rows of ``kind`` meeting ``conditions`` (None: all of them); cached, filters repeat."""
        if not conditions:
            return None
        with self._lock:
            key = (kind, conditions)
            if key not in self._rows:
                self._rows[key] = np.array(
                    [
                        i
                        for i in range(len(vectors.ids))
                        if all(vectors.columns[c][i] in values for c, values in conditions)
                    ],
                    dtype=np.int64,
                )
                if len(self._rows) > 64:
                    self._rows.popitem(last=False)
            else:
                self._rows.move_to_end(key)
            return self._rows[key]


class Store:
    """One complete index generation: the Chroma collection of its passage and sentence nodes."""

    def __init__(self, settings: Settings, collection: Any, generation: int = 0) -> None:
        self.settings = settings
        self.collection = collection
        self.generation = generation
        exact = settings.store_search == "exact"
        self.vector_store = (ExactChromaVectorStore if exact else CosineChromaVectorStore)(chroma_collection=collection)

    @classmethod
    def live(cls, settings: Settings, client: Any | None = None) -> Store:
        """The generation readers should use now; a clear error when there is none or it cannot be read."""
        from assistant.index.generations import Generations

        generations = Generations(settings, client if client is not None else make_client(settings, create=False))
        number, collection = generations.open_live()
        return cls(settings, collection, number)

    # ------------------------------------------------------------------ reading
    def count(self, kind: str = PASSAGE) -> int:
        return len(self.collection.get(where={KIND: kind}, include=[])["ids"])

    def passages(self) -> list[TextNode]:
        """Every passage node (text and metadata, no embedding) for BM25 and the document list."""
        got = self.collection.get(where={KIND: PASSAGE}, include=["documents", "metadatas"])
        pairs = zip(got["metadatas"], got["documents"], strict=True)
        nodes = [metadata_dict_to_node(meta, text) for meta, text in pairs]

        def order(node: TextNode) -> tuple:
            address = Address.of(node)
            return address.doc_id, address.paragraph, node.metadata[WINDOW]

        return sorted(nodes, key=order)

    def minilm_vectors(self, kind: str) -> tuple[list[str], list[str], Any]:
        """Ids, paragraph keys and MiniLM vectors (float32 rows) of every record of ``kind``: the exact
        store's own copy when it has one (read once, in pages), so the vectors are held once."""
        import numpy as np

        if isinstance(self.vector_store, ExactChromaVectorStore):
            held = self.vector_store.vectors(kind)
            return list(held.ids), list(held.columns[PARA_KEY]), held.matrix
        got = self.collection.get(where={KIND: kind}, include=["metadatas", "embeddings"])
        matrix = np.asarray(got["embeddings"], dtype=np.float32).reshape(len(got["ids"]), -1)
        return list(got["ids"]), [m[PARA_KEY] for m in got["metadatas"]], matrix

    def e5_vectors(self) -> dict[str, list[float]]:
        """The e5 vector of each passage that has a twin record, by the passage's node id."""
        got = self.collection.get(where={KIND: E5_PASSAGE}, include=["embeddings"])
        suffix = ".e5"
        return {i.removesuffix(suffix): list(map(float, e)) for i, e in zip(got["ids"], got["embeddings"], strict=True)}

    def sentences(self, para_keys: list[str] | None = None, doc_id: str | None = None) -> list[Sentence]:
        """Sentences of the given paragraphs (or of a whole document), with embeddings, in document order."""
        if para_keys is not None and not para_keys:
            return []
        include = ["documents", "metadatas", "embeddings"]
        if para_keys is not None and isinstance(self.vector_store, ExactChromaVectorStore):
            ids = self.vector_store.ids_by(SENTENCE, PARA_KEY, list(para_keys))  # by id: no scan of every sentence
            got = (
                self.collection.get(ids=ids, include=include)
                if ids
                else {"metadatas": [], "documents": [], "embeddings": []}
            )
        else:
            scope = {PARA_KEY: {"$in": list(para_keys)}} if para_keys is not None else {DOC_ID: doc_id}
            got = self.collection.get(where={"$and": [{KIND: SENTENCE}, scope]}, include=include)
        out = [
            Sentence.of(meta, text, list(map(float, emb)))
            for meta, text, emb in zip(got["metadatas"], got["documents"], got["embeddings"], strict=True)
        ]
        return sorted(out, key=lambda s: (s.address.doc_id, s.address.paragraph, s.start))

    def sentence_records(self) -> list[tuple[Sentence, SentenceFacts | None]]:
        """Every sentence with the facts ingest stored on it, without embeddings, in document order.

        What the views are built from: one metadata read, no vectors (a tenth of the bytes).
        """
        got = self.collection.get(where={KIND: SENTENCE}, include=["documents", "metadatas"])
        out = [
            (Sentence.of(meta, text, []), SentenceFacts.of(meta))
            for meta, text in zip(got["metadatas"], got["documents"], strict=True)
        ]
        return sorted(out, key=lambda r: (r[0].address.doc_id, r[0].address.paragraph, r[0].start))


def paragraph_text(para_key: str, sentences: list[Sentence]) -> str:
    """Rebuild a paragraph from its sentences (they tile it; the gaps between them are single spaces)."""
    parts = sorted((s for s in sentences if s.para_key == para_key), key=lambda s: s.start)
    address = parts[0].address
    chars = [" "] * (address.end - address.start)
    for s in parts:
        chars[s.start : s.end] = s.text
    return "".join(chars)
