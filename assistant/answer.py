"""Extractive answers: quote the sentences that answer the question, cite each, or abstain.

A sentence's score is its cosine similarity to the question plus ``lexical_weight`` times the share
of the question's informative words (IDF-weighted, stemmed) that it contains. A question whose key
words occur nowhere in the corpus gets a low share, which is what makes abstention work on
near-topic questions that embeddings alone find "similar" to something.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from llama_index.core.schema import NodeWithScore
from pydantic import BaseModel, Field

from assistant.retrieval import Retrieved
from assistant.settings import Settings
from assistant.store import Sentence

# Words that frame a question rather than say what it is about.
QUESTION_WORDS = set(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "if",
        "in",
        "into",
        "is",
        "it",
        "no",
        "not",
        "of",
        "on",
        "or",
        "such",
        "that",
        "the",
        "their",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "will",
        "with",
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "where",
        "when",
        "why",
        "how",
        "do",
        "does",
        "did",
        "done",
        "doing",
        "can",
        "could",
        "should",
        "would",
        "shall",
        "may",
        "might",
        "must",
        "have",
        "has",
        "had",
        "i",
        "we",
        "you",
        "our",
        "us",
        "me",
        "my",
        "your",
        "say",
        "says",
        "said",
        "tell",
        "told",
        "communique",
        "communiqué",
        "communiques",
        "communiqués",
        "document",
        "text",
        "network",
        "meeting",
        "mention",
        "mentions",
        "mentioned",
        "about",
        "regarding",
        "concerning",
        "anything",
        "something",
        "any",
        "some",
        "all",
        "also",
        "please",
        "give",
        "explain",
        "describe",
        "summarise",
        "summarize",
        "summary",
        "overview",
        "happen",
        "happened",
        "list",
        "its",
        "them",
        "those",
        "from",
        "than",
        "been",
        "being",
        "were",
        "whether",
        "agree",
        "agreed",
    ]
)
_BRITISH = re.compile(r"(?<=[a-z]{3})is(e|es|ed|ing|ation|ations)\b")
_TOKEN = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")


def _stemmer():  # PyStemmer comes with llama-index-retrievers-bm25 (bm25s)
    import Stemmer

    return Stemmer.Stemmer("english")


_ORDINAL = re.compile(
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|\d+(?:st|nd|rd|th))",
    re.I,
)


# Units an amount is stated in. A corpus that never names a currency cannot say how many of it.
UNITS = re.compile(
    r"(?:dollars?|usd|euros?|eur|pounds?|sterling|gbp|yen|yuan|renminbi|francs?|rupees?|krona|kronor|kroner"
    r"|shillings?|pesos?|reais|rand|kilomet(?:er|re)s?|km|miles?|tonnes?|tons?|kilograms?|kg|hectares?|litres?|liters?)",
    re.I,
)


class Terms:
    """Stemmed informative words and their IDF over the indexed sentences."""

    def __init__(self, texts: Iterable[str]) -> None:
        self._stem = _stemmer()
        docs = [set(self.terms(t)) for t in texts]
        self.n = max(len(docs), 1)
        self.df = Counter(term for doc in docs for term in doc)

    def terms(self, text: str) -> list[str]:
        text = _BRITISH.sub(r"iz\1", text.lower().replace("’", "'"))  # organisation ~ organization
        words = [w for w in _TOKEN.findall(text) if w not in QUESTION_WORDS]
        return self._stem.stemWords([w.split("'")[0] for w in words])

    def unknown_names(self, question: str) -> list[str]:
        """Numbers, units and capitalised names in the question that the corpus never mentions.

        "Resolution 2250", "the 2019 meeting", "in euros", "Sudan": the corpus cannot speak of what it
        never names.
        """
        words = re.findall(r"\b[\w'’-]+\b", question)
        names = [
            w
            for i, w in enumerate(words)
            if w[:1].isdigit()
            or _ORDINAL.fullmatch(w)
            or UNITS.fullmatch(w)
            or (i > 0 and w[:1].isupper() and not w.isupper())
        ]
        # A name is unknown when any of its parts is ("Secretary-General": the corpus has "General" only).
        return [w for w in names if (terms := self.terms(w)) and not all(t in self.df for t in terms)]

    def idf(self, term: str) -> float:
        # Unknown words weigh most: the corpus cannot answer what it never mentions.
        return math.log(1 + self.n / (self.df.get(term, 0) + 0.5))


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

    @property
    def where(self) -> str:
        """'Prevention, ¶13': the paragraph number the document prints, when it prints one."""
        return f"{self.section}, ¶{self.label or self.paragraph}"


class Answer(BaseModel):
    """The one answer shape shared by the CLI, the API and the UI (DESIGN.md §3)."""

    question: str
    standalone_question: str
    answer: str
    abstained: bool
    citations: list[Citation] = Field(default_factory=list)
    related: list[Citation] = Field(default_factory=list, description="Closest passages when abstaining.")
    confidence: float = Field(0.0, description="Best sentence score adjusted by how much the best passage stands out.")
    mode: str = "extractive"
    timings_ms: dict[str, float] = Field(default_factory=dict)


@dataclass
class _Scored:
    sentence: Sentence
    score: float


_NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty"
    r"|hundred|thousand|million|billion|dozen|percent"
)
ANSWER_TYPES = {
    # A year alone ("as 2024 Co-Chairs") is no quantity: "how much money" is not answered by it.
    "number": re.compile(rf"\b(?!(?:19|20)\d\d\b)\d|%|\b(?:{_NUMBER_WORDS})\b", re.I),
    "date": re.compile(
        r"\b(?:1[89]|20)\d\d\b|\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
    ),
    "name": re.compile(r"(?<!^)(?<![.!?] )\b[A-Z][a-z]+|\b[A-Z]{2,}\b"),
}
_ASKS = [
    ("number", re.compile(r"\bhow (?:many|much)\b|\bwhat (?:number|percentage|share|amount|figure)\b", re.I)),
    ("date", re.compile(r"\bwhen\b|\bwhat (?:date|year|day)\b|\bwhich year\b", re.I)),
    ("name", re.compile(r"^\s*(?:who|whom)\b|\bwhere\b", re.I)),
]


def expected_answer_type(question: str) -> str | None:
    """What kind of fact the question asks for, when its wording says so ("how many" → a number)."""
    return next((kind for kind, pattern in _ASKS if pattern.search(question)), None)


ABSTAIN_TEXT = "The communiqués do not address this question: no passage in the indexed documents answers it."


class ExtractiveAnswerer:
    """Choose supporting sentences from retrieved passages and compose a cited answer."""

    def __init__(self, settings: Settings, terms: Terms) -> None:
        self.settings = settings
        self.terms = terms

    def score(self, question: str, q_emb: list[float], sentences: list[Sentence]) -> list[_Scored]:
        """Cosine + weighted word overlap, less penalties for unknown names and the wrong kind of fact."""
        if not sentences:
            return []
        q_terms = set(self.terms.terms(question))
        q_weight = sum(self.terms.idf(t) for t in q_terms)
        # A lone digit (a stray "1" in pasted text) names nothing.
        unknown = [w for w in self.terms.unknown_names(question) if not (w.isdigit() and len(w) < 2)]
        numbers = [w for w in unknown if w[:1].isdigit() or UNITS.fullmatch(w)]
        # A number the corpus never states ("Resolution 2250", "in 2027") names something it cannot
        # speak of; an unknown capitalised word may still be a synonym or a spelling variant.
        penalty = self.settings.unknown_number_penalty * len(numbers)
        penalty += self.settings.unknown_name_penalty * (len(unknown) - len(numbers))
        wants = expected_answer_type(question)
        dense = np.asarray([s.embedding for s in sentences]) @ np.asarray(q_emb)
        out = []
        for sentence, cos in zip(sentences, dense, strict=True):
            overlap = q_terms & set(self.terms.terms(sentence.text))
            lexical = sum(self.terms.idf(t) for t in overlap) / q_weight if q_weight else 0.0
            score = float(cos) + self.settings.lexical_weight * lexical
            if wants and not ANSWER_TYPES[wants].search(sentence.text):
                score -= self.settings.answer_type_penalty
            out.append(_Scored(sentence, score - penalty))
        return out

    def answer(
        self,
        question: str,
        standalone: str,
        query: str,
        q_emb: list[float],
        retrieved: Retrieved,
        sentences: list[Sentence],
        force: bool = False,
        spread: tuple[str, ...] = (),
    ) -> Answer:
        """``force``: the user pointed at the passages themselves (e.g. "paragraph 13"), so never abstain.
        ``spread``: documents the question compares; each one's best sentence is cited."""
        passages = retrieved.passages
        scored = self.score(query, q_emb, sentences)
        best = max(scored, key=lambda s: s.score, default=None)
        confidence = self.confidence(best, retrieved.distinctiveness)
        if best is None or (confidence < self.settings.abstain_threshold and not force):
            return Answer(
                question=question,
                standalone_question=standalone,
                answer=ABSTAIN_TEXT,
                abstained=True,
                related=self._related(passages, sentences, scored),
                confidence=round(confidence, 4),
            )
        floor = best.score - self.settings.support_margin
        chosen = sorted((s for s in scored if s.score >= floor), key=lambda s: -s.score)[: self.settings.max_citations]
        for doc_id in spread:
            if not any(s.sentence.metadata["doc_id"] == doc_id for s in chosen):
                own = [s for s in scored if s.sentence.metadata["doc_id"] == doc_id]
                if own:
                    chosen.append(max(own, key=lambda s: s.score))
        citations = self._citations(chosen, passages, sentences)
        return Answer(
            question=question,
            standalone_question=standalone,
            answer=compose(citations),
            abstained=False,
            citations=citations,
            confidence=round(confidence, 4),
        )

    def confidence(self, best: _Scored | None, distinctiveness: float | None) -> float:
        """Best sentence score, raised or lowered by how much the best passage stands out."""
        if best is None:
            return 0.0
        if distinctiveness is None:
            return best.score
        return best.score + self.settings.distinctiveness_weight * (
            distinctiveness - self.settings.distinctiveness_center
        )

    def _citations(
        self, chosen: list[_Scored], passages: list[NodeWithScore], sentences: list[Sentence]
    ) -> list[Citation]:
        """One citation per paragraph, quoting its chosen sentences (merged when adjacent), best first."""
        by_para: dict[str, list[_Scored]] = {}
        for s in chosen:
            by_para.setdefault(s.sentence.para_key, []).append(s)
        meta = {p.node.metadata["para_key"]: p.node.metadata for p in passages}
        citations: list[Citation] = []
        # Best-supported first ([1] is the passage a reader should check), one document's passages together.
        best = {k: max(s.score for s in group) for k, group in by_para.items()}
        doc_best: dict[str, float] = {}
        for k, b in best.items():
            doc_best[meta[k]["doc_id"]] = max(b, doc_best.get(meta[k]["doc_id"], b))
        order = sorted(by_para, key=lambda k: (-doc_best[meta[k]["doc_id"]], -best[k]))
        for key in order:
            picked = sorted(by_para[key], key=lambda s: s.sentence.start)
            text = paragraph_text(key, sentences)
            for group in _adjacent_groups(picked, sentences):
                start, end = group[0].sentence.start, group[-1].sentence.end
                citations.append(
                    _citation(len(citations) + 1, meta[key], text, text[start:end], start, max(g.score for g in group))
                )
        return citations

    def _related(
        self, passages: list[NodeWithScore], sentences: list[Sentence], scored: list[_Scored]
    ) -> list[Citation]:
        best_by_para: dict[str, _Scored] = {}
        for s in scored:
            key = s.sentence.para_key
            if key not in best_by_para or s.score > best_by_para[key].score:
                best_by_para[key] = s
        related = []
        for p in passages[:3]:
            key = p.node.metadata["para_key"]
            if key in best_by_para:
                s = best_by_para[key]
                text = paragraph_text(key, sentences)
                related.append(
                    _citation(len(related) + 1, p.node.metadata, text, s.sentence.text, s.sentence.start, s.score)
                )
        return related


def paragraph_text(para_key: str, sentences: list[Sentence]) -> str:
    """Rebuild a paragraph from its sentences (they tile it; the gaps between them are single spaces)."""
    parts = sorted((s for s in sentences if s.para_key == para_key), key=lambda s: s.start)
    length = int(parts[0].metadata["end"]) - int(parts[0].metadata["start"])
    chars = [" "] * length
    for s in parts:
        chars[s.start : s.end] = s.text
    return "".join(chars)


def _adjacent_groups(picked: list[_Scored], sentences: list[Sentence]) -> list[list[_Scored]]:
    """Group chosen sentences of one paragraph that follow each other, so one quote covers them."""
    index = {(s.para_key, s.start): i for i, s in enumerate(sentences)}
    groups: list[list[_Scored]] = []
    for s in picked:
        i = index[(s.sentence.para_key, s.sentence.start)]
        if groups and index[(groups[-1][-1].sentence.para_key, groups[-1][-1].sentence.start)] == i - 1:
            groups[-1].append(s)
        else:
            groups.append([s])
    return groups


def _citation(n: int, meta: dict, text: str, quote: str, quote_start: int, score: float) -> Citation:
    return Citation(
        n=n,
        doc_id=meta["doc_id"],
        title=meta["title"],
        meeting=meta.get("meeting", ""),
        date=meta.get("date", ""),
        place=meta.get("place", ""),
        section=meta["section"],
        paragraph=int(meta["paragraph"]),
        label=meta.get("label", ""),
        quote=quote,
        quote_start=quote_start,
        text=text,
        start=int(meta["start"]),
        end=int(meta["end"]),
        score=round(score, 4),
    )


def document_name(c: Citation) -> str:
    """'the Rome 2026 communiqué' when place and year are known, else the document's title."""
    city = c.place.split(",")[0].strip()
    if city and c.date:
        return f"the {city} {c.date[:4]} communiqué"
    return c.title


def compose(citations: list[Citation]) -> str:
    """The communiqués' own words, each quote framed with where it stands and its [n]."""
    parts: list[str] = []
    previous_doc = None
    for c in citations:
        quote = c.quote if c.quote_start == 0 else f"…{c.quote}"
        if c.doc_id != previous_doc:
            name = document_name(c)
            parts.append(f"{name[0].upper()}{name[1:]} ({c.where}): “{quote}” [{c.n}]")
        else:
            parts.append(f"It also states ({c.where}): “{quote}” [{c.n}]")
        previous_doc = c.doc_id
    return "\n\n".join(parts)
