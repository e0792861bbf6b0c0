"""Chroma, embedded in ``index/`` or behind a ``chroma run`` server, holding passages and sentences.

Chroma is the single source of truth for what is indexed: BM25 is rebuilt from its passages at start
(a few ms per thousand passages), so app replicas sharing one Chroma server see the same corpus.
The llama-index docstore beside it only records which file versions were ingested.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from llama_index.core.schema import TextNode
from llama_index.core.storage.docstore import SimpleDocumentStore
from llama_index.core.vector_stores.types import VectorStoreQuery, VectorStoreQueryResult
from llama_index.core.vector_stores.utils import metadata_dict_to_node
from llama_index.vector_stores.chroma import ChromaVectorStore

from assistant.schema import (
    DOC_ID,
    E5_PASSAGE,
    KIND,
    PARA_KEY,
    PASSAGE,
    SENTENCE,
    WINDOW,
    Address,
    Sentence,
    SentenceFacts,
)
from assistant.settings import Settings

DOCSTORE_FILE = "docstore.json"


class IndexMissingError(RuntimeError):
    """The index has no passages: nothing was ingested yet."""


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


def make_client(settings: Settings) -> Any:
    """A Chroma client: HTTP when ``WPS_CHROMA_HOST`` is set, else persistent in ``index_dir``."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_host:
        return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
    settings.index_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.index_dir), settings=chroma_settings)


class Store:
    """The Chroma collection of our nodes, and the ingest docstore beside it."""

    def __init__(self, settings: Settings, client: Any | None = None) -> None:
        self.settings = settings
        self.client = client if client is not None else make_client(settings)
        # embedding_function=None: we always pass our own vectors, and Chroma must never fetch its model.
        self.collection = self.client.get_or_create_collection(
            settings.collection, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
        )
        self.vector_store = CosineChromaVectorStore(chroma_collection=self.collection)

    # ------------------------------------------------------------------ ingest bookkeeping
    @property
    def docstore_path(self) -> Path:
        return self.settings.index_dir / DOCSTORE_FILE

    def load_docstore(self) -> SimpleDocumentStore:
        if self.docstore_path.exists():
            return SimpleDocumentStore.from_persist_path(str(self.docstore_path))
        return SimpleDocumentStore()

    def save_docstore(self, docstore: SimpleDocumentStore) -> None:
        """Write atomically, so an interrupted ingest never leaves a half-written docstore."""
        self.docstore_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.docstore_path.with_suffix(".tmp")
        docstore.persist(str(tmp))
        tmp.replace(self.docstore_path)

    def delete_document(self, doc_id: str) -> None:
        self.vector_store.delete(doc_id)

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

    def e5_vectors(self) -> dict[str, list[float]]:
        """The e5 vector of each passage that has a twin record, by the passage's node id."""
        got = self.collection.get(where={KIND: E5_PASSAGE}, include=["embeddings"])
        suffix = ".e5"
        return {
            i.removesuffix(suffix): list(map(float, e)) for i, e in zip(got["ids"], got["embeddings"], strict=True)
        }

    def sentences(self, para_keys: list[str] | None = None, doc_id: str | None = None) -> list[Sentence]:
        """Sentences of the given paragraphs (or of a whole document), with embeddings, in document order."""
        if para_keys is not None and not para_keys:
            return []
        scope = {PARA_KEY: {"$in": list(para_keys)}} if para_keys is not None else {DOC_ID: doc_id}
        got = self.collection.get(
            where={"$and": [{KIND: SENTENCE}, scope]},
            include=["documents", "metadatas", "embeddings"],
        )
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
