"""The assistant as one object: question (+ history, filters) in, :class:`Answer` out.

``build_assistant(settings)`` wires the store, the model, the retriever and the answerer explicitly;
the CLI, the API and the UI all call the same :meth:`Assistant.ask`.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from assistant.answer import Answer, ExtractiveAnswerer, Terms, paragraph_text
from assistant.chat import content_words, is_elliptical, refers_to_previous_document, resolve
from assistant.embeddings import MiniLMEmbedding
from assistant.glossary import Glossary
from assistant.ingest import IngestReport, ingest_corpus
from assistant.retrieval import Filters, HybridRetriever, merge
from assistant.settings import Settings
from assistant.steering import DocumentSteering
from assistant.store import Store

# "paragraph 13", "para. 13", "¶13": the user points at a paragraph, so answer from it.
_PARAGRAPH_REF = re.compile(r"(?:¶\s*|\bparagraphs?\s+|\bparas?\.?\s+)(\d{1,4})\b", re.I)


class QuestionError(ValueError):
    """A question the assistant will not run (empty, too long); the message is for the user."""


def check_question(question: object, settings: Settings) -> str:
    if question is not None and not isinstance(question, str):
        raise QuestionError("The question must be text.")
    text = (question or "").strip()
    if not text:
        raise QuestionError("Please type a question: the question is empty.")
    if len(text) > settings.max_question_chars:
        raise QuestionError(
            f"The question is too long ({len(text)} characters; the limit is {settings.max_question_chars}). "
            "Please shorten it to the point you want answered."
        )
    return text


@dataclass
class Assistant:
    settings: Settings
    store: Store
    embed_model: MiniLMEmbedding
    retriever: HybridRetriever
    answerer: ExtractiveAnswerer
    glossary: Glossary
    steering: DocumentSteering
    catalog: list[dict]  # the indexed documents: fixed for the life of this object, computed once
    _paragraphs: dict[str, list[dict]] = field(default_factory=dict, repr=False)

    def ask(self, question: str, history: list[str] | None = None, filters: Filters | None = None) -> Answer:
        """Answer one question; ``history`` holds earlier user turns, oldest first."""
        started = time.perf_counter()
        text = check_question(question, self.settings)
        turns = [h for h in (history or []) if isinstance(h, str) and h.strip()]
        standalone = resolve(text, turns)
        query = self.glossary.expand(standalone)
        pointed = tuple(int(n) for n in _PARAGRAPH_REF.findall(standalone))
        if pointed:
            filters = replace(filters or Filters(), paragraphs=pointed)
        named = [] if filters and filters.doc_ids else self.named_documents(text, turns)
        # "Summarise the Santiago communiqué": once the words naming the document are set aside nothing
        # is left, so the question is about the document itself and is answered from it, not refused.
        topic = self.steering.without_cues(query, named) if named else query
        about_document = bool(named) and not content_words(topic)
        if not about_document:
            query = topic
        q_emb = self.embed_model.get_query_embedding(query)
        if len(named) > 1:  # "How did the 2022 and 2026 meetings differ …": retrieve from each, cite each
            parts = [self.retriever.retrieve(query, q_emb, replace(filters or Filters(), doc_ids=(d,))) for d in named]
            retrieved = merge(parts, self.settings.top_k)
        else:
            if named:  # "What did the Nairobi meeting recommend …": only that document
                filters = replace(filters or Filters(), doc_ids=tuple(named))
            retrieved = self.retriever.retrieve(query, q_emb, filters)
        retrieved_at = time.perf_counter()
        sentences = self.store.sentences([p.node.metadata["para_key"] for p in retrieved.passages])
        answer = self.answerer.answer(
            text,
            standalone,
            query,
            q_emb,
            retrieved,
            sentences,
            force=bool(pointed) or about_document,
            spread=tuple(named) if len(named) > 1 else (),
        )
        if pointed and not retrieved.passages:  # "paragraph 999": say what is missing, not "not addressed"
            numbers = " or ".join(str(n) for n in pointed)
            scope = "the selected documents and sections" if filters and (filters.doc_ids or filters.sections) else ""
            answer.answer = f"No paragraph {numbers} was found in {scope or 'the indexed communiqués'}."
        done = time.perf_counter()
        answer.timings_ms = {
            "retrieve": round((retrieved_at - started) * 1000, 1),
            "answer": round((done - retrieved_at) * 1000, 1),
            "total": round((done - started) * 1000, 1),
        }
        return answer

    def named_documents(self, question: str, history: list[str]) -> list[str]:
        """Documents a question is about: those it names, else, in a follow-up, those of the turn before.

        "Which groups of women did it single out?" after a question on the Santiago communiqué stays on
        Santiago; "What did that meeting say about 2024?" means the previous turn's meeting, not 2024's.
        """
        own = self.steering.named(resolve(question, history))
        if history and (refers_to_previous_document(question) or (not own and is_elliptical(question))):
            return self.named_documents(history[-1], history[:-1]) or own
        return own

    def documents(self) -> list[dict]:
        """Indexed documents with their facts, sections and paragraph counts, in corpus order."""
        return self.catalog

    def paragraphs(self, doc_id: str) -> list[dict]:
        """Every paragraph of one document, in order, with its section and full text (read once)."""
        if doc_id not in self._paragraphs:
            self._paragraphs[doc_id] = self._read_paragraphs(doc_id)
        return self._paragraphs[doc_id]

    def _read_paragraphs(self, doc_id: str) -> list[dict]:
        sentences = self.store.sentences(doc_id=doc_id)
        seen: dict[str, dict] = {}
        for s in sentences:
            if s.para_key not in seen:
                m = s.metadata
                seen[s.para_key] = {
                    "paragraph": int(m["paragraph"]),
                    "label": m.get("label", ""),
                    "section": m["section"],
                    "text": paragraph_text(s.para_key, sentences),
                }
        return list(seen.values())


def documents_of(passages: list) -> list[dict]:
    """Documents, their facts and sections (with paragraph counts), from the indexed passages."""
    docs: dict[str, dict] = {}
    for node in passages:
        m = node.metadata
        doc = docs.setdefault(
            m["doc_id"],
            {k: m[k] for k in ("doc_id", "title", "meeting", "date", "place")}
            | {"file": Path(m["source_path"]).name, "sections": {}},
        )
        doc["sections"].setdefault(m["section"], set()).add(int(m["paragraph"]))
    return [
        {**d, "sections": [{"name": s, "paragraphs": len(ps)} for s, ps in d["sections"].items()]}
        for d in docs.values()
    ]


def build_assistant(
    settings: Settings, ingest: bool = False, embed_model: MiniLMEmbedding | None = None
) -> tuple[Assistant, IngestReport | None]:
    """Load the model once, open the store, optionally bring the index up to date, then wire the rest."""
    embed_model = embed_model or MiniLMEmbedding.from_settings(settings)
    store = Store(settings)
    report = ingest_corpus(settings, store, embed_model) if ingest else None
    retriever = HybridRetriever(store, embed_model, settings)
    texts = [n.text for n in retriever.passages]
    answerer = ExtractiveAnswerer(settings, Terms(texts))
    catalog = documents_of(retriever.passages)
    steering = DocumentSteering(catalog)
    assistant = Assistant(settings, store, embed_model, retriever, answerer, Glossary(texts), steering, catalog)
    return assistant, report
