"""Asking on behalf of a web surface: the answer gets its server-issued id and the question its log line.

The API and the chat both ask through :class:`QuestionService`, so both give signed answer ids and
both are logged the same way; :meth:`Assistant.ask` stays the one question path.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from assistant.pipeline.assistant import Assistant
from assistant.pipeline.question import QuestionError, clean_text
from assistant.schema import Answer, Filters
from assistant.web.answer_ids import AnswerIds
from assistant.web.question_log import QuestionLog


class QuestionService:
    def __init__(self, assistant: Assistant, ids: AnswerIds | None = None, log: QuestionLog | None = None) -> None:
        self.assistant = assistant
        self.ids = ids or AnswerIds.from_settings(assistant.settings)
        self.log = log or QuestionLog(assistant.settings.log_questions)

    def ask(self, question: str, history: Sequence[str] | None, filters: Filters | None, surface: str) -> Answer:
        started = time.perf_counter()
        try:
            answer = self.assistant.ask(question, history, filters)
        except QuestionError as exc:
            self.log.refused(surface, time.perf_counter() - started, str(exc), clean_text(str(question or "")))
            raise
        except Exception as exc:
            self.log.failed(surface, time.perf_counter() - started, exc, clean_text(str(question or "")))
            raise
        self.ids.issue(answer)
        self.log.answered(surface, time.perf_counter() - started, answer)
        return answer
