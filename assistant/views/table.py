"""The in-memory table every view reads: whole sentences with their facts, paragraphs, documents by date.

Built once per assistant from the sentence metadata ingest stored (:meth:`Store.sentence_records`, no
embeddings), so the views answer from memory and replicas sharing one Chroma server build the same
table. Every line a view shows is cited through :meth:`CorpusTable.cite`: the same :class:`Citation`
as ``/api/ask``, whose quote is an exact substring of its paragraph.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from assistant.index.store import paragraph_text
from assistant.schema import Address, Citation, Sentence, SentenceFacts

# Sections that hold a document's opening rather than a theme of its own.
OPENING_SECTIONS = {"preamble", "main text", "introduction"}


@dataclass(frozen=True)
class Line:
    """One whole sentence of a paragraph (its clause nodes joined) with the facts ingest found."""

    address: Address
    start: int  # offsets in the paragraph text
    end: int
    text: str
    facts: SentenceFacts

    @property
    def para_key(self) -> str:
        return self.address.para_key

    @property
    def key(self) -> str:
        """A stable id of the sentence: its paragraph and offset ("doc#p12@301")."""
        return f"{self.para_key}@{self.start}"


def short_name(doc: dict) -> str:
    """'Rome 2026' when place and year are known, else the document's meeting or title."""
    city = (doc.get("place") or "").split(",")[0].strip()
    year = (doc.get("date") or "")[:4]
    if city and year:
        return f"{city} {year}"
    return doc.get("meeting") or doc.get("title") or doc["doc_id"]


class CorpusTable:
    """Documents (by meeting date), paragraph texts and whole sentences, read once from the store."""

    def __init__(self, documents: Iterable[dict], records: Iterable[tuple[Sentence, SentenceFacts | None]]) -> None:
        # Meetings in date order; undated documents last, by title.
        self.documents = sorted(documents, key=lambda d: (not d.get("date"), d.get("date") or "", d["title"]))
        self._docs = {d["doc_id"]: d for d in self.documents}
        pieces: dict[str, list[tuple[Sentence, SentenceFacts | None]]] = {}
        for sentence, facts in records:
            pieces.setdefault(sentence.para_key, []).append((sentence, facts))
        self.paragraphs: dict[str, str] = {}
        self.addresses: dict[str, Address] = {}
        lines: list[Line] = []
        for key, group in pieces.items():
            group.sort(key=lambda p: p[0].start)
            text = paragraph_text(key, [s for s, _ in group])
            self.paragraphs[key] = text
            self.addresses[key] = group[0][0].address
            for sentence, facts in group:
                if facts is not None:
                    end = max(facts.end, sentence.end)
                    lines.append(Line(sentence.address, sentence.start, end, text[sentence.start : end], facts))
        order = {d["doc_id"]: i for i, d in enumerate(self.documents)}
        self.lines = sorted(lines, key=lambda x: (order.get(x.address.doc_id, -1), x.address.paragraph, x.start))
        self.by_doc: dict[str, list[Line]] = {}
        for line in self.lines:
            self.by_doc.setdefault(line.address.doc_id, []).append(line)
        self._by_key = {line.key: line for line in self.lines}

    def document(self, doc_id: str) -> dict | None:
        return self._docs.get(doc_id)

    def line(self, key: str) -> Line | None:
        return self._by_key.get(key)

    def name(self, doc_id: str) -> str:
        doc = self._docs.get(doc_id)
        return short_name(doc) if doc else doc_id

    def cite(self, line: Line, n: int = 1, score: float = 1.0) -> Citation:
        """The citation of a sentence: its paragraph's address and text, the sentence as the quote."""
        return Citation.at(n, line.address, self.paragraphs[line.para_key], line.text, line.start, score, {})
