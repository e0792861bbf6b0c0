"""Scoring one system's replies: hit@k and MRR of the cited paragraphs (llama-index's ``HitRate`` and
``MRR``), quote coverage, answer keys, abstention, cited length and latency, per kind and per split."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field

from llama_index.core.evaluation.retrieval.metrics import MRR, HitRate

from assistant.evaluation.intervals import auc, bootstrap
from assistant.evaluation.questions import Question


@dataclass
class Outcome:
    """What one system did with one question."""

    id: str
    kind: str
    answerable: bool
    abstained: bool
    hit1: float
    hit3: float
    mrr: float
    quote_covers: bool
    key_share: float
    docs_cited: float | None  # share of gold_docs among the cited documents (None without gold_docs)
    cited_words: float
    latency_ms: float
    split: str = ""
    confidence: float | None = None
    breakdown: dict[str, float] = field(default_factory=dict)
    handled: bool | None = None  # an adversarial item behaved as its ``expect`` says (None: no expectation)
    mode: str = ""  # the answer's mode (extractive, generative, fallback); "" for the baseline
    refused: bool | None = None  # tier "not addressed": no passage shown (None: as ``abstained``)

    @property
    def shows_nothing(self) -> bool:
        return self.abstained if self.refused is None else self.refused

    @property
    def scored_for_abstention(self) -> bool:
        """An unanswerable question that is not an adversarial item (those are scored by ``handled``)."""
        return not self.answerable and self.handled is None


@dataclass
class Reply:
    """A system's reply reduced to what is scored: its cited texts in order, its answer, abstention."""

    ids: list[str]
    texts: list[str]
    answer: str
    abstained: bool
    first_quote: str = ""
    confidence: float | None = None
    breakdown: dict[str, float] = field(default_factory=dict)  # how the first citation was scored
    error: str = ""  # the message when the question was refused as invalid (empty, too long)
    mode: str = ""
    refused: bool | None = None  # tier "not addressed" (None: a system without tiers)


@dataclass
class Summary:
    n: int = 0
    hit1: float | None = None
    hit3: float | None = None
    mrr: float | None = None
    quote_covers: float | None = None
    key_share: float | None = None
    docs_cited: float | None = None
    abstain_unanswerable: float | None = None
    answered_answerable: float | None = None
    shown_answerable: float | None = None
    top_precision: float | None = None
    handled: float | None = None
    auc: float | None = None
    cited_words: float = 0.0
    latency_p50_ms: float = 0.0
    latency_p95_ms: float = 0.0
    generated: float | None = None  # of the answered questions, the share shown as the model wrote them
    fell_back: float | None = None  # … and the share where the model's answer fell back to extractive
    by_kind: dict[str, dict] = field(default_factory=dict)
    ci: dict[str, tuple[float, float] | None] = field(default_factory=dict)  # bootstrap 95 % intervals


def _covers(quote: str, gold: Iterable[str]) -> bool:
    """The quote contains a gold passage, or most of its words (quotes may be a clause of it)."""
    q_words = set(quote.lower().split())
    for g in gold:
        if g in quote:
            return True
        g_words = g.lower().split()
        if g_words and sum(w in q_words for w in g_words) / len(g_words) >= 0.6:
            return True
    return False


def score(q: Question, got: Reply, relevant: set[str], latency_ms: float) -> Outcome:
    expected = list(relevant) or ["-"]  # llama-index metrics need a non-empty expectation

    def metric(m, k: int | None = None) -> float:
        ids = got.ids[:k] if k else got.ids
        return float(m.compute(expected_ids=expected, retrieved_ids=ids).score) if ids and relevant else 0.0

    answer = got.answer.lower()
    keys = [k for k in q.answer_keys if k]
    return Outcome(
        id=q.id,
        kind=q.kind,
        answerable=q.answerable,
        abstained=got.abstained,
        hit1=metric(HitRate(), 1),
        hit3=metric(HitRate(), 3),
        mrr=metric(MRR()),
        quote_covers=bool(q.gold) and _covers(got.first_quote, q.gold),
        key_share=sum(k.lower() in answer for k in keys) / len(keys) if keys else 0.0,
        docs_cited=(
            sum(any(i.split("#")[0] == d for i in got.ids) for d in q.gold_docs) / len(q.gold_docs)
            if q.gold_docs
            else None
        ),
        cited_words=statistics.mean(len(t.split()) for t in got.texts) if got.texts else 0.0,
        latency_ms=latency_ms,
        split=q.split,
        confidence=got.confidence,
        breakdown=got.breakdown,
        handled=handled(q, got),
        mode=got.mode,
        refused=got.refused,
    )


def handled(q: Question, got: Reply) -> bool | None:
    """Whether an adversarial item behaved as ``expect`` says (the development set's rules)."""
    if not q.expect:
        return None
    if q.expect == "error":
        return bool(got.error) and "Traceback" not in got.error
    if got.error:
        return False
    if q.expect == "abstain":
        return got.abstained
    if q.expect == "answer":
        return not got.abstained and all(k.lower() in got.answer.lower() for k in q.answer_keys)
    if q.expect.startswith("not:"):
        return got.abstained or q.expect[4:].lower() not in got.answer.lower()
    return False


def by_split(outcomes: list[Outcome]) -> dict[str, dict]:
    """Figures per split ("tune", "test") when the question file has several: parameters are chosen
    on one part, and the other shows how well that choice holds on questions it was not tuned on."""
    splits = sorted({o.split for o in outcomes if o.split}, key=lambda name: (name not in ("tune", "a"), name))
    if len(splits) < 2:
        return {}
    return {name: asdict(summarize([o for o in outcomes if o.split == name])) for name in splits}


# Figures of a block of outcomes, each a function of the rows (so that it can be bootstrapped).
def _mean(xs: list[float]) -> float | None:
    return round(statistics.mean(xs), 3) if xs else None


FIGURES: dict[str, Callable[[Sequence[Outcome]], float | None]] = {
    "hit1": lambda rows: _mean([o.hit1 for o in rows if o.answerable]),
    "hit3": lambda rows: _mean([o.hit3 for o in rows if o.answerable]),
    "mrr": lambda rows: _mean([o.mrr for o in rows if o.answerable]),
    "quote_covers": lambda rows: _mean([float(o.quote_covers) for o in rows if o.answerable]),
    "key_share": lambda rows: _mean([o.key_share for o in rows if o.answerable]),
    "docs_cited": lambda rows: _mean([o.docs_cited for o in rows if o.answerable and o.docs_cited is not None]),
    "abstain_unanswerable": lambda rows: _mean([float(o.abstained) for o in rows if o.scored_for_abstention]),
    "answered_answerable": lambda rows: _mean([float(not o.abstained) for o in rows if o.answerable]),
    # answerable questions shown passages in any tier ("possibly relevant" included): not refused
    "shown_answerable": lambda rows: _mean([float(not o.shows_nothing) for o in rows if o.answerable]),
    # of the answers given in the top tier, the share whose first citation holds the answer
    "top_precision": lambda rows: _mean(
        [o.hit1 if o.answerable else 0.0 for o in rows if not o.abstained and o.handled is None]
    ),
    "handled": lambda rows: _mean([float(o.handled) for o in rows if o.handled is not None]),
    "auc": lambda rows: auc(
        [o.confidence or 0.0 for o in rows if o.answerable],
        [o.confidence or 0.0 for o in rows if o.scored_for_abstention],
    ),
}
WITH_INTERVALS = ("hit1", "hit3", "quote_covers", "abstain_unanswerable", "answered_answerable", "handled", "auc")


def summarize(outcomes: list[Outcome], intervals: bool = True) -> Summary:
    def block(rows: list[Outcome]) -> dict:
        answered = [o for o in rows if not o.abstained and o.mode]  # the baseline has no modes
        latencies = sorted(o.latency_ms for o in rows)
        return {
            "n": len(rows),
            **{name: figure(rows) for name, figure in FIGURES.items()},
            "cited_words": round(statistics.mean(o.cited_words for o in rows), 1) if rows else 0.0,
            "latency_p50_ms": round(latencies[len(latencies) // 2], 1) if latencies else 0.0,
            "latency_p95_ms": round(latencies[max(0, int(0.95 * len(latencies)) - 1)], 1) if latencies else 0.0,
            "generated": _mean([float(o.mode == "generative") for o in answered]),
            "fell_back": _mean([float(o.mode == "fallback") for o in answered]),
        }

    summary = Summary(**block(outcomes))
    for kind in sorted({o.kind for o in outcomes}):
        summary.by_kind[kind] = block([o for o in outcomes if o.kind == kind])
        if intervals:
            rows = [o for o in outcomes if o.kind == kind]
            summary.by_kind[kind]["ci"] = {k: bootstrap(rows, FIGURES[k]) for k in WITH_INTERVALS}
    if intervals:
        summary.ci = {k: bootstrap(outcomes, FIGURES[k]) for k in WITH_INTERVALS}
    return summary
