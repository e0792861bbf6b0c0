"""What an index generation holds, read from its own nodes, and copying a document between generations.

Every node carries its file's SHA-256 (``Address.content_hash``) and the number of nodes of its whole
document (``document_nodes``), so a generation says by itself which documents it holds, in which
version, and whether whole — the record an ingest plans from, with no bookkeeping beside Chroma.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assistant.schema import DOC_ID, Address, document_nodes

PAGE = 5000  # metadata rows read per request
STORE_BATCH = 64  # nodes written per request: a killed run leaves whole batches, and loses at most one


@dataclass
class Held:
    """One document as a generation holds it."""

    content_hash: str
    nodes: int
    expected: int

    @property
    def complete(self) -> bool:
        return self.expected > 0 and self.nodes == self.expected


def held_documents(collection: Any) -> dict[str, Held]:
    """Every document in a generation, with its file hash and whether all its nodes are there."""
    held: dict[str, Held] = {}
    offset = 0
    while True:
        page = collection.get(include=["metadatas"], limit=PAGE, offset=offset)["metadatas"]
        for meta in page:
            address = Address.of(meta)
            h = held.setdefault(address.doc_id, Held(address.content_hash, 0, document_nodes(meta)))
            h.nodes += 1
            if h.content_hash != address.content_hash or h.expected != document_nodes(meta):
                h.expected = -1  # two versions mixed: never complete
        if len(page) < PAGE:
            return held
        offset += PAGE


def copy_document(source: Any, target: Any, doc_id: str) -> int:
    """Copy one document's nodes, with their stored embeddings, from one generation into another."""
    got = source.get(where={DOC_ID: doc_id}, include=["embeddings", "documents", "metadatas"])
    ids = got["ids"]
    for i in range(0, len(ids), STORE_BATCH):
        part = slice(i, i + STORE_BATCH)
        target.add(
            ids=ids[part],
            embeddings=got["embeddings"][part],
            documents=got["documents"][part],
            metadatas=got["metadatas"][part],
        )
    return len(ids)
