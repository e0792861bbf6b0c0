"""The seams of the question path: what a condenser and an answerer must do.

Retrieval is a llama-index ``BaseRetriever`` and post-processing a list of llama-index
``BaseNodePostprocessor`` s; these two protocols cover the rest. A new part is one class that
satisfies its protocol plus its name in the registry of :mod:`assistant.pipeline.factory`, chosen by
one setting.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from llama_index.core.schema import NodeWithScore

from assistant.pipeline.plan.route import Route
from assistant.schema import Answer, Sentence, SentenceCheck


@runtime_checkable
class QuestionCondenser(Protocol):
    """Turns a question that leans on the conversation into one that stands alone."""

    def condense(self, question: str, history: Sequence[str]) -> str:
        """``history``: earlier user turns, oldest first. Returns the standalone question."""
        ...


@runtime_checkable
class UnderstoodAs(Protocol):
    """A condenser that says how its rewrite should be shown ("Understood as: …"); without this, the
    rewrite is shown as it is."""

    def understood_as(self, question: str, history: Sequence[str], standalone: str) -> str:
        """What the user is told ``question`` was understood as, given ``standalone``, its rewrite."""
        ...


@dataclass(frozen=True)
class AnswerRequest:
    """Everything an answerer may use; built once per question by :class:`~assistant.pipeline.assistant.Assistant`."""

    question: str  # as the user typed it (validated)
    standalone: str  # the condensed question as shown to the user (when it differs from the question)
    query: str  # what retrieval and scoring read (acronyms spelled out, document names set aside)
    query_embedding: list[float]
    passages: list[NodeWithScore]  # post-processed, best first
    sentences: list[Sentence]  # every sentence of those passages, with embeddings
    # e5's cosine of every passage in scope, one list per retrieval (per compared document), for the
    # signals that ask how good the best passage is and how far it stands out; empty without e5.
    e5_similarities: Sequence[Sequence[float]] = field(default_factory=tuple)
    force: bool = False  # the user pointed at passages or a whole document: never abstain
    language: str | None = None  # the question's language, when it can be told
    cross_lingual: bool = False  # asked in a language none of the indexed documents is written in
    spread: tuple[str, ...] = ()  # documents a question compares: each one's best sentence is cited
    view: Route | None = None  # what a view is asked, for a question it answers (topic, glossary): route.py
    absent_meeting: str = ""  # a meeting named that the corpus neither holds nor mentions (pipeline/plan/meetings.py)


@runtime_checkable
class Answerer(Protocol):
    """Writes the answer (or abstains) from the retrieved passages; every claim cited."""

    def answer(self, request: AnswerRequest) -> Answer: ...


@runtime_checkable
class StreamingAnswerer(Answerer, Protocol):
    """An answerer whose text arrives piece by piece (a language model), shown while it is written."""

    def stream(self, request: AnswerRequest) -> Iterator[str | SentenceCheck | Answer]:
        """Pieces of text as they are written, each sentence's :class:`SentenceCheck` once it is checked,
        then the :class:`Answer`, which may differ from them: it is what passed the checks, or the
        extractive answer when nothing could be shown."""
        ...
