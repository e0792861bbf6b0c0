"""Scoring one system's replies: hit@k and MRR of the cited paragraphs (llama-index's ``HitRate`` and
``MRR``), quote coverage, answer keys, abstention, cited length and latency, per kind and per split."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from llama_index.core.evaluation.retrieval.metrics import MRR, HitRate

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
    mode: str = ""  # the answer's mode (extractive, generative, fallback); "" for the baseline


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
    mode: str = ""


@dataclass
class Summary:
    n: int = 0
    hit1: float = 0.0
    hit3: float = 0.0
    mrr: float = 0.0
    quote_covers: float = 0.0
    key_share: float = 0.0
    docs_cited: float | None = None
    abstain_unanswerable: float | None = None
    answered_answerable: float | None = None
    cited_words: float = 0.0
    latency_p50_ms: float = 0.0
    latency_p95_ms: float = 0.0
    generated: float | None = None  # of the answered questions, the share shown as the model wrote them
    fell_back: float | None = None  # … and the share where the model's answer fell back to extractive
    by_kind: dict[str, dict] = field(default_factory=dict)


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
        mode=got.mode,
    )


def by_split(outcomes: list[Outcome]) -> dict[str, dict]:
    """Figures per split ("tune", "test") when the question file has several: parameters are chosen
    on one part, and the other shows how well that choice holds on questions it was not tuned on."""
    splits = sorted({o.split for o in outcomes if o.split}, key=lambda name: (name != "tune", name))
    if len(splits) < 2:
        return {}
    return {name: asdict(summarize([o for o in outcomes if o.split == name])) for name in splits}


def summarize(outcomes: list[Outcome]) -> Summary:
    def block(rows: list[Outcome]) -> dict:
        answerable = [o for o in rows if o.answerable]
        unanswerable = [o for o in rows if not o.answerable]
        answered = [o for o in rows if not o.abstained and o.mode]  # the baseline has no modes
        latencies = sorted(o.latency_ms for o in rows)
        mean = lambda xs: round(statistics.mean(xs), 3) if xs else 0.0  # noqa: E731
        return {
            "n": len(rows),
            "hit1": mean([o.hit1 for o in answerable]),
            "hit3": mean([o.hit3 for o in answerable]),
            "mrr": mean([o.mrr for o in answerable]),
            "quote_covers": mean([float(o.quote_covers) for o in answerable]),
            "key_share": mean([o.key_share for o in answerable]),
            "docs_cited": mean(docs)
            if (docs := [o.docs_cited for o in answerable if o.docs_cited is not None])
            else None,
            "abstain_unanswerable": mean([float(o.abstained) for o in unanswerable]) if unanswerable else None,
            "answered_answerable": mean([float(not o.abstained) for o in answerable]) if answerable else None,
            "cited_words": round(statistics.mean(o.cited_words for o in rows), 1) if rows else 0.0,
            "latency_p50_ms": round(latencies[len(latencies) // 2], 1) if latencies else 0.0,
            "latency_p95_ms": round(latencies[max(0, int(0.95 * len(latencies)) - 1)], 1) if latencies else 0.0,
            "generated": mean([float(o.mode == "generative") for o in answered]) if answered else None,
            "fell_back": mean([float(o.mode == "fallback") for o in answered]) if answered else None,
        }

    summary = Summary(**block(outcomes))
    for kind in sorted({o.kind for o in outcomes}):
        summary.by_kind[kind] = block([o for o in outcomes if o.kind == kind])
    return summary
