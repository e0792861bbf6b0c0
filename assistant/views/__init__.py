"""Staff and trainee views over the same index as the chat: commitments, a topic across meetings,
document guides, the glossary, a quiz, briefing notes, example questions and a tour.

Everything costly was computed at ingest and stored on the sentence nodes (:class:`SentenceFacts`);
:func:`build_views` reads it once into memory (:class:`~assistant.views.table.CorpusTable`) and every
view answers from there, each line cited with the chat's :class:`~assistant.schema.Citation`.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.index.catalog import Catalog
from assistant.settings import Settings
from assistant.views.commitments import CommitmentTracker
from assistant.views.examples import Examples
from assistant.views.glossary import Glossary
from assistant.views.guide import Guides
from assistant.views.quiz import QuizMaker
from assistant.views.table import CorpusTable
from assistant.views.topic import ScopedSearch, TopicView


@dataclass
class Views:
    table: CorpusTable
    commitments: CommitmentTracker
    topic: TopicView
    guides: Guides
    glossary: Glossary
    quiz: QuizMaker
    examples: Examples


def build_views(settings: Settings, catalog: Catalog, search: ScopedSearch) -> Views:
    """Every view over what the store holds (one metadata read)."""
    table = CorpusTable(catalog.documents, catalog.store.sentence_records())
    commitments = CommitmentTracker(table)
    glossary = Glossary(table)
    guides = Guides(table, settings.guide_sentences)
    return Views(
        table=table,
        commitments=commitments,
        topic=TopicView(table, search, settings.topic_passages, settings.abstain_threshold),
        guides=guides,
        glossary=glossary,
        quiz=QuizMaker(table, commitments, glossary),
        examples=Examples(table, commitments, glossary, guides),
    )
