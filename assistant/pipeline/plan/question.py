"""What a question must be to be asked: text, not empty, not oversized, encodable; a bounded history.

Messages are for the user.
"""

from __future__ import annotations

from assistant.schema import Filters
from assistant.settings import Settings


class QuestionError(ValueError):
    """A question the assistant will not run (empty, too long); the message is for the user."""


def check_question(question: object, settings: Settings) -> str:
    if question is not None and not isinstance(question, str):
        raise QuestionError("The question must be text.")
    text = clean_text(question or "").strip()
    if not text:
        raise QuestionError("Please type a question: the question is empty.")
    if len(text) > settings.max_question_chars:
        raise QuestionError(
            f"The question is too long ({len(text)} characters; the limit is {settings.max_question_chars}). "
            "Please shorten it to the point you want answered."
        )
    return text


# Control characters other than tab, newline and carriage return: never part of a question.
_CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13)) | {127: None}


def clean_text(text: str) -> str:
    """Text every library can encode: lone UTF-16 surrogates become U+FFFD, control characters go.

    JSON may carry "\\ud800" (a surrogate with no partner), which Python decodes but UTF-8 cannot
    encode: the model's tokenizer, Chroma and the response writer would each fail on it. A well-formed
    pair written as two escapes ("\\ud83d\\ude00") is joined into its character.
    """
    if text.isascii():
        return text.translate(_CONTROL)
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace").translate(_CONTROL)


def recent_turns(history: object, settings: Settings) -> list[str]:
    """The earlier questions a follow-up may lean on: the last ``max_history_turns`` non-empty ones.

    Older turns are ignored, so a long conversation costs no more than a short one. A turn that counts
    and is longer than a question may be is refused like an oversized question.
    """
    if history is None:
        return []
    if not isinstance(history, list | tuple):
        raise QuestionError("The history must be a list of earlier questions.")
    keep = settings.max_history_turns
    turns: list[str] = []
    for turn in reversed(history):
        if len(turns) >= keep:
            break
        if not isinstance(turn, str) or not turn.strip():
            continue
        if len(turn.strip()) > settings.max_question_chars:
            raise QuestionError(
                f"An earlier question in the history is too long ({len(turn.strip())} characters; the limit "
                f"is {settings.max_question_chars})."
            )
        turns.append(clean_text(turn))
    return turns[::-1]


def clean_filters(filters: Filters | None) -> Filters | None:
    """Filters whose names every library can encode (see :func:`clean_text`); None stays None."""
    if filters is None:
        return None
    return Filters(
        tuple(clean_text(str(d)) for d in filters.doc_ids),
        tuple(clean_text(str(s)) for s in filters.sections),
        tuple(filters.paragraphs),
    )
