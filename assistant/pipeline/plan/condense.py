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
from functools import cache

from assistant import words
from assistant.pipeline.plan.steer import RelativeStep, relative_step
from assistant.pipeline.plan.understood import understood_turns

_CONNECTOR = re.compile(r"^\s*(?:and|but|also|so|then|plus|ok(?:ay)?|now)\b[\s,]*", re.I)
_WHAT_ABOUT = re.compile(r"^\s*(?:what|how)\s+about\s+", re.I)
# "this" only alone ("what about this?"): "this communiqué" names its own subject.
# "that" only where it stands for a thing ("is that binding?", "who pays for that?"), not as in
# "that meeting" or "recommend that States …".
_PRONOUN = re.compile(
    r"\b(it|its|they|them|their|these|those|this(?!\s+\w)"
    r"|(?<=\bis )that|(?<=\bwas )that|(?<=\bdo )that|(?<=\bdoes )that|(?<=\bfor )that|(?<=\bof )that"
    r"|that(?=\s*[?.!]*\s*$)|that(?=\s+(?:too|as well|also)\b)"
    r"|the same (?:issue|topic|subject|question|matter|point|area|theme))\b",
    re.I,
)
# "that meeting", "the same communiqué", "there": the previous turn's document, whatever else is named.
_SAME_DOCUMENT = re.compile(
    r"\b(?:(?:that|this|the same|same)\s+"
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


_SAME_AGAIN = re.compile(r"^\s*(?:the\s+)?same\s+(?:question|thing|again|for|about|with|in)\b", re.I)
# "the Santiago meeting", "the Kenyan one": the noun a follow-up may name its meeting with (kept, group "noun")
_MEETING_NOUN = r"(?:\s+(?P<noun>meeting|communiqu[eé]|one|summit|text))?"
# "did the seventh meeting say the same?", "does Nairobi recommend anything similar?": the previous
# question, asked of another meeting.
_SAME_AS = re.compile(
    r"^\s*(?:(?:and|but|so)\b[\s,]*)?(?:did|does|do|has|have|was|were|is)\s+(?:the\s+)?(?P<cue>.+?)"
    rf"{_MEETING_NOUN}"
    r"\s+(?:say|do|recommend|agree|mention|propose|call for|state|said|done|recommended|agreed)\s+"
    r"(?:the same(?: thing)?|likewise|something similar|anything similar|similar|the same about it)\s*[?.!]*\s*$",
    re.I,
)


def is_elliptical(question: str) -> bool:
    if _CONNECTOR.match(question) or _WHAT_ABOUT.match(question) or _SAME_AGAIN.match(question):
        return True
    if _SAME_AS.match(question):
        return True
    step = relative_step(question)
    if step and not content_words(question.replace(step.phrase, " ")):  # "what did the next one say?"
        return True
    content = content_words(_PRONOUN.sub(" ", question))
    if _PRONOUN.search(question) and len(content) <= 4:
        return True
    return not content


def refers_to_previous_document(question: str) -> bool:
    """The question points back at the document of the previous turn ("What did that meeting say …")."""
    return bool(_SAME_DOCUMENT.search(question))


# "and in 2019?", "what about now", "same question for Santiago", "What about Sweden?": the previous
# question again, about another meeting, time or name.
_SWAP = re.compile(
    r"^\s*(?:(?:and|but|ok(?:ay)?|so|then)\b[\s,]*)?"
    r"(?:(?:what|how)\s+about|(?:the\s+)?same\s+(?:question|thing|again)?\s*(?:for|about|with|in|at|on)?)?"
    r"\s*(?:(?:for|in|at|on|with|during)\s+)?(?:the\s+)?(?P<cue>.+?)"
    rf"{_MEETING_NOUN}\s*[?.!]*\s*$",
    re.I,
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_NOT_NAMES = {"i", "un", "wps", "what", "which", "who", "how"}  # capitalised, yet no meeting or country
_TIME_WORD = re.compile(r"^(?:now|nowadays|today|currently|these days|at present|this year|last year)$", re.I)


def _cue_kind(cue: str, entities: frozenset[str]) -> str | None:
    """What a follow-up's cue is: a year, a time word, or a name (capitalised, or a meeting's cue)."""
    words = cue.split()
    if not words or len(words) > 4:
        return None
    if _YEAR.fullmatch(cue):
        return "year"
    if _TIME_WORD.match(cue):
        return "time"
    if all(w[:1].isupper() or w.lower() in entities for w in words if w.lower() not in ("and", "of", "the")):
        return "name"
    return None


def swap_cue(question: str, previous: str, entities: frozenset[str] = frozenset()) -> str | None:
    """The previous question about the follow-up's meeting, time or name instead, or None.

    "and in 2019?" after "what did santiago say about early warning?" → "what did the 2019 meeting
    say about early warning?"; "what about now" after "how many members were there in 2022?" →
    "how many members were there now?"; "What about Sweden?" after "What did Colombia pledge?" →
    "What did Sweden pledge?".
    """
    step = relative_step(question)
    if step and content_words(question.replace(step.phrase, " ")):
        step = None  # "what did the next meeting say about youth?" asks a question of its own
    match = _SAME_AS.match(question) or _SWAP.match(question)
    if not match and not step:
        return None
    cue = match.group("cue").strip(" ,") if match else ""
    kind = "relative" if step else _cue_kind(cue, entities)
    if kind is None:
        return None
    body = previous.rstrip("?.! ")
    dated = re.search(r"\b(?:in|of|at|during|for)\s+(?:19|20)\d\d\b", body)  # "in 2022": a time of its own
    year = _YEAR.search(body)
    names = [
        m
        for i, m in enumerate(re.finditer(r"\b[\w'’-]+\b", body))
        if i > 0
        and (m.group(0)[:1].isupper() or m.group(0).lower() in entities)
        and not _YEAR.fullmatch(m.group(0))
        and m.group(0).lower() not in _NOT_NAMES
    ]
    slot: re.Match[str] | None = None
    if kind == "year" and year:
        slot, text = year, cue
    elif kind == "time" and (dated or year):
        slot, text = dated or year, cue
    elif kind == "relative" and (earlier := relative_step(body)):  # "and the one before that?" again
        assert step is not None
        slot = re.search(rf"(?:\bthe\s+)?{re.escape(earlier.phrase)}", body)
        text = _relative_meeting(step)
    elif kind == "relative" and (dated or year):
        assert step is not None
        slot, text = dated or year, f"at {_relative_meeting(step)}"
    elif names:
        first = names[0]
        phrase = rf"(?:\bthe\s+)?{re.escape(first.group(0))}(?:['’]s)?(?:\s+(?:meeting|communiqu[eé]|one|text))?"
        slot = re.compile(phrase).search(body, max(0, first.start() - 4)) or first
        name = cue[:1].upper() + cue[1:]
        # "and the Kenyan meeting?": the noun stays, so that the adjective still names a meeting
        named = f"the {name} {match.group('noun')}" if match and match.group("noun") else name
        relative = _relative_meeting(step) if step else ""
        text = {"year": f"the {cue} meeting", "time": "the latest meeting", "relative": relative}.get(kind, named)
    if slot is None:
        joined = {"year": f"in {cue}", "relative": f"at {_relative_meeting(step)}" if step else ""}.get(kind, cue)
        return f"{body} {joined}?"
    return f"{body[: slot.start()]}{text}{body[slot.end() :]}?"


def _relative_meeting(step: RelativeStep) -> str:
    """How a rewritten question names the meeting a relative cue points at ("the previous meeting")."""
    if step.meetings:
        return "the previous meeting" if step.meetings < 0 else "the next meeting"
    return f"the meeting {step.phrase}"


def _pronoun_meant(body: str) -> re.Match[str] | None:
    """The pronoun standing for the previous topic: "it"/"that" before "they", which in "what did
    they say about it in Kenya?" are the members speaking, not the subject."""
    found = list(_PRONOUN.finditer(body))
    things = [m for m in found if m.group(1).lower() in ("it", "its", "that", "this")]
    return (things or found or [None])[0]


@cache
def _meeting_verbs() -> re.Pattern[str]:
    verbs = "|".join(re.escape(v) for v in sorted(words.load("meeting_verbs"), key=len, reverse=True))
    return re.compile(rf"\b(?:{verbs})\b", re.I)


def _asks_of_a_meeting(body: str) -> bool:
    """The question's verb takes a meeting ("hosted", "held", "co-chaired"): see words/meeting_verbs.txt."""
    return bool(_meeting_verbs().search(body))


def _normal(text: str | None) -> str:
    return " ".join((text or "").split())


def _rewrite(question: str, previous: str, entities: frozenset[str] = frozenset()) -> str:
    """An elliptical ``question`` (whitespace-normalised) completed from the resolved previous turn."""
    swapped = swap_cue(question, previous, entities)
    if swapped:
        return swapped[:1].upper() + swapped[1:]
    body = _CONNECTOR.sub("", question).strip().rstrip("?.! ")
    topic = topic_of(previous) if _TOPIC_AFTER.search(previous) else ""
    if not topic:
        return f"{body[:1].upper()}{body[1:]}? (following: {previous})"
    pronoun = _pronoun_meant(body)
    if pronoun:
        word = pronoun.group(1).lower()
        replacement = f"{topic}'s" if word in ("its", "their") else topic
        if word in ("it", "that", "this") and _asks_of_a_meeting(body):  # "Who hosted it?": the meeting
            replacement = "the meeting"
        body = body[: pronoun.start()] + replacement + body[pronoun.end() :]
    elif topic.lower() not in body.lower():
        body = f"{body} in relation to {topic}"
    about = _WHAT_ABOUT.match(body)
    if about:
        body = "What does the communiqué say about " + body[about.end() :]
    return body[:1].upper() + body[1:] + "?"


def resolved_turns(history: Sequence[str], entities: frozenset[str] = frozenset()) -> list[str]:
    """``resolve(history[j], history[:j], entities)`` for every turn j, in one pass: each turn resolved once.

    A turn leans only on the resolved form of the latest non-empty turn before it, so walking forward
    is linear in the number of turns (the recursive definition re-resolved every earlier turn, and hit
    Python's recursion limit on long conversations).
    """
    out: list[str] = []
    previous: str | None = None  # resolved form of the latest non-empty turn so far
    for turn in history:
        text = _normal(turn)
        resolved = _rewrite(text, previous, entities) if previous is not None and is_elliptical(text) else text
        out.append(resolved)
        if text:
            previous = resolved
    return out


def resolve(question: str, history: Sequence[str] | None = None, entities: frozenset[str] = frozenset()) -> str:
    """The standalone form of ``question`` given earlier user turns (oldest first).

    ``entities``: words that name an indexed meeting (places, ordinals), so that a follow-up typed in
    lower case ("same question for santiago") is still read as being about another meeting.
    Linear in the history; callers bound the history itself (``WPS_MAX_HISTORY_TURNS`` in
    :meth:`~assistant.pipeline.assistant.Assistant.ask`).
    """
    return resolved_turns([*(history or []), question], entities)[-1]


class RuleCondenser:
    """The default :class:`~assistant.pipeline.protocols.QuestionCondenser`: the rules above, offline.

    ``entities``: lower-case words that name indexed meetings (their places and ordinals).
    """

    def __init__(self, entities: frozenset[str] = frozenset()) -> None:
        self.entities = entities

    def condense(self, question: str, history: Sequence[str]) -> str:
        return resolve(question, list(history), self.entities)

    def understood_as(self, question: str, history: Sequence[str], standalone: str) -> str:
        """What ``standalone`` (this condenser's rewrite of ``question``) is shown as: itself when
        well-formed, else the question with the one it follows on from (:mod:`assistant.pipeline.plan.understood`)."""
        turns = [*history, question]
        rewrites = [*resolved_turns(history, self.entities), standalone]
        return understood_turns([_normal(t) for t in turns], rewrites)[-1]
