"""One log line per question (logger ``assistant.questions``, level INFO), for operations and audits.

The line is ``question {json}`` with: ``time`` (UTC), ``surface`` (``api`` or ``chat``), ``outcome``
(``answered``, ``abstained``, ``refused`` — empty, oversized — or ``error``), ``latency_ms``,
``abstained``, ``mode``, ``citations`` as ``doc_id/¶paragraph``, ``answer_id`` (what feedback names)
and, for a refusal, the ``reason``. The question's text is left out — it can name people or say more
than its asker meant to share — unless ``WPS_LOG_QUESTIONS=true``. ``serve`` sends the lines to
standard error; a deployment can route the logger anywhere with the standard ``logging`` setup.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from assistant.schema import Answer

LOGGER = "assistant.questions"


class QuestionLog:
    def __init__(self, include_question: bool = False, logger: logging.Logger | None = None) -> None:
        self.include_question = include_question
        self.logger = logger or logging.getLogger(LOGGER)

    def _write(self, surface: str, outcome: str, latency_s: float, question: str, **fields) -> None:
        line = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "surface": surface,
            "outcome": outcome,
            "latency_ms": round(latency_s * 1000, 1),
            **fields,
        }
        if self.include_question:
            line["question"] = question
        self.logger.info("question %s", json.dumps(line, ensure_ascii=False))

    def answered(self, surface: str, latency_s: float, answer: Answer) -> None:
        self._write(
            surface,
            "abstained" if answer.abstained else "answered",
            latency_s,
            answer.question,
            abstained=answer.abstained,
            mode=answer.mode,
            citations=[f"{c.doc_id}/¶{c.paragraph}" for c in answer.citations],
            answer_id=answer.id,
        )

    def refused(self, surface: str, latency_s: float, reason: str, question: str) -> None:
        self._write(surface, "refused", latency_s, question, abstained=True, mode="", citations=[], reason=reason)

    def failed(self, surface: str, latency_s: float, error: BaseException, question: str) -> None:
        self._write(
            surface, "error", latency_s, question, abstained=True, mode="", citations=[], reason=type(error).__name__
        )
