"""The indexed documents: their facts, sections with paragraph counts, and paragraphs, read from the store.

Computed once per assistant from the passages it already holds; a document's paragraphs are read from
the store the first time they are asked for, then kept.
"""

from __future__ import annotations

import threading
from pathlib import Path

from llama_index.core.schema import TextNode

from assistant.index.store import Store, paragraph_text
from assistant.ingest.facts import meeting_format
from assistant.schema import Address

OPENING_PARAGRAPHS = 3  # where a document says how its meeting was held, if it says so at all


def documents_of(passages: list[TextNode]) -> list[dict]:
    """Documents, their facts and sections (with paragraph counts), from the indexed passages.

    A document's ``format`` ("online", "hybrid" or None) is read here, from its title block and opening
    paragraphs, so that "the online meeting" names it without a re-ingest."""
    docs: dict[str, dict] = {}
    openings: dict[str, dict[int, str]] = {}
    for node in passages:
        a = Address.of(node)
        doc = docs.setdefault(
            a.doc_id,
            {"doc_id": a.doc_id, "title": a.title, "meeting": a.meeting, "date": a.date, "place": a.place}
            | {"file": Path(a.source_path).name, "sections": {}},
        )
        doc["sections"].setdefault(a.section, set()).add(a.paragraph)
        openings.setdefault(a.doc_id, {}).setdefault(a.paragraph, node.get_content())
    for doc_id, doc in docs.items():
        opening = [text for _, text in sorted(openings[doc_id].items())[:OPENING_PARAGRAPHS]]
        title_block = " ".join(filter(None, (doc["title"], doc["meeting"], doc["place"])))
        doc["format"] = meeting_format(title_block, opening)
    return [
        {**d, "sections": [{"name": s, "paragraphs": len(ps)} for s, ps in d["sections"].items()]}
        for d in docs.values()
    ]


class Catalog:
    """What is indexed, for the document list, the browser, health and the evaluation."""

    def __init__(self, store: Store, passages: list[TextNode]) -> None:
        self.store = store
        self.documents = documents_of(passages)
        self._paragraphs: dict[str, list[dict]] = {}
        self._lock = threading.Lock()

    def paragraphs(self, doc_id: str) -> list[dict]:
        """Every paragraph of one document, in order, with its section and full text (read once)."""
        with self._lock:
            if doc_id not in self._paragraphs:
                self._paragraphs[doc_id] = self._read(doc_id)
            return self._paragraphs[doc_id]

    def _read(self, doc_id: str) -> list[dict]:
        sentences = self.store.sentences(doc_id=doc_id)
        seen: dict[str, dict] = {}
        for s in sentences:
            if s.para_key not in seen:
                a = s.address
                seen[s.para_key] = {
                    "paragraph": a.paragraph,
                    "label": a.label,
                    "section": a.section,
                    "language": a.language,
                    "text": paragraph_text(s.para_key, sentences),
                }
        return list(seen.values())
