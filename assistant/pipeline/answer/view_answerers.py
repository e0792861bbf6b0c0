"""Answerers for the questions a view answers (:mod:`assistant.pipeline.plan.route`): the topic across
meetings and the glossary. Each writes the same :class:`Answer` as the extractive answerer — the
communiqués' own sentences, each cited. The assistant does no retrieval of its own for these questions
(the topic view retrieves per meeting, the glossary is a table), so the request carries no passages."""

from __future__ import annotations

from assistant.pipeline.answer.compose import ABSTAIN_TEXT, document_name
from assistant.pipeline.protocols import AnswerRequest
from assistant.schema import Answer, Citation
from assistant.views.glossary import Glossary
from assistant.views.topic import NOT_ADDRESSED, TopicMeeting, TopicResult, TopicView


def _name(c: Citation) -> str:
    name = document_name(c)
    return name[0].upper() + name[1:]


def _quoted(c: Citation) -> str:
    return c.quote if c.quote_start == 0 else f"…{c.quote}"


def _common(request: AnswerRequest) -> dict:
    return {"question": request.question, "standalone_question": request.standalone}


class _AcrossMeetings:
    """An answer made from the topic view over the route's meetings; subclasses say how it reads."""

    def __init__(self, topic: TopicView) -> None:
        self.topic = topic

    def answer(self, request: AnswerRequest) -> Answer:
        route = request.view
        common = _common(request)
        result = self.topic.across(route.subject, route.doc_ids) if route else None
        addressed = [m for m in result.meetings if m.citations] if result else []
        if not result or not addressed:
            return Answer(**common, answer=ABSTAIN_TEXT, abstained=True, mode="topic")
        parts, citations, confidence = self.compose(result, addressed)
        return Answer(
            **common,
            answer="\n\n".join(parts),
            abstained=False,
            citations=citations,
            confidence=round(confidence, 4),
            mode="topic",
        )

    def compose(self, result: TopicResult, addressed: list[TopicMeeting]) -> tuple[list[str], list[Citation], float]:
        """The answer's paragraphs, its citations and its confidence."""
        raise NotImplementedError


class TopicAnswerer(_AcrossMeetings):
    """'How did the Network's language on X change …?': each meeting's best passages, in date order."""

    def compose(self, result: TopicResult, addressed: list[TopicMeeting]) -> tuple[list[str], list[Citation], float]:
        parts = [f"On “{result.topic}”, meeting by meeting:"]
        for m in result.meetings:
            if not m.citations:
                parts.append(f"The {m.meeting} communiqué: {NOT_ADDRESSED}.")
                continue
            first, *rest = m.citations
            parts.append(f"{_name(first)} ({first.where}): “{_quoted(first)}” [{first.n}]")
            parts += [f"It also states ({c.where}): “{_quoted(c)}” [{c.n}]" for c in rest]
        citations = [c for m in addressed for c in m.citations]
        return parts, citations, max(m.confidence for m in addressed)


class FirstMentionAnswerer(_AcrossMeetings):
    """'Which meeting first mentioned X?': the earliest meeting whose best passage on X passes the topic
    view's answer threshold, quoted and cited, then each later meeting that addresses it with its own
    best sentence (what followed is most of what a reader of the first mention asks next).

    Only the indexed meetings are known: the answer says "of the indexed communiqués", since an
    earlier meeting may have spoken of X in a text that is not in the corpus."""

    def compose(self, result: TopicResult, addressed: list[TopicMeeting]) -> tuple[list[str], list[Citation], float]:
        first = addressed[0]
        citations = [m.citations[0].model_copy(update={"n": i}) for i, m in enumerate(addressed, start=1)]
        c = citations[0]
        parts = [
            f"Of the indexed communiqués, the first to address “{result.topic}” is the {first.meeting} one. "
            f"{_name(c)} ({c.where}): “{_quoted(c)}” [1]"
        ]
        if len(citations) > 1:
            parts.append("It is addressed again later:")
            parts += [f"{_name(c)} ({c.where}): “{_quoted(c)}” [{c.n}]" for c in citations[1:]]
        return parts, citations, first.confidence


class GlossaryAnswerer:
    """'What does NAP stand for?': the glossary's entry, quoting the sentence that defines it."""

    def __init__(self, glossary: Glossary) -> None:
        self.glossary = glossary

    def answer(self, request: AnswerRequest) -> Answer:
        entry = self.glossary.lookup(request.view.subject) if request.view else None
        if entry is None:  # the router only sends terms the glossary defines
            return Answer(**_common(request), answer=ABSTAIN_TEXT, abstained=True, mode="glossary")
        c = entry.introduced.model_copy(update={"n": 1})
        said = "stands for" if entry.kind == "acronym" else "is"
        text = f"{entry.term} {said} {entry.expansion}. {_name(c)} ({c.where}): “{_quoted(c)}” [1]"
        others = [u.meeting for u in entry.documents if u.doc_id != c.doc_id]
        if others:
            text += f"\n\nIt is also used in the {_listed(others)} communiqué{'s' if len(others) > 1 else ''}."
        return Answer(**_common(request), answer=text, abstained=False, citations=[c], confidence=1.0, mode="glossary")


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
