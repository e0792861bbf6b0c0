"""``build_assistant(settings)``: every part of the question path picked from the settings and wired.

Each registry maps a setting's value to how that part is built; adding a part (an LLM condenser, a
second answerer) is one class and one line here, chosen with its setting.
"""

from __future__ import annotations

from collections.abc import Callable

from llama_index.core import VectorStoreIndex

from assistant.index.catalog import Catalog
from assistant.index.e5 import E5Model, E5PassageIndex
from assistant.index.embeddings import MiniLMEmbedding
from assistant.index.store import IndexMissingError, Store
from assistant.ingest.pipeline import IngestReport, ingest_corpus
from assistant.pipeline.acronyms import Acronyms
from assistant.pipeline.assistant import Assistant
from assistant.pipeline.condense import RuleCondenser
from assistant.pipeline.extractive import ExtractiveAnswerer
from assistant.pipeline.plan import QuestionPlanner
from assistant.pipeline.postprocess import build_postprocessors
from assistant.pipeline.protocols import Answerer, QuestionCondenser
from assistant.pipeline.retrieve import HybridRetriever, PassageIndex
from assistant.pipeline.route import GLOSSARY, TOPIC, ViewRouter
from assistant.pipeline.spelling import Speller
from assistant.pipeline.steer import DocumentSteering
from assistant.pipeline.terms import Terms
from assistant.pipeline.view_answerers import GlossaryAnswerer, TopicAnswerer
from assistant.schema import language_of
from assistant.settings import Settings
from assistant.views import build_views
from assistant.views.topic import ScopedSearch

# WPS_CONDENSER → how to build it
CONDENSERS: dict[str, Callable[[Settings, DocumentSteering], QuestionCondenser]] = {
    "rules": lambda settings, steering: RuleCondenser(steering.entity_words()),
}
# WPS_ANSWERER → how to build it from the settings, the indexed passages' terms and e5 (or None)
ANSWERERS: dict[str, Callable[[Settings, Terms, E5Model | None], Answerer]] = {
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
    e5: E5Model | bool | None = True,
) -> tuple[Assistant, IngestReport | None]:
    """Load the models once, open the store, optionally bring the index up to date, then wire the rest.

    ``e5``: True builds it from the settings (None when off or unavailable); a model reuses it.
    """
    embed_model = embed_model or MiniLMEmbedding.from_settings(settings)
    e5_model = E5Model.from_settings(settings) if e5 is True else (e5 or None)
    store = Store(settings)
    report = ingest_corpus(settings, store, embed_model, e5=e5_model) if ingest else None
    passages = store.passages()
    if not passages:
        raise IndexMissingError(
            "The index is empty: run `wps-assistant ingest` (corpus folder: "
            f"{settings.corpus_dir}, index: {settings.index_dir})."
        )
    texts = [n.text for n in passages]
    catalog = Catalog(store, passages)
    index = VectorStoreIndex.from_vector_store(store.vector_store, embed_model=embed_model)
    e5_index = E5PassageIndex(e5_model, passages, store.e5_vectors()) if e5_model else None
    retriever = HybridRetriever(PassageIndex(index, passages, settings, e5_index))
    steering = DocumentSteering(catalog.documents)
    answerer = _pick(ANSWERERS, settings.answerer, "WPS_ANSWERER")(settings, Terms(texts), e5_index and e5_model)
    postprocessors = build_postprocessors(settings)
    # The views read the sentence facts ingest stored; the topic view asks each meeting with the chat's parts.
    views = build_views(settings, catalog, ScopedSearch(embed_model, retriever, postprocessors, store, answerer))
    glossary = views.glossary
    router = ViewRouter(views.table.documents, glossary.defines)
    planner = QuestionPlanner(
        _pick(CONDENSERS, settings.condenser, "WPS_CONDENSER")(settings, steering),
        Acronyms(texts),
        steering,
        Speller(texts),
        frozenset(lang for n in passages if (lang := language_of(n))),
        router,
    )
    assistant = Assistant(
        settings=settings,
        store=store,
        embed_model=embed_model,
        planner=planner,
        retriever=retriever,
        postprocessors=postprocessors,
        answerer=answerer,
        catalog=catalog,
        routes={TOPIC: TopicAnswerer(views.topic), GLOSSARY: GlossaryAnswerer(glossary)},
        views=views,
    )
    return assistant, report
