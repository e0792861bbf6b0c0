"""The views' in-memory table built from parsed test documents without the model: chunking and the
sentence-facts step run as at ingest (word counts stand in for word pieces); centrality, which needs
embeddings, stays 0 here (integration tests cover it)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from assistant.index.catalog import documents_of
from assistant.ingest.chunking import build_nodes
from assistant.ingest.parse import parse_file
from assistant.ingest.sentence_facts import SentenceFactsExtractor
from assistant.schema import SentenceFacts, is_sentence, sentence_of
from assistant.views.commitments import CommitmentTracker
from assistant.views.examples import Examples
from assistant.views.glossary import Glossary
from assistant.views.guide import Guides
from assistant.views.quiz import QuizMaker
from assistant.views.table import CorpusTable
from tests.conftest import MULTI_CORPUS


def table_of(paths: Iterable[Path]) -> CorpusTable:
    nodes = []
    for path in paths:
        nodes += SentenceFactsExtractor()(build_nodes(parse_file(path), lambda text: len(text.split())))
    passages = [n for n in nodes if not is_sentence(n)]
    records = [(sentence_of(n), SentenceFacts.of(n)) for n in nodes if is_sentence(n)]
    return CorpusTable(documents_of(passages), records)


def four() -> CorpusTable:
    return table_of(sorted(MULTI_CORPUS.iterdir()))


def rome() -> CorpusTable:
    return table_of(MULTI_CORPUS.glob("2026-06-10_rome*"))


def parts(table: CorpusTable) -> tuple[CommitmentTracker, Glossary, Guides, QuizMaker, Examples]:
    tracker = CommitmentTracker(table)
    glossary = Glossary(table)
    guides = Guides(table, 2)
    return tracker, glossary, guides, QuizMaker(table, tracker, glossary), Examples(table, tracker, glossary, guides)
