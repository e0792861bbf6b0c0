"""Thumbs up/down on answers, kept in an append-only JSONL file (one record a line, never rewritten)."""

from __future__ import annotations

import json
import os
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from assistant.schema import Answer


class FeedbackRecord(BaseModel):
    time: str = Field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    rating: Literal["up", "down"]
    answer_id: str = ""
    question: str
    standalone_question: str = ""
    answer: str
    abstained: bool = False
    citations: list[dict] = Field(default_factory=list)
    comment: str = ""

    @classmethod
    def from_answer(cls, answer: Answer, rating: Literal["up", "down"], comment: str = "") -> FeedbackRecord:
        cited = [{k: getattr(c, k) for k in ("n", "doc_id", "section", "paragraph", "quote")} for c in answer.citations]
        return cls(
            rating=rating,
            answer_id=answer.id,
            question=answer.question,
            standalone_question=answer.standalone_question,
            answer=answer.answer,
            abstained=answer.abstained,
            citations=cited,
            comment=comment,
        )


def rated_content(answer: Answer) -> dict:
    """What a record keeps of an answer: the part a signed answer id must vouch for."""
    return FeedbackRecord.from_answer(answer, "up").model_dump(exclude={"time", "rating", "answer_id", "comment"})


class FeedbackStore:
    """Appends under a lock and fsyncs each line, so concurrent users never interleave or lose a record."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def add(self, record: FeedbackRecord) -> None:
        line = record.model_dump_json() + "\n"
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as f:
                f.write(line)
                f.flush()
                os.fsync(f.fileno())

    def records(self) -> list[dict]:
        """Every record; a damaged line (e.g. from a crash mid-write elsewhere) is skipped, not fatal."""
        if not self.path.exists():
            return []
        out = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                continue
        return out

    def export(self) -> str:
        """Every readable record as JSON Lines, for the API's export and ``wps-assistant feedback``."""
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in self.records())
