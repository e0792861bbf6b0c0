"""Scored sentences → citations: one per run of adjacent chosen sentences, best-supported first."""

from __future__ import annotations

from dataclasses import dataclass, field

from llama_index.core.schema import NodeWithScore

from assistant.index.store import paragraph_text
from assistant.schema import Address, Citation, Sentence


@dataclass
class ScoredSentence:
    sentence: Sentence
    score: float
    breakdown: dict[str, float] = field(default_factory=dict)  # signal → contribution, for the eval


def cite(chosen: list[ScoredSentence], sentences: list[Sentence]) -> list[Citation]:
    """One citation per paragraph, quoting its chosen sentences (merged when adjacent), best first.

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
        picked = sorted(by_para[key], key=lambda s: s.sentence.start)
        text = paragraph_text(key, sentences)
        for group in _adjacent_groups(picked, sentences):
            start, end = group[0].sentence.start, group[-1].sentence.end
            top = max(group, key=lambda g: g.score)
            address = group[0].sentence.address
            citations.append(
                Citation.at(len(citations) + 1, address, text, text[start:end], start, top.score, top.breakdown)
            )
    return citations


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


def _adjacent_groups(picked: list[ScoredSentence], sentences: list[Sentence]) -> list[list[ScoredSentence]]:
    """Group chosen sentences of one paragraph that follow each other, so one quote covers them."""
    index = {(s.para_key, s.start): i for i, s in enumerate(sentences)}
    groups: list[list[ScoredSentence]] = []
    for s in picked:
        i = index[(s.sentence.para_key, s.sentence.start)]
        last = groups[-1][-1].sentence if groups else None
        if last is not None and index[(last.para_key, last.start)] == i - 1:
            groups[-1].append(s)
        else:
            groups.append([s])
    return groups
