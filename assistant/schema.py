"""The shapes every part shares: a passage's address, retrieval filters, and the answer (DESIGN.md §2–3).

Node metadata is written once (:meth:`Address.metadata`, :func:`sentence_metadata`) and read once
(:meth:`Address.of`, :class:`SentenceSpan`), so no module reads bare metadata keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from pydantic import BaseModel, Field, PrivateAttr

# What a node is: a passage (what retrieval ranks) or a sentence (what an answer quotes).
KIND = "kind"
PASSAGE = "passage"
SENTENCE = "sentence"
E5_PASSAGE = "passage_e5"  # a passage's twin carrying its multilingual-e5 vector (index/e5.py)
# Metadata keys the store filters and sorts on; everything else is read through Address.
DOC_ID = "doc_id"
SECTION = "section"
PARAGRAPH = "paragraph"
PARA_KEY = "para_key"
WINDOW = "window"
LANGUAGE = "language"
# How many nodes the whole document has, on each of them: an ingest killed while writing a document
# leaves fewer, and the next ingest knows to write that document again.
DOC_NODES = "doc_nodes"


@dataclass(frozen=True)
class Address:
    """Where a passage stands: enough to cite it and to find it again in the source."""

    doc_id: str
    title: str
    meeting: str
    date: str
    place: str
    section: str
    paragraph: int  # 1-based position among the document's paragraphs
    label: str  # the number the document prints itself, "" when it prints none
    start: int  # the paragraph's offsets in the cleaned document text
    end: int
    source_path: str = ""
    content_hash: str = ""
    language: str = ""  # ISO 639-1 code of the paragraph's language ("en", "fr"); "" when unknown

    @property
    def para_key(self) -> str:
        """One id per paragraph, shared by its passage windows and its sentences."""
        return f"{self.doc_id}#p{self.paragraph}"

    @classmethod
    def of(cls, node_or_metadata: Any) -> Address:
        """The address of a node (or of its metadata dict)."""
        m: Mapping[str, Any] = getattr(node_or_metadata, "metadata", node_or_metadata)
        return cls(
            doc_id=m["doc_id"],
            title=m.get("title", ""),
            meeting=m.get("meeting", ""),
            date=m.get("date", ""),
            place=m.get("place", ""),
            section=m["section"],
            paragraph=int(m["paragraph"]),
            label=m.get("label", "") or "",
            start=int(m["start"]),
            end=int(m["end"]),
            source_path=m.get("source_path", ""),
            content_hash=m.get("content_hash", ""),
            language=m.get("language", "") or "",
        )

    def metadata(self) -> dict[str, Any]:
        """Flat metadata for a node (Chroma metadata holds strings and numbers only)."""
        return {**asdict(self), PARA_KEY: self.para_key}


def para_key(node_or_metadata: Any) -> str:
    """The paragraph id of a node, without building its whole address (the retriever's hot loop)."""
    return getattr(node_or_metadata, "metadata", node_or_metadata)[PARA_KEY]


def language_of(node_or_metadata: Any) -> str:
    """The language code of a node's paragraph ("" when unknown), without building its whole address."""
    return getattr(node_or_metadata, "metadata", node_or_metadata).get(LANGUAGE, "") or ""


def document_nodes(node_or_metadata: Any) -> int:
    """The number of nodes of the node's whole document (0 for nodes written before it was recorded)."""
    return int(getattr(node_or_metadata, "metadata", node_or_metadata).get(DOC_NODES, 0))


def passage_metadata(address: Address, window: int) -> dict[str, Any]:
    return {**address.metadata(), KIND: PASSAGE, WINDOW: window}


def sentence_metadata(address: Address, start: int, end: int, index: int) -> dict[str, Any]:
    return {**address.metadata(), KIND: SENTENCE, "sent_start": start, "sent_end": end, "sent_index": index}


@dataclass(frozen=True)
class Sentence:
    """A quotable sentence of a paragraph, with its embedding (unit length)."""

    address: Address
    start: int  # offsets within the paragraph text
    end: int
    text: str
    embedding: list[float]

    @property
    def para_key(self) -> str:
        return self.address.para_key

    @classmethod
    def of(cls, metadata: Mapping[str, Any], text: str, embedding: list[float]) -> Sentence:
        return cls(Address.of(metadata), int(metadata["sent_start"]), int(metadata["sent_end"]), text, embedding)


@dataclass(frozen=True)
class Filters:
    """Optional restriction of retrieval to some documents, sections and/or paragraph numbers."""

    doc_ids: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    paragraphs: tuple[int, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.doc_ids or self.sections or self.paragraphs)

    def matches(self, address: Address) -> bool:
        return (
            (not self.doc_ids or address.doc_id in self.doc_ids)
            and (not self.sections or address.section in self.sections)
            and (not self.paragraphs or address.paragraph in self.paragraphs)
        )


class Citation(BaseModel):
    n: int
    doc_id: str
    title: str
    meeting: str = ""
    date: str = ""
    place: str = ""
    section: str
    paragraph: int
    label: str = ""
    quote: str = Field(description="The supporting sentence(s), an exact substring of text.")
    quote_start: int = Field(description="Offset of the quote in text.")
    text: str = Field(description="The whole paragraph, an exact substring of the cleaned document.")
    start: int = Field(description="Offset of the paragraph in the cleaned document.")
    end: int
    score: float
    # How the score was made (signal → value), for the evaluation; never serialised, never shown.
    _breakdown: dict[str, float] = PrivateAttr(default_factory=dict)

    @classmethod
    def at(
        cls, n: int, address: Address, text: str, quote: str, quote_start: int, score: float, breakdown: dict
    ) -> Citation:
        citation = cls(
            n=n,
            doc_id=address.doc_id,
            title=address.title,
            meeting=address.meeting,
            date=address.date,
            place=address.place,
            section=address.section,
            paragraph=address.paragraph,
            label=address.label,
            quote=quote,
            quote_start=quote_start,
            text=text,
            start=address.start,
            end=address.end,
            score=round(score, 4),
        )
        citation._breakdown = dict(breakdown)
        return citation

    @property
    def breakdown(self) -> dict[str, float]:
        return self._breakdown

    @property
    def where(self) -> str:
        """'Prevention, ¶13': the paragraph number the document prints, when it prints one."""
        return f"{self.section}, ¶{self.label or self.paragraph}"


class Check(BaseModel):
    """Something the checker took out of a generated answer and why, or why the whole answer fell back."""

    kind: str = Field(
        description="no_citation, instruction, unsupported, unsupported_fact, citation_dropped; for a fallback: "
        "model_error, empty, declined, format, unknown_citation, unsupported_answer."
    )
    sentence: str = Field("", description="The generated sentence concerned, as the model wrote it.")
    citations: list[int] = Field(default_factory=list, description="The passage numbers it cited.")
    detail: str = Field(description="Why, in words.")

    @classmethod
    def of(cls, kind: str, claim: Any | None, detail: str) -> Check:
        """From a claim of :mod:`assistant.pipeline.claims` (anything with ``text`` and ``markers``)."""
        if claim is None:
            return cls(kind=kind, detail=detail)
        return cls(kind=kind, sentence=claim.text, citations=list(claim.markers), detail=detail)


class Answer(BaseModel):
    """The one answer shape shared by the CLI, the API and the UI (DESIGN.md §3)."""

    id: str = Field(
        "", description="Issued by the web server that gave the answer (signed); feedback names it. Empty in the CLI."
    )
    question: str
    standalone_question: str
    answer: str
    abstained: bool
    citations: list[Citation] = Field(default_factory=list)
    related: list[Citation] = Field(default_factory=list, description="Closest passages when abstaining.")
    confidence: float = Field(0.0, description="Best sentence score adjusted by how much the best passage stands out.")
    mode: str = Field(
        "extractive",
        description="extractive (the communiqués' sentences), generative (a model's answer, every sentence "
        "checked) or fallback (the model's answer could not be shown; the extractive answer instead).",
    )
    notice: str = Field("", description="One line for the reader when the answer was changed or fell back.")
    checks: list[Check] = Field(default_factory=list, description="What the checker removed and why.")
    timings_ms: dict[str, float] = Field(default_factory=dict)
    # The signals behind ``confidence`` (name → value), for the evaluation; never serialised or shown.
    _signals: dict[str, float | None] = PrivateAttr(default_factory=dict)

    @property
    def signals(self) -> dict[str, float | None]:
        return self._signals
