"""Real model replies replayed through the source check, sentence by sentence, against their labels.

``tests/data/real_replies.jsonl`` (from ``../shared/eval/llm``) holds replies a real small model wrote
to the assistant's own prompt: the exact ``messages`` (numbered passages), the raw ``reply`` and a
``judgement`` per sentence (``faithful``, ``faithful_uncited``, ``miscited``, ``unfaithful``,
``wrong_decline``, ``right_decline``). Replaying one rebuilds the numbered passages from the index
(each must be the indexed paragraph word for word), runs the checker exactly as the generative
answerer does after the last token, and says for each sentence whether the reader is shown it.

Shown = the checker keeps the sentence and the answer as a whole is not replaced by the fallback.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

from assistant.pipeline.assistant import Assistant
from assistant.pipeline.llm import claims
from assistant.pipeline.llm.checker import AnswerChecker
from assistant.pipeline.llm.prompt import AnswerPrompt, Passage, instruction_like

_PASSAGE = re.compile(r'<passage n="(\d+)">\n\[\d+\] [^\n]*\n(.*?)\n</passage>', re.S)
_QUESTION = re.compile(r"^Question: (.*)$", re.M)

WRONG = ("unfaithful", "miscited")  # a sentence the reader must never be shown
FAITHFUL = ("faithful",)  # true and cited to the passage that states it


@dataclass(frozen=True)
class Reply:
    question: str
    messages: list[dict]
    reply: str
    judgement: list[dict]

    @property
    def asked(self) -> str:
        """The question as the model was given it (the standalone question)."""
        user = next(m["content"] for m in self.messages if m["role"] == "user")
        found = _QUESTION.search(user)
        return found.group(1).strip() if found else self.question


@dataclass(frozen=True)
class Decision:
    """What the reader is shown of one labelled sentence of a real reply."""

    question: str
    sentence: str
    label: str
    shown: bool
    reason: str  # "kept", the check's kind that removed it, or the answer's failure / "declined"


def load_replies(path: Path) -> list[Reply]:
    rows = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Reply(r["question"], r["messages"], r["reply"], r["judgement"]) for r in rows]


def given_passages(assistant: Assistant, reply: Reply) -> list[Passage]:
    """The numbered passages of ``reply``'s prompt, rebuilt from the index (text must match exactly)."""
    user = next(m["content"] for m in reply.messages if m["role"] == "user")
    by_text = {
        p["text"]: (doc["doc_id"], p["paragraph"])
        for doc in assistant.documents()
        for p in assistant.paragraphs(doc["doc_id"])
    }
    out = []
    for n, body in _PASSAGE.findall(user):
        if body not in by_text:
            raise ValueError(f"passage [{n}] of {reply.question!r} is not an indexed paragraph")
        doc_id, number = by_text[body]
        sentences = tuple(assistant.store.sentences([f"{doc_id}#p{number}"]))
        withheld = frozenset(i for i, s in enumerate(sentences) if instruction_like(s.text))
        out.append(Passage(int(n), sentences[0].address, body, sentences, withheld))
    return out


def replay(
    assistant: Assistant, checker: AnswerChecker, prompt: AnswerPrompt, reply: Reply
) -> tuple[list[Decision], float]:
    """Each labelled sentence's fate, and the check's time in ms (what it adds after the last token)."""
    if prompt.declines(reply.reply):
        return [Decision(reply.question, "", j["label"], False, "declined") for j in reply.judgement], 0.0
    passages = given_passages(assistant, reply)
    started = time.perf_counter()
    result = checker.check(reply.reply, passages, reply.asked)
    elapsed = (time.perf_counter() - started) * 1000
    kept = {v.claim.plain for v in result.kept}
    removed = {c.sentence: c.kind for c in result.removed}
    found = claims.split_claims(reply.reply)
    out = []
    for j in reply.judgement:
        label_text = claims.normalised(claims.without_markers(j["sentence_starts"]))
        matching = [c for c in found if label_text in claims.normalised(c.plain)] if label_text else found
        for c in matching:
            shown = c.plain in kept and result.failure is None
            reason = "kept" if c.plain in kept else removed.get(c.text, removed.get(c.plain, "removed"))
            if result.failure is not None:
                reason = f"{reason}; answer: {result.failure.kind}"
            out.append(Decision(reply.question, c.plain, j["label"], shown, reason))
    return out, elapsed


def table(decisions: list[Decision]) -> dict[str, dict[str, int | float]]:
    """Per label: sentences, shown, share shown."""
    out: dict[str, dict[str, int | float]] = {}
    for label in sorted({d.label for d in decisions}):
        group = [d for d in decisions if d.label == label]
        shown = sum(d.shown for d in group)
        out[label] = {"sentences": len(group), "shown": shown, "share_shown": round(shown / len(group), 2)}
    return out
