"""Which questions a view answers better than the extractive answerer, and with what.

Two kinds, each recognised by its wording (the words are data in ``words/``) and only when the corpus
can answer that way, so every other question keeps its usual answer:

- "How did the Network's language on X change between 2024 and 2026?" → the topic view over the
  meetings of those years (all meetings when no year is named), in date order;
- "What does NAP stand for?" → the glossary, when the corpus defines that acronym or resolution;
- "Which meeting first mentioned X?" → the topic view's earliest meeting that addresses X, when
  there are meetings of more than one date to choose from.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from assistant import words

TOPIC = "topic"
GLOSSARY = "glossary"
FIRST = "first"  # the first meeting to address a topic
_QUOTE = "\"“”‘’'"


@dataclass(frozen=True)
class Route:
    """A question a view answers: its name, what it is about, and (topic) the meetings to cover."""

    name: str
    subject: str
    doc_ids: tuple[str, ...] = ()


def _alternation(items: Sequence[str]) -> str:
    return "|".join(re.escape(i).replace(r"\ ", r"\s+") for i in sorted(items, key=len, reverse=True))


@cache
def _patterns() -> tuple[list[re.Pattern[str]], list[re.Pattern[str]], list[re.Pattern[str]]]:
    kinds: dict[str, list[str]] = {}
    for line in words.load("topic_words"):
        kind, _, word = line.partition(":")
        kinds.setdefault(kind.strip(), []).append(word.strip())
    language, change = _alternation(kinds["language"]), _alternation(kinds["change"])
    about = r"(?:on|about|regarding|concerning|around|towards?|to)"
    meetings = r"(?:the\s+)?(?:meetings|communiqu[eé]s|years)"
    topic = [
        re.compile(
            rf"\b(?:how|in what ways?)\b.*?\b(?:{language})\s+{about}\s+(?P<subject>.+?)\s+(?:{change})\b", re.I
        ),
        re.compile(
            rf"\bhow\s+(?:did|has|have|do|does)\s+(?P<subject>.+?)\s+(?:{change})\b"
            r".*?\b(?:over\s+time|across|between|from|since|over\s+the\s+(?:years|meetings))\b",
            re.I,
        ),
        re.compile(rf"\b(?:what|how)\b.*?\b{about}\s+(?P<subject>.+?)\s+(?:across|over)\s+{meetings}\b", re.I),
    ]
    cue = _alternation(sorted(words.load("definition_words")))
    term = rf"[{_QUOTE}]?(?P<subject>[^{_QUOTE}?]+?)[{_QUOTE}]?"
    kind = r"(?:the\s+)?(?:acronym\s+|abbreviation\s+|term\s+)?"
    glossary = [
        re.compile(rf"^\s*what\s+(?:does|do|did|is)\s+{kind}{term}\s+(?:{cue})\b", re.I),
        re.compile(
            rf"^\s*what\s+is\s+(?:the\s+)?(?:meaning|definition|full\s+form|expansion)\s+of\s+{kind}{term}\s*\??\s*$",
            re.I,
        ),
        re.compile(rf"^\s*(?:define|spell\s+out|expand)\s+{kind}{term}\s*\??\s*$", re.I),
        re.compile(
            rf"^\s*(?i:what\s+(?:is|are)\s+(?:an?\s+|the\s+)?)[{_QUOTE}]?(?P<subject>[A-Z]{{2,8}}s?)[{_QUOTE}]?\s*\??\s*$"
        ),
    ]
    mention = _alternation(kinds["mention"])
    who = r"(?:the\s+)?(?:network|members|focal\s+points(?:\s+network)?|communiqu[eé]s?|meetings)"
    first = [
        # "Which meeting first mentioned X?", "which communiqué was the first to address X?"
        re.compile(
            r"^\s*(?:which|what)\s+(?:meeting|communiqu[eé]|document|summit|year)\s+"
            rf"(?:was\s+(?:the\s+)?first\s+(?:one\s+)?to|first|did\s+first)\s+(?:{mention})\s+(?P<subject>.+?)\s*\??\s*$",
            re.I,
        ),
        # "When did the Network first talk about X?"
        re.compile(rf"^\s*when\s+(?:did|has|have)\s+{who}\s+first\s+(?:{mention})\s+(?P<subject>.+?)\s*\??\s*$", re.I),
        # "When was X first mentioned?", "Where did X first come up?"
        re.compile(
            r"^\s*(?:when|where|at\s+which\s+meeting|in\s+which\s+(?:meeting|communiqu[eé]))\s+(?:was|were|did)\s+"
            rf"(?P<subject>.+?)\s+first\s+(?:{mention})\b.*?\??\s*$",
            re.I,
        ),
    ]
    return topic, glossary, first


class ViewRouter:
    """Recognises the questions of :data:`TOPIC` and :data:`GLOSSARY`; ``None`` leaves a question alone."""

    def __init__(self, documents: Sequence[dict], defines: Callable[[str], bool]) -> None:
        """``documents`` in date order; ``defines(term)``: whether the glossary defines the term."""
        self.documents = list(documents)
        self.defines = defines
        self.dated = tuple(d["doc_id"] for d in self.documents if d.get("date"))
        # One meeting date: no "first" meeting to tell apart
        self.has_sequence = len({d["date"] for d in self.documents if d.get("date")}) > 1

    def route(self, question: str) -> Route | None:
        topic, glossary, first = _patterns()
        for pattern in glossary:
            match = pattern.search(question)
            if match and self.defines(match.group("subject").strip()):
                return Route(GLOSSARY, match.group("subject").strip())
        for pattern in topic:
            match = pattern.search(question)
            if match:
                subject = _clean_topic(match.group("subject"))
                doc_ids = self._meetings(question)
                if _says_something(subject) and doc_ids:
                    return Route(TOPIC, subject, doc_ids)
        for pattern in first if self.has_sequence else ():
            match = pattern.search(question)
            if match and _says_something(subject := _clean_topic(match.group("subject"))):
                return Route(FIRST, subject, self.dated)
        return None

    def _meetings(self, question: str) -> tuple[str, ...]:
        """The meetings of the years a question spans ("between 2024 and 2026", "since 2022"), else all."""
        years = sorted(int(y) for y in re.findall(r"\b((?:19|20)\d{2})\b", question))
        dated = [(int(d["date"][:4]), d["doc_id"]) for d in self.documents if d.get("date")]
        if not years:
            return tuple(d["doc_id"] for d in self.documents)
        low, high = (years[0], years[-1]) if len(years) > 1 else (years[0], 9999)
        if len(years) == 1 and re.search(rf"\b(?:until|before|up\s+to)\s+{years[0]}\b", question, re.I):
            low, high = 0, years[0]
        return tuple(doc_id for year, doc_id in dated if low <= year <= high)


def _says_something(subject: str) -> bool:
    """A topic is more than "the language" or "its position"."""
    framing = {w.partition(":")[2].strip() for w in words.load("topic_words")} | {
        "the",
        "its",
        "their",
        "our",
        "network's",
    }
    return any(w.lower() not in framing for w in re.findall(r"[\w'’-]+", subject))


def _clean_topic(text: str) -> str:
    """The topic without what frames it: "the Network's language on" is gone already; drop the rest."""
    text = re.sub(r"^(?:the\s+)?(?:network|communiqu[eé]s?|meetings?)['’]s?\s+", "", text.strip(), flags=re.I)
    text = re.sub(r"\s+(?:between|from|since|in|over)\s+(?:19|20)\d{2}\b.*$", "", text, flags=re.I)
    # "online abuse of women, and how did the asks develop after that": the topic ends where the
    # question's next clause begins
    wh = r"(?:how|what|when|where|which|who|why)"
    text = re.sub(rf"\s*[,;]\s*(?:and\s+|but\s+)?{wh}\b.*$", "", text, flags=re.I)
    text = re.sub(rf"\s+(?:and\s+|but\s+)?{wh}\s+(?:did|does|do|has|have|was|were|is)\b.*$", "", text, flags=re.I)
    return text.strip(" ,.;:?!\"“”'’")
