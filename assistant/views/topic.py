"""A topic across meetings: for each indexed meeting in date order, its best passages on the topic, or
"not addressed at this meeting" when nothing passes the answer threshold.

Each meeting is asked as the chat asks a question that names one meeting (retrieval restricted to that
document, then the configured answerer and its abstention policy), and its best sentence must itself
score the answer threshold: within one meeting the candidates are nearly all its paragraphs, so how
much the best one stands out (the distinctiveness the chat adds) says little — with it, "artificial
intelligence" counted as addressed in 2019 on a sentence about peer learning. The topic is embedded
once for all meetings.
"""

from __future__ import annotations

from collections.abc import Sequence

from llama_index.core.postprocessor.types import BaseNodePostprocessor
from llama_index.core.schema import QueryBundle
from pydantic import BaseModel, Field

from assistant.index.embeddings import MiniLMEmbedding
from assistant.index.store import Store
from assistant.pipeline.protocols import Answerer, AnswerRequest
from assistant.pipeline.retrieve.retrievers import HybridRetriever
from assistant.schema import Answer, Citation, Filters, para_key
from assistant.views.table import CorpusTable

NOT_ADDRESSED = "not addressed at this meeting"


class ScopedSearch:
    """Retrieve and answer within one document, with the chat's own parts."""

    def __init__(
        self,
        embed_model: MiniLMEmbedding,
        retriever: HybridRetriever,
        postprocessors: Sequence[BaseNodePostprocessor],
        store: Store,
        answerer: Answerer,
    ) -> None:
        self.embed_model = embed_model
        self.retriever = retriever
        self.postprocessors = list(postprocessors)
        self.store = store
        self.answerer = answerer

    def embed(self, text: str) -> QueryBundle:
        return QueryBundle(query_str=text, embedding=self.embed_model.get_query_embedding(text))

    def answer_each(self, bundle: QueryBundle, doc_ids: Sequence[str]) -> list[Answer]:
        """One answer per document; their passages' sentences are read from the store in one call."""
        retrieved = []
        for doc_id in doc_ids:
            found = self.retriever.scoped(Filters(doc_ids=(doc_id,))).candidates(bundle)
            nodes = found.nodes
            for step in self.postprocessors:
                nodes = step.postprocess_nodes(nodes, query_bundle=bundle)
            retrieved.append((nodes, found.e5_similarities))
        sentences = self.store.sentences([para_key(p.node) for nodes, _ in retrieved for p in nodes])
        answers = []
        for nodes, similarities in retrieved:
            keys = {para_key(p.node) for p in nodes}
            request = AnswerRequest(
                question=bundle.query_str,
                standalone=bundle.query_str,
                query=bundle.query_str,
                query_embedding=bundle.embedding or [],
                passages=nodes,
                sentences=[s for s in sentences if s.para_key in keys],
                e5_similarities=[similarities],
            )
            answers.append(self.answerer.answer(request))
        return answers


class TopicMeeting(BaseModel):
    doc_id: str
    meeting: str = Field(description="Short name: 'Rome 2026'.")
    title: str
    date: str
    addressed: bool
    note: str = Field("", description=f"'{NOT_ADDRESSED}' when nothing passes the answer threshold.")
    confidence: float = 0.0
    citations: list[Citation] = Field(default_factory=list, description="Its best passages, best first.")


class TopicResult(BaseModel):
    topic: str
    meetings: list[TopicMeeting] = Field(description="Every meeting asked, in date order.")


class TopicView:
    def __init__(self, table: CorpusTable, search: ScopedSearch, passages_per_meeting: int, threshold: float) -> None:
        self.table = table
        self.search = search
        self.per_meeting = passages_per_meeting
        self.threshold = threshold

    def across(self, topic: str, doc_ids: Sequence[str] = ()) -> TopicResult:
        """The topic in each meeting (or each of ``doc_ids``), in date order; citations numbered throughout."""
        topic = " ".join(topic.split())
        bundle = self.search.embed(topic)
        meetings: list[TopicMeeting] = []
        n = 0
        docs = [d for d in self.table.documents if not doc_ids or d["doc_id"] in doc_ids]
        for doc, answer in zip(docs, self.search.answer_each(bundle, [d["doc_id"] for d in docs]), strict=True):
            passes = not answer.abstained and answer.citations and answer.citations[0].score >= self.threshold
            citations = answer.citations[: self.per_meeting] if passes else []
            for c in citations:
                n += 1
                c.n = n
            meetings.append(
                TopicMeeting(
                    doc_id=doc["doc_id"],
                    meeting=self.table.name(doc["doc_id"]),
                    title=doc["title"],
                    date=doc.get("date") or "",
                    addressed=bool(citations),
                    note="" if citations else NOT_ADDRESSED,
                    confidence=answer.confidence,
                    citations=citations,
                )
            )
        return TopicResult(topic=topic, meetings=meetings)
