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
# A paragraph's own number at the start of a sentence ("8. ", "(a) "): it says where the sentence
# stands, so a question never shows it.
NUMBERING = re.compile(r"^\s*(?:\(?\d{1,3}[.)]|\([a-z]\))\s+")


def stem(sentence: str) -> str:
    """The sentence as a question shows it: without its paragraph number."""
    return NUMBERING.sub("", sentence, count=1)


def gives_away(text: str, answer: str) -> bool:
    """Whether the stem holds the answer's own words: "(2019)" for New York 2019, "prevention" for
    the Prevention section (words of four letters or more, and years)."""
    words = re.findall(r"\w+", answer.casefold())
    return any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text.casefold()) for w in words if len(w) >= 4)


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
        self.corpus = " ".join(" ".join(line.text.split()) for line in table.lines).casefold()
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
        sentence = stem(row.sentence)
        present = [(e, m) for e in self.terms if (m := find_term(e, sentence))]
        # An acronym whose words the sentence also spells out ("National Action Plans (NAPs)") is no quiz.
        present = [(e, m) for e, m in present if not (e.expansion and e.expansion.casefold() in sentence.casefold())]
        if not present:
            return None
        entry, match = present[rng.randrange(len(present))]
        right = match.group(0)
        text = re.sub(re.escape(right), BLANK, sentence)
        same_kind = [
            e.term
            for e in self.terms
            if e.kind == entry.kind and not find_term(e, sentence) and not self._fits(e.term, text)
        ]
        if len(same_kind) < CHOICES - 1:
            return None
        return self._question(row, "blank", "Which words fill the blank?", text, right, same_kind, rng)

    def _fits(self, term: str, text: str) -> bool:
        """Whether a wrong choice could fill the blank too: the corpus writes it beside the same word
        ("national WPS coordination" as well as "national NAP coordination" makes the blank ambiguous)."""
        before, _, after = text.partition(BLANK)
        prev = re.findall(r"[\w'-]+", before)[-1:] if before.strip() else []
        nxt = re.findall(r"[\w'-]+", after)[:1]
        pairs = [f"{prev[0]} {term}"] if prev else []
        pairs += [f"{term} {nxt[0]}"] if nxt else []
        return any(pair.casefold() in self.corpus for pair in pairs)

    def _section(self, row: Commitment, rng: random.Random) -> QuizQuestion | None:
        sections = self.sections.get(row.doc_id, [])
        text = stem(row.sentence)
        if row.section not in sections or len(sections) < 3 or gives_away(text, row.section):
            return None
        prompt = f"Which section of the {row.meeting} communiqué does this sentence belong to?"
        return self._question(row, "section", prompt, text, row.section, sections, rng)

    def _meeting(self, row: Commitment, rng: random.Random) -> QuizQuestion | None:
        text = stem(row.sentence)
        if gives_away(text, row.meeting):
            return None
        return self._question(row, "meeting", "Which meeting said this?", text, row.meeting, self.meetings, rng)
