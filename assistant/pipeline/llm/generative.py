"""The generative answerer: a model server writes a fluent answer from the numbered passages, and only
what the checker lets through is shown; otherwise the extractive answer, with a one-line notice.

    extractive answer first (6 ms; it abstains → that is the answer, no model call)
    → numbered passages → model (streamed) → checker (each sentence as soon as it is complete, its
      decision streamed too: a SentenceCheck, kept with its sources or removed with the reason)
    → kept sentences, renumbered [1..k], each citation quoting its best-supporting sentence
      | the extractive answer with a notice (server down, timeout, garbage, no markers, [7] of 3, …)
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from assistant.pipeline.answer.compose import compose as compose_citations
from assistant.pipeline.answer.crosslingual import message
from assistant.pipeline.answer.extractive import ExtractiveAnswerer
from assistant.pipeline.llm.checker import AnswerChecker, CheckResult, Support, Verdict
from assistant.pipeline.llm.claims import Claim, split_claims
from assistant.pipeline.llm.client import SpeedLog, client_timeout, describe_error, timed_stream
from assistant.pipeline.llm.prompt import CHARS_PER_TOKEN, AnswerPrompt, Passage, number_passages
from assistant.pipeline.protocols import AnswerRequest
from assistant.schema import Answer, Check, Citation, SentenceCheck
from assistant.settings import Settings

if TYPE_CHECKING:
    from llama_index.core.llms import LLM


_SENTENCE_END = frozenset(".!?]\n")
_ENDS_SENTENCE = re.compile(r"[.!?][\"”’)\]]*\s*$")


class StreamCheck:
    """Checks each sentence of a streamed reply once it is complete, so that little is left to check
    when the last token arrives, and says what it decided (:class:`SentenceCheck`) as it goes."""

    def __init__(self, checker: AnswerChecker, passages: list[Passage], question: str = "") -> None:
        self.checker = checker
        self.passages = passages
        self.question = question
        # keyed by the sentence and its markers: a marker written later ("… [1]" at the paragraph's
        # end, or on a line of its own) changes what an earlier sentence cites
        self.done: dict[tuple[str, tuple[int, ...]], Verdict] = {}
        self.embedded: dict[str, Sequence[float]] = {}
        self.marked: dict[int, tuple[str, tuple[int, ...]]] = {}  # sentence index → what was last sent for it

    def feed(self, reply: str) -> list[SentenceCheck]:
        """Check the sentences of ``reply`` that are complete: all but the last, and the last too when
        the reply ends like a sentence (it usually is the answer's last, and the reader is waiting).
        Returns the decisions not sent yet: new sentences, and earlier ones a later marker changed."""
        claims = split_claims(reply)
        if not _ENDS_SENTENCE.search(reply):
            claims = claims[:-1]
        return self._check(claims)

    def finish(self, reply: str) -> tuple[CheckResult, list[SentenceCheck]]:
        """The whole reply's result (what :meth:`AnswerChecker.check` decides of it), and the decisions
        on sentences not sent yet."""
        claims = split_claims(reply)
        marks = self._check(claims)
        return self.checker.decide([self.done[_key(c)] for c in claims], self.passages), marks

    def _check(self, claims: list[Claim]) -> list[SentenceCheck]:
        fresh = [c for c in claims if _key(c) not in self.done]
        self.done.update(zip(map(_key, fresh), self._verdicts(fresh), strict=True))
        marks = []
        for i, claim in enumerate(claims):
            if self.marked.get(i) != _key(claim):
                self.marked[i] = _key(claim)
                marks.append(sentence_check(i, self.done[_key(claim)], self.passages))
        return marks

    def _verdicts(self, claims: list[Claim]) -> list[Verdict]:
        """Verdicts of ``claims``; each sentence is embedded once, though a later marker may make it
        checked again."""
        new = list(dict.fromkeys(c.plain for c in claims if c.plain not in self.embedded))
        if new:
            self.embedded.update(zip(new, self.checker.embed(new), strict=True))
        return [self.checker.verdict(c, self.embedded[c.plain], self.passages, self.question) for c in claims]


def _key(claim: Claim) -> tuple[str, tuple[int, ...]]:
    return claim.text, claim.markers


def sentence_check(index: int, verdict: Verdict, passages: list[Passage]) -> SentenceCheck:
    """What the reader is told of one checked sentence while the model writes."""
    claim = verdict.claim
    if verdict.removed is not None:
        return SentenceCheck(
            index=index,
            sentence=claim.text,
            kept=False,
            citations=list(claim.markers),
            kind=verdict.removed.kind,
            detail=verdict.removed.detail,
        )
    given = {p.n: p for p in passages}
    supporting = {s.n for s in verdict.supports}
    cited = [n for n in claim.markers if n in supporting]
    return SentenceCheck(
        index=index, sentence=claim.text, kept=True, citations=cited, sources=[_source(given[n]) for n in cited]
    )


def _source(passage: Passage) -> str:
    """'Rome 2026, Prevention, ¶13': where a passage stands, short enough to follow a sentence."""
    a = passage.address
    city = a.place.split(",")[0].strip()
    document = f"{city} {a.date[:4]}" if city and a.date else a.title
    return f"{document}, {a.section}, ¶{a.label or a.paragraph}"


class GenerativeAnswerer:
    """A :class:`~assistant.pipeline.protocols.StreamingAnswerer` over a llama-index LLM."""

    def __init__(
        self,
        settings: Settings,
        llm: LLM,  # OpenAILike, Ollama, … (pipeline/llm/client.py)
        extractive: ExtractiveAnswerer,
        checker: AnswerChecker,
        prompt: AnswerPrompt,
        speed: SpeedLog | None = None,  # the server's record of how fast it answers (the health check reads it)
    ) -> None:
        self.settings = settings
        self.llm = llm
        self.extractive = extractive
        self.checker = checker
        self.prompt = prompt
        self.speed = speed

    @property
    def budget_chars(self) -> int:
        """Passage text the context window holds beside the rules, the question and the reply."""
        s = self.settings
        return (s.llm_context_window - s.llm_max_tokens) * CHARS_PER_TOKEN - self.prompt.overhead_chars()

    def answer(self, request: AnswerRequest) -> Answer:
        *_, answer = self.stream(request)
        return answer

    def stream(self, request: AnswerRequest) -> Iterator[str | SentenceCheck | Answer]:
        """The model's text as it comes, each sentence's :class:`SentenceCheck` as soon as it is
        complete, then the answer (:meth:`answer` returns the same one)."""
        extractive = self.extractive.answer(request)
        if extractive.abstained:  # the calibrated abstention holds: no model is asked to fill the gap
            yield extractive
            return
        passages = number_passages(request.passages, request.sentences, self.budget_chars)
        checking = StreamCheck(self.checker, passages, request.standalone)
        started = time.perf_counter()
        first_token: float | None = None
        last_token = started
        pieces = 0
        reply = ""
        s = self.settings
        messages = self.prompt.messages(request.standalone, passages)
        try:
            stream = timed_stream(
                lambda: self.llm.stream_chat(messages), s.llm_first_token_timeout, s.llm_timeout, s.llm_answer_timeout
            )
            for chunk in stream:
                delta = chunk.delta or ""
                if delta:
                    last_token = time.perf_counter()
                    first_token = first_token or last_token
                    pieces += 1
                    reply += delta
                    yield delta
                    if _SENTENCE_END & set(delta):
                        yield from checking.feed(reply)
        except Exception as exc:  # whatever the server or its client does, the reader gets an answer
            reason = describe_error(exc, client_timeout(s))
            if self.speed is not None:
                self.speed.failed(reason)
            yield fallback(
                extractive, Check(kind="model_error", detail=reason), f"The language model was not used ({reason})"
            )
            return
        generated = time.perf_counter()
        if self.speed is not None and first_token is not None:
            self.speed.record(first_token - started, pieces, last_token - first_token)
        if self.prompt.declines(reply):
            check = Check(kind="declined", sentence=reply.strip(), detail="the model said the passages do not answer")
            yield declined(extractive, check, request.language)
            return
        result, marks = checking.finish(reply)
        timings = {
            "first_token": round(((first_token or generated) - started) * 1000, 1),
            "generate": round((generated - started) * 1000, 1),
            "check": round((time.perf_counter() - generated) * 1000, 1),
        }
        yield from marks
        if result.failure is not None:
            note = f"The language model's answer did not pass the source check ({result.failure.detail})"
            yield fallback(extractive, result.failure, note, result.removed, timings)
            return
        yield compose(request, extractive, passages, result, timings)


def fallback(
    extractive: Answer,
    failure: Check,
    reason: str,
    removed: list[Check] | None = None,
    timings: dict[str, float] | None = None,
) -> Answer:
    """The extractive answer, saying in one line why the model's answer is not shown."""
    return extractive.model_copy(
        update={
            "mode": "fallback",
            "notice": f"{reason}; this answer quotes the communiqués directly.",
            "checks": [*(removed or []), failure],
            "timings_ms": dict(timings or {}),
        }
    )


def declined(extractive: Answer, check: Check, language: str | None) -> Answer:
    """The model read the passages and found no answer in them: the extractive answer's passages are
    shown as the closest ones, tier "possibly relevant", never quoted as the answer.

    The extractive scorer rated them an answer and the model, reading them whole, did not: neither
    judge is trusted alone, so the reader gets the passages labelled as what they may be."""
    frame = message(language or "en", "related_note")
    return extractive.model_copy(
        update={
            "answer": f"{frame}\n\n{compose_citations(extractive.citations)}",
            "abstained": True,
            "tier": "possibly_relevant",
            "mode": "fallback",
            "notice": "The language model found no answer in these passages; they are shown as possibly relevant.",
            "checks": [check],
            "timings_ms": {},
        }
    )


def compose(
    request: AnswerRequest, extractive: Answer, passages: list[Passage], result: CheckResult, timings: dict[str, float]
) -> Answer:
    """The kept sentences with their passages renumbered [1..k] in order of first citation; each
    citation quotes the sentence of its passage that best supports what cites it."""
    given = {p.n: p for p in passages}
    number: dict[int, int] = {}
    best: dict[int, Support] = {}
    blocks: dict[int, list[str]] = {}
    for verdict in result.kept:
        supporting = {s.n: s for s in verdict.supports}
        cited = [n for n in verdict.claim.markers if n in supporting]
        for n in cited:
            number.setdefault(n, len(number) + 1)
            if n not in best or supporting[n].score > best[n].score:
                best[n] = supporting[n]
        blocks.setdefault(verdict.claim.block, []).append(
            _with_markers(verdict.claim.plain, [number[n] for n in cited])
        )
    citations = []
    for n, new in sorted(number.items(), key=lambda item: item[1]):
        s, p = best[n], given[n]
        breakdown = {"support": s.score, "similarity": s.similarity, "lexical": s.lexical}
        citations.append(Citation.at(new, p.address, p.text, s.sentence.text, s.sentence.start, s.score, breakdown))
    removed = [c for c in result.checks if c.kind != "citation_dropped"]
    notice = ""
    if removed:
        many = len(removed) > 1
        notice = (
            f"Checked against the sources: {len(removed)} sentence{'s' if many else ''} of the model's answer "
            f"{'were' if many else 'was'} removed, no cited passage supporting {'them' if many else 'it'}."
        )
    elif result.checks:
        notice = "Checked against the sources: a citation that did not support its sentence was removed."
    return Answer(
        question=request.question,
        standalone_question=request.standalone,
        answer="\n\n".join(" ".join(b) for _, b in sorted(blocks.items())),
        abstained=False,
        citations=citations,
        confidence=extractive.confidence,
        mode="generative",
        notice=notice,
        checks=result.checks,
        timings_ms=timings,
    )


def _with_markers(sentence: str, numbers: list[int]) -> str:
    """'States should increase ODA.' + [1, 2] → 'States should increase ODA [1][2].'"""
    marks = "".join(f"[{n}]" for n in numbers)
    body, end = (sentence[:-1], sentence[-1]) if sentence[-1:] in ".!?" else (sentence, "")
    return f"{body.rstrip()} {marks}{end}"
