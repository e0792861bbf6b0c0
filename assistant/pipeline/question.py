"""What a question must be to be asked: text, not empty, not oversized. Messages are for the user."""

from __future__ import annotations

from assistant.settings import Settings


class QuestionError(ValueError):
    """A question the assistant will not run (empty, too long); the message is for the user."""


def check_question(question: object, settings: Settings) -> str:
    if question is not None and not isinstance(question, str):
        raise QuestionError("The question must be text.")
    text = (question or "").strip()
    if not text:
        raise QuestionError("Please type a question: the question is empty.")
    if len(text) > settings.max_question_chars:
        raise QuestionError(
            f"The question is too long ({len(text)} characters; the limit is {settings.max_question_chars}). "
            "Please shorten it to the point you want answered."
        )
    return text
