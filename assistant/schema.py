"""The shapes every part shares: a passage's address, retrieval filters, and the answer (DESIGN.md §2–3).

Node metadata is written once (:meth:`Address.metadata`, :func:`sentence_metadata`,
:meth:`SentenceFacts.metadata`) and read once (:meth:`Address.of`, :meth:`Sentence.of`,
:meth:`SentenceFacts.of`), so no module reads bare metadata keys.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

from pydantic import BaseModel, Field, PrivateAttr, model_validator

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


def is_sentence(node: Any) -> bool:
    """Whether a node is a quotable sentence (not a passage window)."""
    return getattr(node, "metadata", node).get(KIND) == SENTENCE


def sentence_of(node: Any) -> Sentence:
    """A sentence node as a :class:`Sentence` (its embedding when it has one)."""
    return Sentence.of(node.metadata, node.get_content(), list(node.embedding or []))


# What ingest found in each sentence (the views read it): only a sentence's first node carries it.
SENT_HEAD = "sent_head"
_FACT_KEYS = {
    "end": "sent_full_end",
    "operative": "op_type",
    "addressees": "op_addressees",
    "pillar": "pillar",
    "defines": "defines",
    "centrality": "centrality",
}
FACT_KEYS = (SENT_HEAD, *_FACT_KEYS.values())  # kept out of the embedded and LLM text


@dataclass(frozen=True)
class Definition:
    """A term a sentence defines: "National Action Plans (NAPs)", "resolution 2467 (2019) on …"."""

    term: str  # "NAP", "Resolution 1325 (2000)"
    expansion: str  # "National Action Plans", "Security Council resolution 1325 (2000)"
    kind: str  # "acronym" or "resolution"


@dataclass(frozen=True)
class SentenceFacts:
    """What ingest found in one sentence, stored on the node that begins it.

    A long sentence is quoted as several clause nodes; its first node carries the facts of the whole
    sentence, which runs from that node's start to ``end`` (an offset in the paragraph text).
    """

    end: int
    operative: str = ""  # recommend, call, commit, encourage, welcome, support, concern; "" when not operative
    addressees: tuple[str, ...] = ()  # canonical names ("States", "members", "the UN system")
    pillar: str = ""  # the WPS pillar the sentence belongs to, "" when none is clear
    defines: tuple[Definition, ...] = ()
    centrality: float = 0.0  # cosine of the sentence to the centroid of its section (set after embedding)

    @classmethod
    def of(cls, node_or_metadata: Any) -> SentenceFacts | None:
        """The facts a node carries; None for a node continuing a sentence, or an index built without facts."""
        m: Mapping[str, Any] = getattr(node_or_metadata, "metadata", node_or_metadata)
        if not m.get(SENT_HEAD):
            return None
        k = _FACT_KEYS
        return cls(
            end=int(m[k["end"]]),
            operative=m.get(k["operative"], "") or "",
            addressees=tuple(json.loads(m.get(k["addressees"]) or "[]")),
            pillar=m.get(k["pillar"], "") or "",
            defines=tuple(Definition(*d) for d in json.loads(m.get(k["defines"]) or "[]")),
            centrality=float(m.get(k["centrality"], 0.0) or 0.0),
        )

    def metadata(self) -> dict[str, Any]:
        """Flat metadata (Chroma holds strings and numbers: lists are stored as JSON)."""
        k = _FACT_KEYS
        return {
            SENT_HEAD: True,
            k["end"]: self.end,
            k["operative"]: self.operative,
            k["addressees"]: json.dumps(list(self.addressees), ensure_ascii=False),
            k["pillar"]: self.pillar,
            k["defines"]: json.dumps([[d.term, d.expansion, d.kind] for d in self.defines], ensure_ascii=False),
            k["centrality"]: round(self.centrality, 5),
        }

    def with_centrality(self, centrality: float) -> SentenceFacts:
        return replace(self, centrality=centrality)


def continuation_metadata() -> dict[str, Any]:
    """The facts metadata of a node that continues a sentence begun by an earlier node."""
    return {SENT_HEAD: False}


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

    @property
    def reference(self) -> str:
        """One full reference line: title, meeting, place, date, section and paragraph."""
        parts = [self.title]
        if self.meeting and self.meeting not in self.title:
            parts.append(self.meeting)
        parts += [p for p in (self.place, self.date) if p]
        parts.append(self.where)
        return ", ".join(parts)


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
        """From a claim of :mod:`assistant.pipeline.llm.claims` (anything with ``text`` and ``markers``)."""
        if claim is None:
            return cls(kind=kind, detail=detail)
        return cls(kind=kind, sentence=claim.text, citations=list(claim.markers), detail=detail)


class SentenceCheck(BaseModel):
    """One sentence of a language model's reply, checked while the model is still writing: streamed
    between its text and the answer, so the reader sees each sentence kept or removed as it comes.

    Provisional: a marker written later ("… [1]" at the paragraph's end) changes what an earlier
    sentence cites; it is then checked again and sent again with the same ``index``. The answer that
    follows is what counts (it may also fall back as a whole)."""

    index: int = Field(description="The sentence's place in the model's reply, from 0.")
    sentence: str = Field(description="The sentence as the model wrote it, markers included.")
    kept: bool = Field(description="Whether the source check keeps it.")
    citations: list[int] = Field(
        default_factory=list,
        description="Kept: the passages supporting it; removed: those it cited (the model's numbering).",
    )
    sources: list[str] = Field(
        default_factory=list, description="Where each supporting passage stands ('Rome 2026, Prevention, ¶13')."
    )
    kind: str = Field("", description="Why it was removed (a check's kind, see Check); empty when kept.")
    detail: str = Field("", description="Why, in words; empty when kept.")


class Answer(BaseModel):
    """The one answer shape shared by the CLI, the API and the UI (DESIGN.md §3)."""

    id: str = Field(
        "", description="Issued by the web server that gave the answer (signed); feedback names it. Empty in the CLI."
    )
    question: str
    standalone_question: str
    answer: str
    abstained: bool = False
    tier: Literal["answered", "possibly_relevant", "not_addressed"] = Field(
        "answered",
        description="answered: the passages state what is asked; possibly_relevant: on topic, but they do not "
        "say it directly (the closest passages are shown as related); not_addressed: the corpus lacks the "
        "meeting or the specific asked. ``abstained`` is true for the last two.",
    )
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

    @model_validator(mode="after")
    def _tier_agrees_with_abstained(self) -> Answer:
        # One truth for two fields: a lower tier is an abstention, and an abstention given without a
        # tier is "not addressed" (the strongest "no"), never a silent "answered".
        if self.tier != "answered":
            self.abstained = True
        elif self.abstained:
            self.tier = "not_addressed"
        return self

    @property
    def signals(self) -> dict[str, float | None]:
        return self._signals
