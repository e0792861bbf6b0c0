"""The systems compared: our pipeline, and plain llama-index defaults on the same corpus and model."""

from __future__ import annotations

from pathlib import Path

from assistant.evaluation.metrics import Reply
from assistant.evaluation.questions import Question
from assistant.index.embeddings import MiniLMEmbedding
from assistant.ingest.parse import doc_id_for
from assistant.pipeline.assistant import Assistant
from assistant.pipeline.plan.question import QuestionError


class OurSystem:
    name = "assistant"

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant

    def relevant(self, q: Question) -> set[str]:
        ids = set()
        for doc in self.assistant.documents():
            paragraphs = self.assistant.paragraphs(doc["doc_id"])
            ids |= {f"{doc['doc_id']}#p{p['paragraph']}" for p in paragraphs if any(g in p["text"] for g in q.gold)}
        return ids

    def reply(self, q: Question) -> Reply:
        try:
            a = self.assistant.ask(q.question, list(q.history))
        except QuestionError as exc:  # an empty or oversized question: refused with a message
            return Reply([], [], "", True, error=str(exc))
        cited = a.citations
        ids = list(dict.fromkeys(f"{c.doc_id}#p{c.paragraph}" for c in cited))
        first = cited[0] if cited else None
        return Reply(
            ids,
            [c.text for c in cited],
            a.answer,
            a.abstained,
            first.quote if first else "",
            confidence=a.confidence,
            breakdown=first.breakdown if first else {},
            mode=a.mode,
            refused=a.tier == "not_addressed",
        )


class BaselineSystem:
    """llama-index defaults on the same corpus and model: SimpleDirectoryReader, SentenceSplitter
    defaults, an in-memory VectorStoreIndex, top-3 retrieval, the first chunk as the answer, no
    abstention and no conversation handling.

    ``chunk_size`` (tokens) replaces the splitter's default of 1024. The default chunks hold about a
    third of a communiqué each, so a top-3 "hit" is nearly certain and tells a reader little; chunks
    the size of our passages make the same comparison at the precision a citation needs."""

    def __init__(
        self, corpus_dir: Path, embed_model: MiniLMEmbedding, top_k: int = 3, chunk_size: int | None = None
    ) -> None:
        from llama_index.core import SimpleDirectoryReader, VectorStoreIndex
        from llama_index.core.node_parser import SentenceSplitter

        documents = SimpleDirectoryReader(str(corpus_dir), recursive=True).load_data()
        splitter = (
            SentenceSplitter(chunk_size=chunk_size, chunk_overlap=chunk_size // 10)
            if chunk_size
            else SentenceSplitter()
        )
        self.index = VectorStoreIndex.from_documents(documents, embed_model=embed_model, transformations=[splitter])
        self.nodes = list(self.index.docstore.docs.values())
        self.retriever = self.index.as_retriever(similarity_top_k=top_k)

    @staticmethod
    def _id(node) -> str:
        """'<document id>#<chunk id>', the document id being the file stem as in our index."""
        return f"{doc_id_for(Path(node.metadata.get('file_name', '')))}#{node.node_id}"

    def relevant(self, q: Question) -> set[str]:
        return {self._id(n) for n in self.nodes if any(g in n.get_content() for g in q.gold)}

    def reply(self, q: Question) -> Reply:
        nodes = self.retriever.retrieve(q.question)
        texts = [n.node.get_content() for n in nodes]
        first = texts[0] if texts else ""
        return Reply([self._id(n.node) for n in nodes], texts, first, False, first)
