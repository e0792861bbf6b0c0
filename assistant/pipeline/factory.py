"""``build_assistant(settings)``: every part of the question path picked from the settings and wired.

Each registry maps a setting's value to how that part is built from :class:`Parts`; adding a part is
one class and one line here, chosen with its setting. The parts that talk to a language model are
imported only when a setting picks them, so the default path loads nothing of theirs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from llama_index.core import VectorStoreIndex

from assistant.index.catalog import Catalog
from assistant.index.e5 import E5Model, E5PassageIndex
from assistant.index.embeddings import MiniLMEmbedding
from assistant.index.errors import IndexMissingError
from assistant.index.store import Store
from assistant.ingest.gazetteer import country_of, gazetteer
from assistant.ingest.pipeline import IngestReport, ingest_corpus
from assistant.pipeline.answer.extractive import ExtractiveAnswerer
from assistant.pipeline.answer.view_answerers import FirstMentionAnswerer, GlossaryAnswerer, TopicAnswerer
from assistant.pipeline.assistant import Assistant
from assistant.pipeline.llm.client import ModelServer
from assistant.pipeline.plan.acronyms import Acronyms
from assistant.pipeline.plan.condense import RuleCondenser
from assistant.pipeline.plan.meetings import KnownMeetings, place_test
from assistant.pipeline.plan.planner import QuestionPlanner
from assistant.pipeline.plan.route import FIRST, GLOSSARY, TOPIC, ViewRouter
from assistant.pipeline.plan.spelling import Speller
from assistant.pipeline.plan.steer import DocumentSteering
from assistant.pipeline.protocols import Answerer, QuestionCondenser
from assistant.pipeline.retrieve.postprocess import build_postprocessors
from assistant.pipeline.retrieve.retrievers import DenseVectors, HybridRetriever, PassageIndex
from assistant.pipeline.terms import Terms
from assistant.schema import PASSAGE, SENTENCE, language_of
from assistant.settings import Settings
from assistant.views import build_views
from assistant.views.topic import ScopedSearch


@dataclass(frozen=True)
class Parts:
    """What a condenser or an answerer may be built from."""

    settings: Settings
    terms: Terms  # stemmed words and IDF of the indexed passages
    acronyms: Acronyms  # those the corpus defines
    embed_model: MiniLMEmbedding
    server: ModelServer | None  # the model server, when WPS_LLM_MODE names one
    steering: DocumentSteering  # which documents a question names (and the words that name them)
    e5: E5Model | None = None  # the multilingual model, when it loads and the index holds its vectors

    def require_server(self, setting: str) -> ModelServer:
        if self.server is None:
            raise ValueError(f"{setting} needs a model server: set WPS_LLM_MODE, WPS_LLM_BASE_URL and WPS_LLM_MODEL.")
        return self.server


def _llm_condenser(parts: Parts) -> QuestionCondenser:
    from assistant.pipeline.llm.condense import LLMCondenser

    return LLMCondenser(parts.require_server("WPS_CONDENSER=llm").llm)


def _generative(parts: Parts) -> Answerer:
    # Imported here: without a model server the default path never loads the model client's modules.
    from assistant.pipeline.llm.checker import AnswerChecker
    from assistant.pipeline.llm.generative import GenerativeAnswerer
    from assistant.pipeline.llm.prompt import AnswerPrompt

    server = parts.require_server("WPS_ANSWERER=generative")
    s = parts.settings
    checker = AnswerChecker(s, parts.terms, parts.acronyms, parts.embed_model.encode)
    extractive = ExtractiveAnswerer.from_settings(s, parts.terms, parts.e5)
    return GenerativeAnswerer(s, server.llm, extractive, checker, AnswerPrompt.load(), server.speed)


# WPS_CONDENSER → how to build it
CONDENSERS: dict[str, Callable[[Parts], QuestionCondenser]] = {
    "rules": lambda parts: RuleCondenser(parts.steering.entity_words()),
    "llm": _llm_condenser,
}
# WPS_ANSWERER → how to build it
ANSWERERS: dict[str, Callable[[Parts], Answerer]] = {
    "extractive": lambda parts: ExtractiveAnswerer.from_settings(parts.settings, parts.terms, parts.e5),
    "generative": _generative,
}
# "auto": what each setting means when it names no part, with and without a model server
AUTO = {"WPS_CONDENSER": ("llm", "rules"), "WPS_ANSWERER": ("generative", "extractive")}


def _pick(registry: dict, name: str, setting: str, parts: Parts):
    if name == "auto":
        with_server, without = AUTO[setting]
        name = with_server if parts.server is not None else without
    if name not in registry:
        raise ValueError(f"Unknown {setting} {name!r}; choose from: auto, {', '.join(registry)}")
    return registry[name](parts)


def build_assistant(
    settings: Settings,
    ingest: bool = False,
    embed_model: MiniLMEmbedding | None = None,
    store: Store | None = None,
    e5: E5Model | bool | None = True,
) -> tuple[Assistant, IngestReport | None]:
    """Optionally bring the index up to date, open the live generation (or ``store``), load the model
    once, then wire the rest. Index problems raise ``IndexUnavailableError`` with a message.

    ``e5``: True builds it from the settings (None when off or unavailable); a model reuses it.
    """
    e5_model = E5Model.from_settings(settings) if e5 is True else (e5 or None)
    if ingest:
        embed_model = embed_model or MiniLMEmbedding.from_settings(settings)
        report = ingest_corpus(settings, embed_model, e5=e5_model)
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
    # Its transformations are what inserting through it would do: embed. Without any, llama-index builds
    # its default SentenceSplitter, which loads a tiktoken encoding this path never uses (~0.3 s, ~10 MB).
    index = VectorStoreIndex.from_vector_store(
        store.vector_store, embed_model=embed_model, transformations=[embed_model]
    )
    e5_index = E5PassageIndex(e5_model, passages, store.e5_vectors()) if e5_model else None
    dense = (
        {kind: DenseVectors(*store.minilm_vectors(kind)) for kind in (PASSAGE, SENTENCE)}
        if settings.dense_search == "memory"
        else None
    )
    retriever = HybridRetriever(PassageIndex(index, passages, settings, e5_index, dense))
    server = ModelServer.from_settings(settings) if settings.llm_mode != "off" else None
    parts = Parts(
        settings,
        Terms(texts),
        Acronyms(texts),
        embed_model,
        server,
        DocumentSteering(catalog.documents, country_of=country_of),
        e5_model if e5_index else None,  # e5 scores questions only where the index holds its vectors
    )
    postprocessors = build_postprocessors(settings)
    # The views read the sentence facts ingest stored; the topic view asks each meeting as the chat asks
    # one, with the extractive answerer whatever WPS_ANSWERER says (the views need no language model).
    search = ScopedSearch(embed_model, retriever, postprocessors, store, ANSWERERS["extractive"](parts))
    views = build_views(settings, catalog, search)
    planner = QuestionPlanner(
        _pick(CONDENSERS, settings.condenser, "WPS_CONDENSER", parts),
        parts.acronyms,
        parts.steering,
        Speller(texts),
        frozenset(lang for n in passages if (lang := language_of(n))),
        ViewRouter(views.table.documents, views.glossary.defines),
        KnownMeetings(catalog.documents, texts, place_test(gazetteer().kind), country_of),
    )
    answerer = _pick(ANSWERERS, settings.answerer, "WPS_ANSWERER", parts)
    assistant = Assistant(
        settings=settings,
        store=store,
        embed_model=embed_model,
        planner=planner,
        retriever=retriever,
        postprocessors=postprocessors,
        answerer=answerer,
        catalog=catalog,
        model_server=server,
        routes={
            TOPIC: TopicAnswerer(views.topic),
            GLOSSARY: GlossaryAnswerer(views.glossary),
            FIRST: FirstMentionAnswerer(views.topic),
        },
        views=views,
    )
    views.examples.offer_only(lambda question: _answered(assistant, question))
    return assistant, report


def _answered(assistant: Assistant, question: str) -> bool:
    """Examples and tour steps are questions the assistant answers in its top tier, not ones it can only
    half answer. A question that cannot be asked at all (the index went away meanwhile) is not offered:
    building the page must not fail for an example."""
    try:
        return assistant.ask(question).tier == "answered"
    except Exception:  # any failure means "do not offer it"
        return False
