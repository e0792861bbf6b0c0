"""Question files: one JSON object a line (id, kind, question, history, gold, answer_keys, split, gold_docs)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from assistant.ingest.parse import doc_id_for


class QuestionFileError(ValueError):
    """A question file that cannot be read; the message names the line."""


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    question: str
    history: tuple[str, ...] = ()
    gold: tuple[str, ...] = ()
    answer_keys: tuple[str, ...] = ()
    split: str = ""
    gold_docs: tuple[str, ...] = ()  # documents a correct answer cites (optional; file stems)
    expect: str = ""  # how a good product behaves on an adversarial item: answer, abstain, error, not:TEXT

    @property
    def answerable(self) -> bool:
        return bool(self.gold)


def _gold_docs(item: dict) -> tuple[str, ...]:
    """``gold_docs`` (file stems), or the development set's ``doc`` (a file name or a list of them)."""
    if item.get("gold_docs"):
        return tuple(str(d).lower() for d in item["gold_docs"])
    docs = item.get("doc") or ()
    names = [docs] if isinstance(docs, str) else list(docs)
    return tuple(doc_id_for(Path(str(n))) for n in names if n)


def load_questions(path: Path, split: str | None = None) -> list[Question]:
    questions = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            q = Question(
                id=str(item["id"]),
                kind=str(item.get("kind", "question")),
                question=str(item["question"]),
                history=tuple(item.get("history") or ()),
                gold=tuple(item.get("gold") or ()),
                answer_keys=tuple(item.get("answer_keys") or ()),
                gold_docs=_gold_docs(item),
                split=str(item.get("split", "")),
                expect=str(item.get("expect") or ""),
            )
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise QuestionFileError(f"{path}:{number}: not a question object ({exc})") from exc
        if split is None or q.split == split:
            questions.append(q)
    return questions
