"""Node post-processors between retrieval and answering: llama-index ``BaseNodePostprocessor`` s.

The list is built from ``WPS_POSTPROCESSORS`` (names, in order) through :data:`POSTPROCESSORS`. A
reranker is one more class here with its line in that table, and its name in the setting (before
``top_k``, so that it sees every candidate).
"""

from __future__ import annotations

from collections.abc import Callable

from llama_index.core.postprocessor.types import BaseNodePostprocessor
from llama_index.core.schema import NodeWithScore, QueryBundle
from pydantic import Field

from assistant.language import detect
from assistant.schema import language_of, para_key
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
    """The candidates in the question's language first, when the candidates are in several languages.

    A bilingual communiqué says everything twice; a question in French should be answered from the
    French text and one in English from the English. The order within each language is kept, and no
    candidate is dropped (another document may hold the answer in one language only), so with ``top_k``
    after it the answerer reads the question's language first. When the candidates share one language,
    or the question's cannot be told ("Nairobi 2019?"), or none is in it, nothing changes — on a
    monolingual corpus this step is the identity.
    """

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
        same = [n for n, lang in zip(nodes, languages, strict=True) if lang == asked]
        return same + [n for n, lang in zip(nodes, languages, strict=True) if lang != asked]


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
