"""Follow-ups condensed by the model server with llama-index's condense prompt (the one its
``CondenseQuestionChatEngine`` uses); on any error, or a reply that is no question, the rules answer.

Document carry-over then runs on the question returned, as for the rule condenser
(:meth:`assistant.pipeline.plan.planner.QuestionPlanner.named_documents`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from llama_index.core.base.llms.generic_utils import messages_to_history_str
from llama_index.core.base.llms.types import ChatMessage, MessageRole
from llama_index.core.chat_engine.condense_question import DEFAULT_PROMPT
from llama_index.core.llms import LLM

from assistant.pipeline.plan.condense import RuleCondenser
from assistant.pipeline.protocols import QuestionCondenser, UnderstoodAs

log = logging.getLogger(__name__)
_LABEL = re.compile(r"^\s*(?:<?standalone question>?|question)\s*:?\s*", re.I)
MAX_CHARS = 500  # a standalone question longer than this is the model rambling


class LLMCondenser:
    """A :class:`~assistant.pipeline.protocols.QuestionCondenser` asking the model; the rules as fallback."""

    def __init__(self, llm: LLM, fallback: QuestionCondenser | None = None) -> None:
        self.llm = llm
        self.fallback = fallback or RuleCondenser()

    def condense(self, question: str, history: Sequence[str]) -> str:
        if not history:  # nothing to lean on: no call
            return question
        # Only the user's turns are kept (the answers are long quotes, and the rules use none either).
        turns = messages_to_history_str([ChatMessage(role=MessageRole.USER, content=h) for h in history])
        try:
            reply = self.llm.predict(DEFAULT_PROMPT, chat_history=turns, question=question)
        except Exception as exc:  # server down, timeout, garbage: the rules still resolve the follow-up
            log.warning("LLM condenser failed (%s); using the rules", type(exc).__name__)
            return self.fallback.condense(question, history)
        standalone = tidy(reply)
        return standalone if standalone else self.fallback.condense(question, history)

    def understood_as(self, question: str, history: Sequence[str], standalone: str) -> str:
        """The model's rewrite is prose and shown as it is; the rules' (its fallback) only when well-formed."""
        if isinstance(self.fallback, UnderstoodAs) and standalone == self.fallback.condense(question, history):
            return self.fallback.understood_as(question, history, standalone)
        return standalone


def tidy(reply: str) -> str:
    """The question in a reply ("Standalone question: …", quoted, on its first line), or "" if none."""
    line = next((x for x in (reply or "").splitlines() if x.strip()), "")
    line = _LABEL.sub("", line).strip().strip("\"“”'").strip()
    if not line or len(line) > MAX_CHARS or not re.search(r"[A-Za-z]{2}", line):
        return ""
    return line
