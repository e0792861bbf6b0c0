"""Bring the index up to date with the corpus folder: build a new generation, then switch to it.

Under the writer lock (:mod:`assistant.index.lock`), one run:

1. reads the corpus (:mod:`assistant.ingest.corpus`: hygiene, smallest file first) and what the live
   generation holds, by each node's file hash — the index itself is the record of what was ingested;
2. writes generation N+1: unchanged documents are copied from the live one with their stored
   embeddings (no re-embedding), new and changed ones go through llama-index transformations (our node
   parser, then the embedding models, e5 on a second thread), one document at a time;
3. checks that N+1 holds every wanted document whole, and switches the pointer in one write;
4. drops generations readers have left (:meth:`Generations.cleanup`).

Nothing changed → no new generation. A killed run leaves the pointer as it was: readers keep the
complete live generation, and the next run resumes the unfinished one (documents it holds whole with
the right hash are kept, the rest written again). A file that is still there but now fails to read
keeps its last good version. The docstore the pipeline used to keep beside Chroma is gone: it could
disagree with Chroma after a crash, and lived in ``index_dir`` where replicas sharing a Chroma
server could not see it.
"""

from __future__ import annotations

import itertools
import sys
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
from llama_index.core.schema import BaseNode, MetadataMode

from assistant.index.client import make_client, set_aside
from assistant.index.contents import STORE_BATCH, Held, copy_document, held_documents
from assistant.index.e5 import E5Model, E5Twins, add_twins
from assistant.index.embeddings import MiniLMEmbedding
from assistant.index.errors import IndexDamagedError, damaged
from assistant.index.generations import Generations
from assistant.index.integrity import damage
from assistant.index.lock import WriterLock, writer_id
from assistant.index.store import CosineChromaVectorStore
from assistant.ingest.centrality import SentenceCentrality
from assistant.ingest.chunking import CommuniqueNodeParser, chunking_signature, parsed_to_document
from assistant.ingest.corpus import Corpus, CorpusMissingError, drop_duplicates, read_corpus
from assistant.ingest.progress import document_bar
from assistant.ingest.report import IngestReport
from assistant.ingest.sentence_facts import SentenceFactsExtractor
from assistant.schema import DOC_ID
from assistant.settings import Settings

__all__ = ["CorpusMissingError", "IngestReport", "Step", "ingest_corpus"]

ENCODE_AHEAD = 1  # documents chunked and queued for e5 beyond its workers (bounds the nodes held in memory)
BAR_BATCHES = 4  # MiniLM batches between two updates of a document's progress bar


class CorpusEmptyError(RuntimeError):
    """Nothing in the corpus folder could be indexed; the index is left as it is."""


@dataclass(frozen=True)
class Step:
    """A point an ingest has reached, for progress displays (and the kill-point tests)."""

    name: str  # locked, planned, copied, stored, document, built, switched, done
    doc_id: str = ""
    done: int = 0
    total: int = 0


Progress = Callable[[Step], None]


def _open_for_writing(settings: Settings, rebuild: bool) -> Any:
    """The store to write; damaged files (as Chroma or a check of the files finds them) stop a plain
    ingest with the rebuild command, and are set aside by ``--rebuild``."""
    try:
        client = make_client(settings)
        reason = damage(settings)
        if reason is not None:
            raise damaged(settings, reason)
        return client
    except IndexDamagedError as exc:
        if not rebuild or settings.chroma_host:
            raise
        aside = set_aside(settings)  # the damaged files are kept in index_dir/damaged-*/, the index rebuilt
        print(f"The index could not be read ({exc}); its files were moved to {aside}.", file=sys.stderr)
        return make_client(settings)


def ingest_corpus(
    settings: Settings,
    embed_model: MiniLMEmbedding | Callable[[], MiniLMEmbedding],
    *,
    rebuild: bool = False,
    show_progress: bool = True,
    on_step: Progress | None = None,
    wait_seconds: float | None = None,
    client: Any | None = None,
    e5: E5Model | None = None,
) -> IngestReport:
    """Make the live index match ``settings.corpus_dir``; re-embed only what changed (all with ``rebuild``).

    ``embed_model`` may be a function that loads it: it is then loaded only once the lock is held and
    something needs embedding (a second ingest, or one with nothing to do, never loads it). With
    ``e5``, every passage also gets its twin record carrying the e5 vector (index/e5.py); the twins
    are copied between generations with their passages.
    """
    started = time.perf_counter()
    step = on_step or (lambda s: None)
    report = IngestReport(rebuilt=rebuild)
    wait = settings.ingest_wait_seconds if wait_seconds is None else wait_seconds
    if not settings.corpus_dir.is_dir():  # before any lock or store: a typo in a path fails fast
        raise CorpusMissingError(f"Corpus folder not found: {settings.corpus_dir}")
    with WriterLock(settings, wait) as lock:
        client = client if client is not None else _open_for_writing(settings, rebuild)
        lock.lease(client)
        step(Step("locked"))
        builder = _Builder(settings, embed_model, Generations(settings, client), report, step, show_progress, e5)
        builder.run(rebuild)
    report.seconds = time.perf_counter() - started
    step(Step("done"))
    return report


class _Builder:
    """One ingest run, once the lock is held."""

    def __init__(
        self,
        settings: Settings,
        embed_model: MiniLMEmbedding | Callable[[], MiniLMEmbedding],
        generations: Generations,
        report: IngestReport,
        step: Progress,
        show_progress: bool,
        e5: E5Model | None = None,
    ) -> None:
        self.settings = settings
        self.e5 = e5
        self.embed_model = embed_model
        self.gens = generations
        self.report = report
        self.step = step
        self.show_progress = show_progress
        self.signature = chunking_signature(settings.chunk_max_tokens, settings.sentence_max_words, e5 is not None)

    def run(self, rebuild: bool) -> None:
        report, gens = self.report, self.gens
        pointer = gens.pointer()
        live_collection = gens.open(pointer.live) if pointer.live and pointer.live in gens.numbers() else None
        live = held_documents(live_collection) if live_collection is not None else {}
        copyable = not rebuild and live_collection is not None and gens.signature(pointer.live) == self.signature
        started = time.perf_counter()
        corpus = read_corpus(self.settings, report)
        report.add_time("parse", time.perf_counter() - started)
        drop_duplicates(corpus, report, prefer=set(live))
        wanted = self._plan(corpus, live, copyable)
        report.generation = pointer.live if live_collection is not None else 0
        if not wanted:
            raise CorpusEmptyError(f"No readable document in {self.settings.corpus_dir}; the index is left as it is.")
        if live_collection is not None and not rebuild and not report.changed:
            if pointer.building:
                gens.abandon()  # an interrupted run that this one makes moot
            report.dropped = gens.cleanup(self.settings.generation_grace_seconds)
            return
        target, collection = self._target(pointer, rebuild)
        self.step(Step("planned", total=len(wanted)))
        kept = self._reconcile(collection, wanted, resumed=target == pointer.building and not rebuild)
        for doc_id in [d for d in wanted if d not in kept and d not in corpus.parsed]:
            report.nodes_copied += copy_document(
                live_collection, collection, doc_id
            )  # unreadable now: its last version
        unchanged = set(report.unchanged)
        to_copy = [d for d in corpus.parsed if d not in kept and d in unchanged]
        for n, doc_id in enumerate(to_copy, start=1):
            report.nodes_copied += copy_document(live_collection, collection, doc_id)
            self.step(Step("copied", doc_id, n, len(to_copy)))
        self._embed(collection, corpus, [d for d in corpus.parsed if d not in kept and d not in to_copy])
        self.step(Step("built"))
        self._check(collection, wanted)
        gens.switch(target)
        report.generation, report.switched = target, True
        self.step(Step("switched"))
        gens.drop_legacy()
        report.dropped = gens.cleanup(self.settings.generation_grace_seconds)

    def _plan(self, corpus: Corpus, live: dict[str, Held], copyable: bool) -> dict[str, str]:
        """doc id → the file hash the new generation must hold it with; sorts documents in the report."""
        report = self.report
        wanted: dict[str, str] = {}
        for doc_id, doc in corpus.parsed.items():
            wanted[doc_id] = doc.content_hash
            old = live.get(doc_id)
            if old is None:
                report.added.append(doc_id)
            elif old.content_hash == doc.content_hash and copyable:
                report.unchanged.append(doc_id)
            else:
                report.updated.append(doc_id)
        for doc_id, old in live.items():
            if doc_id in corpus.present and doc_id not in corpus.parsed:
                wanted[doc_id] = old.content_hash  # the file is there but fails to read now
            elif doc_id not in corpus.present:
                report.removed.append(doc_id)
        return wanted

    def _target(self, pointer, rebuild: bool) -> tuple[int, Any]:
        """The unfinished generation of an interrupted run, to resume, or a new one."""
        gens = self.gens
        numbers = gens.numbers()
        if not rebuild and pointer.building in numbers and gens.signature(pointer.building) == self.signature:
            return pointer.building, gens.resume(pointer.building, writer_id())
        number = max([*numbers, pointer.live, pointer.building, gens.last_number(), 0]) + 1
        return number, gens.begin(number, self.signature, writer_id())

    def _reconcile(self, collection: Any, wanted: dict[str, str], resumed: bool) -> set[str]:
        """Remove from the target what does not belong; return the documents it already holds whole."""
        kept = set()
        for doc_id, held in held_documents(collection).items():
            if wanted.get(doc_id) == held.content_hash and held.complete:
                kept.add(doc_id)
            else:
                collection.delete(where={DOC_ID: doc_id})
        if resumed:
            self.report.resumed = sorted(kept)
        return kept

    def _embed(self, collection: Any, corpus: Corpus, doc_ids: list[str]) -> None:
        """Chunk, embed (MiniLM, and e5 for the passages) and store each document, one at a time.

        The steps are llama-index transformations, run here in the order an ``IngestionPipeline``
        would (parser, facts, MiniLM, centrality, e5 twins), but e5 runs ahead on threads of its own
        (``WPS_INGEST_PARALLEL_ENCODERS``, ``WPS_INGEST_E5_WORKERS``): it needs only the passages' text,
        and both engines release the GIL, so on two cores the encoders overlap instead of adding up. MiniLM gets a whole
        document's texts at once, sorted by length into batches of ``WPS_EMBED_BATCH_SIZE``, which
        pads far less than llama-index's batches in document order.
        """
        settings, report = self.settings, self.report
        if not doc_ids:
            return
        if not isinstance(self.embed_model, MiniLMEmbedding):
            started = time.perf_counter()
            self.embed_model = self.embed_model()
            report.add_time("model load", time.perf_counter() - started)
        parser = CommuniqueNodeParser(
            corpus.parsed,
            self.embed_model.count_tokens,
            max_tokens=settings.chunk_max_tokens,
            sentence_max_words=settings.sentence_max_words,
        )
        facts = SentenceFactsExtractor()  # operative type, addressees, pillar, definitions (for the views)
        centrality = SentenceCentrality()  # from the embeddings just computed (for the document guides)
        twins = E5Twins(self.e5, batch_size=settings.e5_batch_size) if self.e5 is not None else None
        vector_store = CosineChromaVectorStore(chroma_collection=collection)
        parallel = twins is not None and settings.ingest_parallel_encoders
        workers = settings.ingest_e5_workers if parallel else 0
        pool = ThreadPoolExecutor(workers, thread_name_prefix="e5") if workers else None

        def e5_vectors(nodes: list[BaseNode]) -> np.ndarray:
            started = time.perf_counter()
            vectors = twins.vectors(nodes)  # type: ignore[union-attr]
            report.add_time("e5", time.perf_counter() - started)
            return vectors

        def prepare(doc_id: str) -> tuple[str, list[BaseNode], Future | None]:
            started = time.perf_counter()
            nodes = facts(parser([parsed_to_document(corpus.parsed[doc_id], self.signature)]))
            report.add_time("chunk", time.perf_counter() - started)
            return doc_id, nodes, pool.submit(e5_vectors, nodes) if pool is not None else None

        pending: deque[tuple[str, list[BaseNode], Future | None]] = deque()
        upcoming = iter(doc_ids)
        try:
            for doc_id in itertools.islice(upcoming, ENCODE_AHEAD + workers):
                pending.append(prepare(doc_id))
            n = 0
            while pending:
                doc_id, nodes, future = pending.popleft()
                following = next(upcoming, None)
                if following is not None:
                    pending.append(prepare(following))  # e5 starts on it while MiniLM works on this one
                n += 1
                self._embed_document(doc_id, nodes, future, e5_vectors, twins, centrality, vector_store)
                self.step(Step("document", doc_id, n, len(doc_ids)))
        finally:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)

    def _embed_document(
        self,
        doc_id: str,
        nodes: list[BaseNode],
        future: Future | None,
        e5_vectors: Callable[[list[BaseNode]], np.ndarray],
        twins: E5Twins | None,
        centrality: SentenceCentrality,
        vector_store: CosineChromaVectorStore,
    ) -> None:
        report = self.report
        with document_bar(doc_id, len(nodes), self.show_progress) as bar:
            started = time.perf_counter()
            texts = [node.get_content(metadata_mode=MetadataMode.EMBED) for node in nodes]
            order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
            step = self.settings.embed_batch_size * BAR_BATCHES
            for i in range(0, len(order), step):
                part = order[i : i + step]
                for k, vector in zip(part, self.embed_model.encode([texts[k] for k in part]), strict=True):
                    nodes[k].embedding = vector
                bar.update(len(part))
            report.add_time("minilm", time.perf_counter() - started)
            nodes = centrality(nodes)
            if twins is not None:
                started = time.perf_counter()
                vectors = future.result() if future is not None else e5_vectors(nodes)
                report.add_time("e5 wait", time.perf_counter() - started)
                nodes = add_twins(nodes, vectors)
            started = time.perf_counter()
            for i in range(0, len(nodes), STORE_BATCH):
                vector_store.add(nodes[i : i + STORE_BATCH])
                self.step(Step("stored", doc_id, min(i + STORE_BATCH, len(nodes)), len(nodes)))
            report.add_time("store", time.perf_counter() - started)
        report.nodes_embedded += len(nodes)

    def _check(self, collection: Any, wanted: dict[str, str]) -> None:
        """Never switch to a generation that lacks a document or holds one in two versions."""
        held = held_documents(collection)
        wrong = sorted(
            d for d, h in wanted.items() if d not in held or not held[d].complete or held[d].content_hash != h
        )
        extra = sorted(set(held) - set(wanted))
        if wrong or extra:
            raise RuntimeError(
                f"The new index generation is incomplete ({', '.join(wrong + extra)}); it was not switched."
            )
