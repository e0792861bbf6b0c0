"""Node post-processors between retrieval and answering: llama-index ``BaseNodePostprocessor`` s.

The list is built from ``WPS_POSTPROCESSORS`` (names, in order) through :data:`POSTPROCESSORS`. A
reranker is one more class here with its line in that table, and its name in the setting (before
``top_k``, so that it sees every candidate).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from llama_index.core.postprocessor.types import BaseNodePostprocessor
from llama_index.core.schema import NodeWithScore, QueryBundle
from pydantic import Field

from assistant.language import detect
from assistant.schema import Address, language_of, para_key
from assistant.settings import Settings


class ParagraphDedupe(BaseNodePostprocessor):
    """One node per paragraph (its best window): windows of one paragraph are one citation."""

    @classmethod
    def class_name(cls) -> str:
        return "ParagraphDedupe"

    @classmethod
    def from_settings(cls, settings: Settings) -> ParagraphDedupe:
        return cls()

    def _postprocess_nodes(
        self, nodes: list[NodeWithScore], query_bundle: QueryBundle | None = None
    ) -> list[NodeWithScore]:
        seen: set[str] = set()
        out = []
        for node in nodes:
            key = para_key(node.node)
            if key not in seen:
                seen.add(key)
                out.append(node)
        return out


class SameLanguage(BaseNodePostprocessor):
    """Answer from the question's language where a document has both: a bilingual communiqué says
    everything twice, and a question in French should be answered from its French text.

    When the candidates are in several languages and the question's language can be told, each
    document that has a fair share of its candidates in that language (at least ``min_share`` of
    them, and two) loses its candidates in other languages, and the question's language goes first,
    order otherwise kept. A document in one language only keeps all its candidates (it may hold the
    answer); a paragraph whose language was misread does not make its document "bilingual". When the
    candidates share one language, or the question's cannot be told ("Nairobi 2019?"), or none is in
    it, nothing changes: on a monolingual corpus this step is the identity.
    """

    min_share: float = Field(0.25, ge=0, le=1)

    @classmethod
    def class_name(cls) -> str:
        return "SameLanguage"

    @classmethod
    def from_settings(cls, settings: Settings) -> SameLanguage:
        return cls()

    def _postprocess_nodes(
        self, nodes: list[NodeWithScore], query_bundle: QueryBundle | None = None
    ) -> list[NodeWithScore]:
        languages = [language_of(n.node) for n in nodes]
        if query_bundle is None or len({lang for lang in languages if lang}) < 2:
            return nodes
        asked = detect(query_bundle.query_str)
        if asked is None or asked not in languages:
            return nodes
        docs = [Address.of(n.node).doc_id for n in nodes]
        total, in_asked = Counter(docs), Counter(d for d, lang in zip(docs, languages, strict=True) if lang == asked)
        both = {d for d in total if in_asked[d] >= max(2, self.min_share * total[d])}
        kept = [(n, lang) for n, d, lang in zip(nodes, docs, languages, strict=True) if lang == asked or d not in both]
        return [n for n, lang in kept if lang == asked] + [n for n, lang in kept if lang != asked]


class TopK(BaseNodePostprocessor):
    """The best ``top_k`` nodes: what the answerer reads."""

    top_k: int = Field(5, ge=1)

    @classmethod
    def class_name(cls) -> str:
        return "TopK"

    @classmethod
    def from_settings(cls, settings: Settings) -> TopK:
        return cls(top_k=settings.top_k)

    def _postprocess_nodes(
        self, nodes: list[NodeWithScore], query_bundle: QueryBundle | None = None
    ) -> list[NodeWithScore]:
        return nodes[: self.top_k]


# name in WPS_POSTPROCESSORS → how to build it from the settings
POSTPROCESSORS: dict[str, Callable[[Settings], BaseNodePostprocessor]] = {
    "paragraph_dedupe": ParagraphDedupe.from_settings,
    "same_language": SameLanguage.from_settings,
    "top_k": TopK.from_settings,
}


def build_postprocessors(settings: Settings) -> list[BaseNodePostprocessor]:
    unknown = [name for name in settings.postprocessors if name not in POSTPROCESSORS]
    if unknown:
        raise ValueError(
            f"Unknown post-processor(s) in WPS_POSTPROCESSORS: {', '.join(unknown)}; "
            f"choose from: {', '.join(POSTPROCESSORS)}"
        )
    return [POSTPROCESSORS[name](settings) for name in settings.postprocessors]
