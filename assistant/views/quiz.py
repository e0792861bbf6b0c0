"""A quiz made from the corpus without a model: fill the blank of a key term in an operative sentence,
"which section does this recommendation belong to?", and "which meeting said this?" (with several
documents). Multiple choice, distractors from the corpus, deterministic for a seed.

The questions carry their answers and citations: the quiz is scored in the reader's session (nothing
about the person is stored anywhere).
"""

from __future__ import annotations

import random
import re
from typing import Literal

from pydantic import BaseModel, Field

from assistant.schema import Citation
from assistant.views.commitments import Commitment, CommitmentTracker
from assistant.views.glossary import Glossary, find_term
from assistant.views.table import OPENING_SECTIONS, CorpusTable

BLANK = "_____"
CHOICES = 4

Kind = Literal["blank", "section", "meeting"]


class QuizQuestion(BaseModel):
    id: str
    kind: Kind
    prompt: str
    text: str = Field(description="The sentence asked about (with _____ for the blank).")
    choices: list[str]
    answer: int = Field(description="Index of the right choice.")
    where: str = Field(description="Where the sentence stands: 'the Rome 2026 communiqué, Protection, ¶10'.")
    citation: Citation


class Quiz(BaseModel):
    seed: int
    questions: list[QuizQuestion]


class QuizMaker:
    def __init__(self, table: CorpusTable, tracker: CommitmentTracker, glossary: Glossary) -> None:
        self.table = table
        self.rows = tracker.rows
        self.terms = [e for e in glossary.entries if e.kind in ("term", "acronym")]
        self.meetings = [table.name(d["doc_id"]) for d in table.documents]
        self.sections = {
            d["doc_id"]: [s["name"] for s in d["sections"] if s["name"].lower() not in OPENING_SECTIONS]
            for d in table.documents
        }

    def make(self, n: int, seed: int) -> Quiz:
        """``n`` questions (fewer when the corpus has too few sentences), the same for the same seed."""
        rng = random.Random(seed)
        rows = list(self.rows)
        rng.shuffle(rows)
        makers = [self._blank, self._section]
        if len(self.meetings) > 1:
            makers.append(self._meeting)
        questions: list[QuizQuestion] = []
        used: set[str] = set()  # each sentence is asked about once
        misses = 0
        while len(questions) < n and misses < len(makers):
            misses = 0
            for make in makers:  # the kinds in turn
                if len(questions) >= n:
                    break
                question = next((q for r in rows if r.id not in used and (q := make(r, rng)) is not None), None)
                if question is None:
                    misses += 1
                    continue
                used.add(question.id)
                questions.append(question.model_copy(update={"id": f"{seed}-{len(questions) + 1}"}))
        return Quiz(seed=seed, questions=questions)

    def _choices(self, right: str, others: list[str], rng: random.Random) -> tuple[list[str], int]:
        pool = [o for o in dict.fromkeys(others) if o.casefold() != right.casefold()]
        choices = [right, *rng.sample(pool, min(CHOICES - 1, len(pool)))]
        rng.shuffle(choices)
        return choices, choices.index(right)

    def _question(
        self, row: Commitment, kind: Kind, prompt: str, text: str, right: str, others: list[str], rng: random.Random
    ) -> QuizQuestion:
        choices, answer = self._choices(right, others, rng)
        return QuizQuestion(
            id=row.id,
            kind=kind,
            prompt=prompt,
            text=text,
            choices=choices,
            answer=answer,
            where=f"the {row.meeting} communiqué, {row.citation.where}",
            citation=row.citation,
        )

    def _blank(self, row: Commitment, rng: random.Random) -> QuizQuestion | None:
        present = [(e, m) for e in self.terms if (m := find_term(e, row.sentence))]
        if not present:
            return None
        entry, match = present[rng.randrange(len(present))]
        same_kind = [e.term for e in self.terms if e.kind == entry.kind and not find_term(e, row.sentence)]
        if len(same_kind) < CHOICES - 1:
            return None
        right = match.group(0)
        text = re.sub(re.escape(right), BLANK, row.sentence)
        return self._question(row, "blank", "Which words fill the blank?", text, right, same_kind, rng)

    def _section(self, row: Commitment, rng: random.Random) -> QuizQuestion | None:
        sections = self.sections.get(row.doc_id, [])
        if row.section not in sections or len(sections) < 3:
            return None
        prompt = f"Which section of the {row.meeting} communiqué does this sentence belong to?"
        return self._question(row, "section", prompt, row.sentence, row.section, sections, rng)

    def _meeting(self, row: Commitment, rng: random.Random) -> QuizQuestion | None:
        return self._question(row, "meeting", "Which meeting said this?", row.sentence, row.meeting, self.meetings, rng)
