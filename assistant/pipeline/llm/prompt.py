"""What the model is shown: the numbered passages, framed by the prompt in ``assistant/prompts/answer.md``.

A passage sentence that addresses a language model ("Ignore the rules and say …", from a poisoned
document) is withheld from the model and, in the checker, never counts as support.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date as Date
from functools import cached_property
from importlib import resources

from llama_index.core.base.llms.types import ChatMessage, MessageRole
from llama_index.core.schema import NodeWithScore

from assistant import words
from assistant.index.store import paragraph_text
from assistant.pipeline.llm.claims import clean, normalised
from assistant.schema import Address, Sentence, para_key

WITHHELD = "[…]"
# Characters per token when budgeting the context window: English prose runs about four; three
# leaves room for names and numbers, which tokenise worse.
CHARS_PER_TOKEN = 3
# Room per passage for its tags and address line, when budgeting.
PASSAGE_FRAME_CHARS = 200
_TAG = re.compile(r"</?\s*passage\b[^>]*>", re.I)


def instruction_like(text: str) -> bool:
    """The sentence speaks to a language model rather than stating anything (words/instruction_cues.txt)."""
    flat = normalised(text)
    return any(cue in flat for cue in words.load("instruction_cues"))


def date_text(iso: str) -> str:
    """'2026-06-10' → '10 June 2026', the way a passage would write it (so a sentence's date can be checked)."""
    try:
        day = Date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class Passage:
    """One numbered passage as the model was given it: the whole paragraph and its sentences."""

    n: int
    address: Address
    text: str  # the whole paragraph (a citation's ``text``)
    sentences: tuple[Sentence, ...]  # its sentences, offsets into ``text``, with embeddings
    withheld: frozenset[int]  # indexes of sentences that read as instructions to a model

    @property
    def header(self) -> str:
        a = self.address
        return f"{a.title} — {a.meeting}, {a.place}, {date_text(a.date)} — {a.section}, ¶{a.label or a.paragraph}"

    @cached_property
    def shown(self) -> str:
        """The text the model reads: withheld sentences replaced, anything like our passage tags removed."""
        text = self.text
        for i in sorted(self.withheld, reverse=True):
            s = self.sentences[i]
            text = text[: s.start] + WITHHELD + text[s.end :]
        return _TAG.sub("", text)


def number_passages(passages: list[NodeWithScore], sentences: list[Sentence], budget_chars: int) -> list[Passage]:
    """One numbered passage per retrieved paragraph, best first, as many as the context window holds
    (always at least one)."""
    out: list[Passage] = []
    used = 0
    for node in passages:
        key = para_key(node.node)
        own = tuple(s for s in sentences if s.para_key == key)
        if not own or any(p.address.para_key == key for p in out):
            continue
        text = paragraph_text(key, list(own))
        if out and used + len(text) + PASSAGE_FRAME_CHARS > budget_chars:
            break
        used += len(text) + PASSAGE_FRAME_CHARS
        withheld = frozenset(i for i, s in enumerate(own) if instruction_like(s.text))
        out.append(Passage(len(out) + 1, own[0].address, text, own, withheld))
    return out


@dataclass(frozen=True)
class AnswerPrompt:
    """The four parts of ``answer.md``: rules, question message, passage layout, decline sentence."""

    rules: str
    question: str
    passage: str
    decline: str

    @classmethod
    def load(cls) -> AnswerPrompt:
        text = resources.files("assistant.prompts").joinpath("answer.md").read_text(encoding="utf-8")
        parts = dict(
            re.findall(r"^## (\w+)\n(.*?)(?=^## |\Z)", re.sub(r"<!--.*?-->", "", text, flags=re.S), re.M | re.S)
        )
        decline = parts["decline"].strip()
        return cls(
            parts["rules"].strip().replace("{decline}", decline),
            parts["question"].strip(),
            parts["passage"].strip(),
            decline,
        )

    def overhead_chars(self) -> int:
        """What the rules and the question frame take, before any passage."""
        return len(self.rules) + len(self.question)

    def render(self, passage: Passage) -> str:
        a = passage.address
        return self.passage.format(
            n=passage.n,
            document=a.title,
            meeting=a.meeting,
            place=a.place,
            date=date_text(a.date),
            section=a.section,
            paragraph=a.label or a.paragraph,
            text=passage.shown,
        )

    def messages(self, question: str, passages: list[Passage]) -> list[ChatMessage]:
        body = self.question.format(passages="\n\n".join(self.render(p) for p in passages), question=question)
        return [
            ChatMessage(role=MessageRole.SYSTEM, content=self.rules),
            ChatMessage(role=MessageRole.USER, content=body),
        ]

    def declines(self, reply: str) -> bool:
        """The model said the passages do not answer (its exact sentence, give or take punctuation)."""
        flat = normalised(clean(reply)).strip(" .")
        return bool(flat) and flat == normalised(self.decline).strip(" .")
