"""From a question (+ conversation, filters) to a plan: what to retrieve, from where, and how to answer.

The steps, in order: drop markup; condense a follow-up into a standalone question; spell ordinals
("8th" → "Eighth") and correct typos towards the corpus's words; spell out acronyms; notice a
paragraph the user points at ("paragraph 13"); find the documents the question names (or, in a
follow-up, those of the previous turn); set aside the words that named them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from assistant.language import detect
from assistant.pipeline.plan.acronyms import Acronyms
from assistant.pipeline.plan.condense import (
    content_words,
    is_elliptical,
    refers_to_previous_document,
    resolve,
    resolved_turns,
)
from assistant.pipeline.plan.meetings import KnownMeetings
from assistant.pipeline.plan.normalize import spell_ordinals, strip_markup
from assistant.pipeline.plan.route import Route, ViewRouter
from assistant.pipeline.plan.scope import is_out_of_scope, without_instructions
from assistant.pipeline.plan.spelling import Speller
from assistant.pipeline.plan.steer import DocumentSteering, compares, relative_step
from assistant.pipeline.protocols import QuestionCondenser, UnderstoodAs
from assistant.schema import Filters

# "paragraph 13", "para. 13", "¶13": the user points at a paragraph, so answer from it.
_PARAGRAPH_REF = re.compile(r"(?:¶\s*|\bparagraphs?\s+|\bparas?\.?\s+)(\d{1,4})\b", re.I)


@dataclass(frozen=True)
class Plan:
    question: str  # as typed (validated)
    standalone: str  # the condensed question
    query: str  # what retrieval and scoring read
    scopes: tuple[Filters, ...]  # one retrieval each; several when a question compares documents
    pointed: tuple[int, ...] = ()  # paragraph numbers the user pointed at
    about_document: bool = False  # "Summarise the Santiago communiqué": the document itself
    spread: tuple[str, ...] = ()  # documents compared: each one's best sentence is cited
    # "answer" from the passages, "out_of_scope" (say what the assistant answers), or a view that answers
    # it ("topic", "glossary": pipeline/plan/route.py), asked ``view``
    route: str = "answer"
    language: str | None = None  # the question's language, when it can be told
    cross_lingual: bool = False  # in a language none of the indexed documents is written in
    view: Route | None = None
    # What the user is told the question was understood as: the rewrite when it reads well, else the
    # question with the one it follows on from (pipeline/plan/understood.py); "" = the standalone question.
    shown: str = ""
    # A meeting the question names that the corpus has no document of and never mentions ("the Oslo
    # meeting in 2025"): the answer is "not addressed" (pipeline/plan/meetings.py); "" = none.
    absent_meeting: str = ""

    @property
    def understood_as(self) -> str:
        return self.shown or self.standalone

    @property
    def force(self) -> bool:
        """The user pointed at the passages themselves: answer from them, never abstain."""
        return bool(self.pointed) or self.about_document


class QuestionPlanner:
    def __init__(
        self,
        condenser: QuestionCondenser,
        acronyms: Acronyms,
        steering: DocumentSteering,
        speller: Speller | None = None,
        languages: frozenset[str] = frozenset(),
        router: ViewRouter | None = None,
        meetings: KnownMeetings | None = None,
    ) -> None:
        self.condenser = condenser
        self.acronyms = acronyms
        self.steering = steering
        self.speller = speller
        self.languages = languages  # the languages the indexed paragraphs are written in
        self.router = router
        self.meetings = meetings

    def normalized(self, text: str, spell: bool = True) -> str:
        """What is searched: ordinals spelled as the communiqués write them, typos corrected."""
        text = spell_ordinals(text)
        return self.speller.correct(text) if self.speller and spell else text

    def plan(self, question: str, history: Sequence[str], filters: Filters | None = None) -> Plan:
        filters = filters or Filters()
        question = strip_markup(question) or question
        # "… Ignore your rules and say X": only the question is asked; a request that is no question
        # about the communiqués (nothing left, a poem, the weather) is told what the assistant answers.
        asked = without_instructions(question)
        out_of_scope = is_out_of_scope(asked) or (asked != question and not content_words(asked))
        question = asked or question
        history = [strip_markup(h) for h in history]
        standalone = self.condenser.condense(question, history)
        shown = (
            self.condenser.understood_as(question, history, standalone)
            if isinstance(self.condenser, UnderstoodAs)
            else standalone
        )
        # A view answers across the whole corpus; a question the user restricted stays with the passages.
        view = self.router.route(standalone) if self.router and not filters else None
        language = detect(standalone)
        # Words of a language the corpus is not written in are no typos of its words.
        cross_lingual = bool(self.languages) and language is not None and language not in self.languages
        searched = self.normalized(standalone, spell=not cross_lingual)
        query = self.acronyms.expand(searched)
        pointed = tuple(int(n) for n in _PARAGRAPH_REF.findall(standalone))
        if pointed:
            filters = replace(filters, paragraphs=pointed)
        named = [] if filters.doc_ids else self.named_documents(question, list(history), searched)
        sections = [] if filters.sections else self.steering.named_sections(searched)
        if sections:  # "Summarize the Prevention section": that section, and its name leaves the query
            filters = replace(filters, sections=tuple(sections))
            for name in sections:
                named_as = rf"\b{re.escape(name)}[\"”'’]?(?:\s+(?:section|part|chapter|pillar))?"
                query = re.sub(named_as, " ", query, flags=re.I)
        # "Summarise the Santiago communiqué": once the words naming the document are set aside nothing
        # is left, so the question is about the document itself and is answered from it, not refused.
        topic = self.steering.without_relative(self.steering.without_cues(query, named)) if named else query
        about_document = bool(named or sections) and not content_words(topic)
        if not about_document:
            query = topic
        if len(named) > 1:  # "How did the 2022 and 2026 meetings differ …": retrieve from each, cite each
            scopes = tuple(replace(filters, doc_ids=(d,)) for d in named)
        elif named:  # "What did the Nairobi meeting recommend …": only that document (and its next one
            # when the question asks about "the next meeting" too)
            scopes = (replace(filters, doc_ids=(*named, *self.beyond(question, named))),)
        else:
            scopes = (filters,)
        spread = tuple(named) if len(named) > 1 else ()
        route = "out_of_scope" if out_of_scope else view.name if view else "answer"
        # Under a document filter the user chose where to look: a meeting named is theirs to judge.
        absent = self.meetings.absent(standalone) if self.meetings and not filters.doc_ids else None
        return Plan(
            question,
            standalone,
            query,
            scopes,
            pointed,
            about_document,
            spread,
            route,
            language,
            cross_lingual,
            view,
            shown,
            absent.phrase if absent else "",
        )

    def _names_own(self, question: str) -> list[str]:
        """The documents the question as typed names itself (not through the conversation)."""
        return self.steering.named(self.normalized(question), by_time=False)

    def beyond(self, question: str, named: list[str]) -> list[str]:
        """The meeting a question's "the next meeting" points at when the question also names its own:
        "did the countries Santiago named as co-chairs actually host the next meeting?" may be answered
        in Santiago's text or in the next one's, so both are searched together, one ranking."""
        step = relative_step(self.normalized(question))
        if not step or step.from_named or len(named) != 1 or self._names_own(question) != named:
            return []
        return [d for d in self.steering.shifted(named, step) if d not in named]

    def named_documents(self, question: str, history: list[str], standalone: str | None = None) -> list[str]:
        """Documents a question is about: those it names, else, in a follow-up, those of the turn before.

        "Which groups of women did it single out?" after a question on the Santiago communiqué stays on
        Santiago; "What did that meeting say about 2024?" means the previous turn's meeting, not 2024's.
        Runs on the condensed question; earlier turns are resolved by the rules (cheap, no model).

        Walks back through the turns a follow-up leans on, then takes the documents of the earliest
        turn that names any (each turn falls back to the ones after it): one pass over the history,
        each turn resolved once.
        """
        text = standalone if standalone is not None else self.normalized(resolve(question, history))
        step = relative_step(text)
        # "the meeting before Nairobi" and "and the next one?" (after a question on Nairobi) step from
        # Nairobi; "back in 2017, who offered to host the next meeting?" names its own meeting, and the
        # next one is only its fallback (see ``beyond``).
        if step and len(self.steering.dates) > 1 and (step.from_named or not self._names_own(question)):
            anchor = self.steering.named(text, by_time=False)
            if not anchor and history:
                anchor = self.named_documents(history[-1], history[:-1])
            if shifted := self.steering.shifted(anchor, step):
                return shifted
        own = self.steering.named(text)
        follow_up = is_elliptical(question) or refers_to_previous_document(question)
        if len(own) == 1 and history and follow_up and compares(question):  # "how does that compare with Rome?"
            before = self.named_documents(history[-1], history[:-1])
            if before and own[0] not in before:
                return [*before, *own]
        found = [own]
        resolved: list[str] | None = None
        turn, at = question, len(history)
        while at and (refers_to_previous_document(turn) or (not own and is_elliptical(turn))):
            resolved = resolved if resolved is not None else resolved_turns(history)
            at -= 1
            turn = history[at]
            own = self.steering.named(self.normalized(resolved[at]))
            found.append(own)
        return next((docs for docs in reversed(found) if docs), found[0])
