"""Bring the index up to date with the corpus folder: parse, chunk, embed, store — incrementally.

llama-index's ``IngestionPipeline`` with a docstore does the dedupe (a Document's hash changes with
its file's content): unchanged files are skipped, changed ones replaced. We add what it leaves to the
caller: removing files that left the corpus (but never a file that is still there and merely failed
to parse: its last good version stays searchable), one document at a time with the docstore saved
after each, so an interrupted ingest resumes where it stopped.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from llama_index.core.ingestion import DocstoreStrategy, IngestionPipeline
from tqdm import tqdm

from assistant.index.e5 import E5Model, E5Twins
from assistant.index.embeddings import MiniLMEmbedding
from assistant.index.store import Store
from assistant.ingest.centrality import SentenceCentrality
from assistant.ingest.chunking import CommuniqueNodeParser, chunking_signature, parsed_to_document
from assistant.ingest.document import ParsedDocument, ParseError
from assistant.ingest.parse import SUPPORTED_SUFFIXES, doc_id_for, parse_file
from assistant.ingest.sentence_facts import SentenceFactsExtractor
from assistant.settings import Settings


class CorpusMissingError(FileNotFoundError):
    """The corpus folder does not exist."""


@dataclass
class IngestReport:
    """What one ingest run did, by document id."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason)
    nodes_embedded: int = 0
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def summary(self) -> str:
        lines = [
            f"{len(self.added)} added, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
            f"{len(self.removed)} removed; {self.nodes_embedded} passages and sentences embedded "
            f"in {self.seconds:.1f} s"
        ]
        lines += [f"  could not read {name}: {reason}" for name, reason in self.failed]
        return "\n".join(lines)


def corpus_files(corpus_dir: Path) -> list[Path]:
    """Supported files in the corpus folder (recursively), hidden files and folders skipped."""
    if not corpus_dir.is_dir():
        raise CorpusMissingError(f"Corpus folder not found: {corpus_dir}")
    return sorted(
        p
        for p in corpus_dir.rglob("*")
        if p.is_file()
        and p.suffix.lower() in SUPPORTED_SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(corpus_dir).parts)
    )


def ingest_corpus(
    settings: Settings,
    store: Store,
    embed_model: MiniLMEmbedding,
    show_progress: bool = True,
    e5: E5Model | None = None,
) -> IngestReport:
    """Make the index match ``settings.corpus_dir``; re-embed only what changed.

    With ``e5``, every passage also gets its twin record carrying the e5 vector (index/e5.py).
    """
    started = time.perf_counter()
    report = IngestReport()
    parsed: dict[str, ParsedDocument] = {}
    present: set[str] = set()
    for path in corpus_files(settings.corpus_dir):
        doc_id = doc_id_for(path)
        if doc_id in present:
            report.failed.append((path.name, f"another file already has the name {doc_id!r}; rename one"))
            continue
        present.add(doc_id)
        try:
            parsed[doc_id] = parse_file(path)
        except ParseError as exc:
            report.failed.append((path.name, exc.reason))

    docstore = store.load_docstore()
    known = {doc_id: digest for digest, doc_id in docstore.get_all_document_hashes().items()}
    for doc_id in sorted(set(known) - present):
        store.delete_document(doc_id)
        docstore.delete_document(doc_id, raise_error=False)
        report.removed.append(doc_id)
    if report.removed:
        store.save_docstore(docstore)

    pending = []
    signature = chunking_signature(settings.chunk_max_tokens, settings.sentence_max_words, e5 is not None)
    for doc_id, doc in parsed.items():
        document = parsed_to_document(doc, signature)
        if doc_id not in known:
            # Not recorded as ingested: clear anything a crashed run may have left in Chroma.
            store.delete_document(doc_id)
            report.added.append(doc_id)
            pending.append(document)
        elif known[doc_id] != document.hash:
            report.updated.append(doc_id)
            pending.append(document)
        else:
            report.unchanged.append(doc_id)

    pipeline = IngestionPipeline(
        transformations=[
            CommuniqueNodeParser(
                parsed,
                embed_model.count_tokens,
                max_tokens=settings.chunk_max_tokens,
                sentence_max_words=settings.sentence_max_words,
            ),
            SentenceFactsExtractor(),  # operative type, addressees, pillar, definitions (for the views)
            embed_model,
            SentenceCentrality(),  # from the embeddings just computed (for the document guides)
            *([E5Twins(e5)] if e5 is not None else []),
        ],
        vector_store=store.vector_store,
        docstore=docstore,
        docstore_strategy=DocstoreStrategy.UPSERTS,
        disable_cache=True,
    )
    bar = tqdm(pending, desc="Embedding", unit="doc", disable=not show_progress or not pending)
    for document in bar:
        bar.set_postfix_str(document.id_[:40])
        nodes = pipeline.run(documents=[document], show_progress=False)
        report.nodes_embedded += len(nodes)
        store.save_docstore(docstore)
    report.seconds = time.perf_counter() - started
    return report
