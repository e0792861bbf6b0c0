"""Follow-up questions: rewrite "and what about funding for it?" into a question that stands alone.

Method: a question is elliptical when it opens with a connector ("and", "what about"), or leans on a
pronoun while saying little of its own, or has almost no content words. Its missing topic is the topic
of the previous user turn (that turn itself resolved first), taken as the phrase after "about/on/…":
the pronoun is replaced by that topic, or the topic is appended. When the previous turn has no such
phrase ("How much has the Network grown?"), guessing its topic from bare words reads badly and
retrieves worse, so the previous turn is appended whole as context. Deterministic and offline; the
resolved question is shown to the user.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant import words

_CONNECTOR = re.compile(r"^\s*(?:and|but|also|so|then|plus|ok(?:ay)?|now)\b[\s,]*", re.I)
_WHAT_ABOUT = re.compile(r"^\s*(?:what|how)\s+about\s+", re.I)
# "this" only alone ("what about this?"): "this communiqué" names its own subject.
_PRONOUN = re.compile(
    r"\b(it|its|they|them|their|these|those|this(?!\s+\w)"
    r"|the same (?:issue|topic|subject|question|matter|point|area|theme))\b",
    re.I,
)
# "that meeting", "the same communiqué", "there": the previous turn's document, whatever else is named.
_SAME_DOCUMENT = re.compile(
    r"\b(?:(?:that|this|the same|the previous|the earlier|same)\s+"
    r"(?:meeting|communiqu[eé]|document|summary|statement|gathering|one|text))\b"
    r"|\bthere\s*[?.!]*\s*$",  # "what was agreed there?", not "is there anything on …"
    re.I,
)
_TOPIC_AFTER = re.compile(r"\b(?:about|on|regarding|concerning|re)\s+(.+)$", re.I)
_FRAMING = re.compile(
    r"^\s*(?:(?:what|which|who|where|when|why|how(?:\s+(?:much|many))?)"
    r"(?:\s+(?:is|are|was|were|do|does|did|has|have|had|can|could|should|would))?"
    r"|(?:is|are|do|does|did|can|could|should)|tell me|summari[sz]e|explain|describe|list)\b\s*",
    re.I,
)


def content_words(text: str) -> list[str]:
    """Words that say what a question is about (not "what", "does", "the communiqué", "summarise")."""
    topicless = words.load("followup_words")
    return [w for w in re.findall(r"[\w'’-]+", text.lower()) if w not in topicless and len(w) > 1]


def topic_of(question: str) -> str:
    """The subject a question asks about ("early warning systems" for "What … recommend on early warning systems?")."""
    body = question.strip().rstrip("?.! ")
    match = _TOPIC_AFTER.search(body)
    if match and content_words(match.group(1)):
        return re.sub(r"^(?:the|a|an)\s+", "", match.group(1).strip(), flags=re.I)
    body = _FRAMING.sub("", body)
    body = re.sub(r"^(?:the\s+)?communiqu[eé]s?\s+(?:say|recommend|state|mention)s?\s*", "", body, flags=re.I)
    topicless = words.load("followup_words")
    return " ".join(w for w in re.findall(r"[\w'’-]+", body) if w.lower() not in topicless)


def is_elliptical(question: str) -> bool:
    content = content_words(_PRONOUN.sub(" ", question))
    if _CONNECTOR.match(question) or _WHAT_ABOUT.match(question):
        return True
    if _PRONOUN.search(question) and len(content) <= 4:
        return True
    return not content


def refers_to_previous_document(question: str) -> bool:
    """The question points back at the document of the previous turn ("What did that meeting say …")."""
    return bool(_SAME_DOCUMENT.search(question))


def _normal(text: str | None) -> str:
    return " ".join((text or "").split())


def _rewrite(question: str, previous: str) -> str:
    """An elliptical ``question`` (whitespace-normalised) completed from the resolved previous turn."""
    body = _CONNECTOR.sub("", question).strip().rstrip("?.! ")
    topic = topic_of(previous) if _TOPIC_AFTER.search(previous) else ""
    if not topic:
        return f"{body[:1].upper()}{body[1:]}? (following: {previous})"
    pronoun = _PRONOUN.search(body)
    if pronoun:
        word = pronoun.group(1).lower()
        replacement = f"{topic}'s" if word in ("its", "their") else topic
        body = body[: pronoun.start()] + replacement + body[pronoun.end() :]
    elif topic.lower() not in body.lower():
        body = f"{body} in relation to {topic}"
    about = _WHAT_ABOUT.match(body)
    if about:
        body = "What does the communiqué say about " + body[about.end() :]
    return body[:1].upper() + body[1:] + "?"


def resolved_turns(history: Sequence[str]) -> list[str]:
    """``resolve(history[j], history[:j])`` for every turn j, in one pass: each turn is resolved once.

    A turn leans only on the resolved form of the latest non-empty turn before it, so walking forward
    is linear in the number of turns (the recursive definition re-resolved every earlier turn, and hit
    Python's recursion limit on long conversations).
    """
    out: list[str] = []
    previous: str | None = None  # resolved form of the latest non-empty turn so far
    for turn in history:
        text = _normal(turn)
        resolved = _rewrite(text, previous) if previous is not None and is_elliptical(text) else text
        out.append(resolved)
        if text:
            previous = resolved
    return out


def resolve(question: str, history: Sequence[str] | None = None) -> str:
    """The standalone form of ``question`` given earlier user turns (oldest first).

    Linear in the history; callers bound the history itself (``WPS_MAX_HISTORY_TURNS`` in
    :meth:`~assistant.pipeline.assistant.Assistant.ask`).
    """
    return resolved_turns([*(history or []), question])[-1]


class RuleCondenser:
    """The default :class:`~assistant.pipeline.protocols.QuestionCondenser`: the rules above, offline."""

    def condense(self, question: str, history: Sequence[str]) -> str:
        return resolve(question, list(history))
