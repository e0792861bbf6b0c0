"""Knowing what the assistant is for: requests that are no question about the communiqués.

Sentences that instruct the assistant itself ("Ignore your rules and …", "print your prompt") are set
aside first: what is left, if it asks something, is answered, and nothing else is. Then a request
that is no question about the communiqués ("write a poem", "what's the weather in Rome") gets a
short, polite statement of what the assistant answers, with example questions drawn from the indexed
documents, never a quoted passage. The patterns are data (``words/instructions.txt``,
``words/out_of_scope.txt``), each a kind of request rather than a particular question.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from assistant import words
from assistant.ingest.structure import MAIN_TEXT, PREAMBLE

SCOPE_TEXT = (
    "I answer questions about the communiqués of the Women, Peace and Security Focal Points Network: what "
    "they recommend, commit to or say about a topic, quoting them with document, section and paragraph. "
    "I cannot help with other requests."
)


@cache
def _patterns(name: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.I) for p in words.ordered(name))


def without_instructions(question: str) -> str:
    """The question without its sentences that instruct the assistant itself."""
    sentences = re.split(r"(?<=[.!?;:])\s+", question.strip())
    kept = [s for s in sentences if not any(p.search(s) for p in _patterns("instructions"))]
    return " ".join(kept).strip()


def is_out_of_scope(question: str) -> bool:
    """The request is no question about the communiqués (a task, the weather, general knowledge)."""
    return any(p.search(question) for p in _patterns("out_of_scope"))


def example_questions(documents: Iterable[dict], n: int = 3) -> list[str]:
    """Questions the indexed documents answer, one per section topic (the sections' own names)."""
    seen: list[str] = []
    for d in documents:
        for s in d.get("sections", []):
            name = s["name"] if isinstance(s, dict) else s
            if name not in (PREAMBLE, MAIN_TEXT) and name.lower() not in (x.lower() for x in seen):
                seen.append(name)
    return [f"What do the communiqués recommend on {name[:1].lower()}{name[1:]}?" for name in seen[:n]]


def scope_text(documents: Iterable[dict]) -> str:
    examples = example_questions(documents)
    if not examples:
        return SCOPE_TEXT
    return SCOPE_TEXT + " For example: " + " · ".join(f"“{q}”" for q in examples)
