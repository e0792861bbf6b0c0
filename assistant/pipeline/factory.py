"""``build_assistant(settings)``: every part of the question path picked from the settings and wired.

Each registry maps a setting's value to how that part is built; adding a part (an LLM condenser, a
second answerer) is one class and one line here, chosen with its setting.
"""

from __future__ import annotations

from collections.abc import Callable

from llama_index.core import VectorStoreIndex

from assistant.index.catalog import Catalog
from assistant.index.embeddings import MiniLMEmbedding
from assistant.index.errors import IndexMissingError
from assistant.index.store import Store
from assistant.ingest.pipeline import IngestReport, ingest_corpus
from assistant.pipeline.acronyms import Acronyms
from assistant.pipeline.assistant import Assistant
from assistant.pipeline.condense import RuleCondenser
from assistant.pipeline.extractive import ExtractiveAnswerer
from assistant.pipeline.plan import QuestionPlanner
from assistant.pipeline.postprocess import build_postprocessors
from assistant.pipeline.protocols import Answerer, QuestionCondenser
from assistant.pipeline.retrieve import HybridRetriever, PassageIndex
from assistant.pipeline.steer import DocumentSteering
from assistant.pipeline.terms import Terms
from assistant.settings import Settings

# WPS_CONDENSER → how to build it
CONDENSERS: dict[str, Callable[[Settings], QuestionCondenser]] = {
    "rules": lambda settings: RuleCondenser(),
}
# WPS_ANSWERER → how to build it from the settings and the indexed passages' terms
ANSWERERS: dict[str, Callable[[Settings, Terms], Answerer]] = {
    "extractive": ExtractiveAnswerer.from_settings,
}


def _pick(registry: dict, name: str, setting: str):
    if name not in registry:
        raise ValueError(f"Unknown {setting} {name!r}; choose from: {', '.join(registry)}")
    return registry[name]


def build_assistant(
    settings: Settings,
    ingest: bool = False,
    embed_model: MiniLMEmbedding | None = None,
    store: Store | None = None,
) -> tuple[Assistant, IngestReport | None]:
    """Optionally bring the index up to date, open the live generation (or ``store``), load the model
    once, then wire the rest. Index problems raise ``IndexUnavailableError`` with a message."""
    if ingest:
        embed_model = embed_model or MiniLMEmbedding.from_settings(settings)
        report = ingest_corpus(settings, embed_model)
    else:
        report = None
    store = store or Store.live(settings)  # before the model loads: a missing index fails in a second
    passages = store.passages()
    if not passages:
        raise IndexMissingError(
            f"The index in {settings.index_dir} holds no passage: run `wps-assistant ingest --rebuild` "
            f"(corpus folder: {settings.corpus_dir})."
        )
    embed_model = embed_model or MiniLMEmbedding.from_settings(settings)
    texts = [n.text for n in passages]
    catalog = Catalog(store, passages)
    index = VectorStoreIndex.from_vector_store(store.vector_store, embed_model=embed_model)
    retriever = HybridRetriever(PassageIndex(index, passages, settings))
    planner = QuestionPlanner(
        _pick(CONDENSERS, settings.condenser, "WPS_CONDENSER")(settings),
        Acronyms(texts),
        DocumentSteering(catalog.documents),
    )
    answerer = _pick(ANSWERERS, settings.answerer, "WPS_ANSWERER")(settings, Terms(texts))
    assistant = Assistant(
        settings=settings,
        store=store,
        embed_model=embed_model,
        planner=planner,
        retriever=retriever,
        postprocessors=build_postprocessors(settings),
        answerer=answerer,
        catalog=catalog,
    )
    return assistant, report
