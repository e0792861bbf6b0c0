"""Scored sentences → citations: one per quote, best-supported first.

Scoring works on quotable units (sentences, long ones cut at clause boundaries, see
``ingest/chunking.py``); a quote is what a reader can paste: the whole sentence when it is short
enough, else the answering clause with enough of its sentence around it to read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from llama_index.core.schema import NodeWithScore

from assistant.index.store import paragraph_text
from assistant.schema import Address, Citation, Sentence

# A unit ending like this ends its sentence; any other unit continues into the next one.
_SENTENCE_END = re.compile(r"[.!?][\"”’)\]]*$")


@dataclass
class ScoredSentence:
    sentence: Sentence
    score: float
    breakdown: dict[str, float] = field(default_factory=dict)  # signal → contribution, for the eval


def cite(chosen: list[ScoredSentence], sentences: list[Sentence], max_words: int = 70) -> list[Citation]:
    """One citation per quote (chosen units of one sentence share it), best-supported first.

    Best-supported first, because ``[1]`` is the passage a reader checks; one document's passages
    stay together.
    """
    by_para: dict[str, list[ScoredSentence]] = {}
    for s in chosen:
        by_para.setdefault(s.sentence.para_key, []).append(s)
    best = {k: max(s.score for s in group) for k, group in by_para.items()}
    doc_of = {k: group[0].sentence.address.doc_id for k, group in by_para.items()}
    doc_best: dict[str, float] = {}
    for k, b in best.items():
        doc_best[doc_of[k]] = max(b, doc_best.get(doc_of[k], b))
    order = sorted(by_para, key=lambda k: (-doc_best[doc_of[k]], -best[k]))
    citations: list[Citation] = []
    for key in order:
        units = sorted((s for s in sentences if s.para_key == key), key=lambda s: s.start)
        text = paragraph_text(key, sentences)
        position = {u.start: i for i, u in enumerate(units)}
        spans = [(quote_span(units, position[s.sentence.start], max_words), s) for s in by_para[key]]
        for (first, last), group in _merged(spans):
            start, end = units[first].start, units[last].end
            top = max(group, key=lambda g: g.score)
            address = top.sentence.address
            citations.append(
                Citation.at(len(citations) + 1, address, text, text[start:end], start, top.score, top.breakdown)
            )
    return citations


def quote_span(units: list[Sentence], i: int, max_words: int) -> tuple[int, int]:
    """Indices (first, last) of the units to quote for unit ``i``.

    Its whole sentence when that has at most ``max_words`` words; otherwise unit ``i`` grown by its
    neighbours within the sentence, preceding context first, while it stays under ``max_words``. A
    unit ending with ":" ("… under the theme:") always takes the one that follows.
    """
    first = i
    while first > 0 and not _SENTENCE_END.search(units[first - 1].text):
        first -= 1
    last = i
    while last < len(units) - 1 and not _SENTENCE_END.search(units[last].text):
        last += 1

    def words(a: int, b: int) -> int:
        return sum(len(u.text.split()) for u in units[a : b + 1])

    if words(first, last) <= max_words:
        return first, last
    lo = hi = i
    if units[hi].text.rstrip().endswith(":") and hi < last:
        hi += 1
    while True:
        if lo > first and words(lo - 1, hi) <= max_words:
            lo -= 1
        elif hi < last and words(lo, hi + 1) <= max_words:
            hi += 1
        else:
            return lo, hi


def _merged(
    spans: list[tuple[tuple[int, int], ScoredSentence]],
) -> list[tuple[tuple[int, int], list[ScoredSentence]]]:
    """Quotes of one paragraph that overlap or touch become one, in document order."""
    out: list[tuple[tuple[int, int], list[ScoredSentence]]] = []
    for (a, b), s in sorted(spans, key=lambda x: x[0]):
        if out and a <= out[-1][0][1] + 1:
            (pa, pb), group = out[-1]
            out[-1] = ((pa, max(pb, b)), [*group, s])
        else:
            out.append(((a, b), [s]))
    return out


def related(passages: list[NodeWithScore], sentences: list[Sentence], scored: list[ScoredSentence]) -> list[Citation]:
    """The best sentence of each of the top three passages: shown when abstaining, never as support."""
    best_by_para: dict[str, ScoredSentence] = {}
    for s in scored:
        key = s.sentence.para_key
        if key not in best_by_para or s.score > best_by_para[key].score:
            best_by_para[key] = s
    out = []
    for p in passages[:3]:
        address = Address.of(p.node)
        s = best_by_para.get(address.para_key)
        if s is not None:
            text = paragraph_text(address.para_key, sentences)
            out.append(
                Citation.at(len(out) + 1, address, text, s.sentence.text, s.sentence.start, s.score, s.breakdown)
            )
    return out
