"""The checker's support threshold, calibrated on sentence pairs: a generated sentence and the passage it cites.

``tests/data/support_pairs.jsonl`` holds one pair a line: ``claim`` (a sentence a model might write),
``cited`` (a phrase found in exactly one paragraph of the corpus: the passage it cites),
``supported`` (whether that passage supports the claim), ``kind`` (paraphrase, summary, quote, framed;
wrong_passage, invented_number, invented_name, contradiction, overreach, injection_echo, …) and
``split`` (tune/test). A pair is accepted when the support score reaches the threshold and every
fact of the claim is in the passage, exactly as the checker decides for one cited sentence.
Precision: of the accepted pairs, the share that are supported; recall: of the supported pairs, the
share accepted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from assistant.index.store import paragraph_text
from assistant.pipeline.assistant import Assistant
from assistant.pipeline.llm.checker import AnswerChecker, SupportScorer
from assistant.pipeline.llm.prompt import Passage, instruction_like


@dataclass(frozen=True)
class Pair:
    id: str
    claim: str
    cited: str
    supported: bool
    kind: str
    split: str = ""


@dataclass(frozen=True)
class ScoredPair:
    pair: Pair
    score: float  # support of the claim by its cited passage
    facts_ok: bool  # every number, name, date and quoted phrase is in the passage
    instruction: bool  # the claim repeats an instruction

    def accepted(self, threshold: float) -> bool:
        return self.score >= threshold and self.facts_ok and not self.instruction


def load_pairs(path: Path) -> list[Pair]:
    return [Pair(**json.loads(line)) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def cited_passage(assistant: Assistant, cited: str) -> Passage:
    """The indexed paragraph containing ``cited`` (exactly one must), as a numbered passage [1]."""
    found = [
        (doc["doc_id"], p["paragraph"])
        for doc in assistant.documents()
        for p in assistant.paragraphs(doc["doc_id"])
        if cited in p["text"]
    ]
    if len(found) != 1:
        raise ValueError(f"{cited!r} is in {len(found)} paragraphs; a pair must name exactly one")
    doc_id, number = found[0]
    sentences = assistant.store.sentences([f"{doc_id}#p{number}"])
    text = paragraph_text(sentences[0].para_key, sentences)
    withheld = frozenset(i for i, s in enumerate(sentences) if instruction_like(s.text))
    return Passage(1, sentences[0].address, text, tuple(sentences), withheld)


def score_pairs(assistant: Assistant, checker: AnswerChecker, pairs: list[Pair], weight: float) -> list[ScoredPair]:
    scorer = SupportScorer(checker.scorer.terms, weight)
    embeddings = checker.embed([p.claim for p in pairs])
    passages = {p.cited: cited_passage(assistant, p.cited) for p in pairs}
    out = []
    for pair, embedding in zip(pairs, embeddings, strict=True):
        passage = passages[pair.cited]
        support = scorer.score(pair.claim, embedding, passage)
        facts_ok = not checker.missing_facts(pair.claim, [passage])
        out.append(ScoredPair(pair, support.score, facts_ok, instruction_like(pair.claim)))
    return out


def rates(scored: list[ScoredPair], threshold: float) -> dict[str, float]:
    """Precision, recall and F1 of accepting pairs at ``threshold`` (a supported pair is a positive)."""
    accepted = [s for s in scored if s.accepted(threshold)]
    positives = [s for s in scored if s.pair.supported]
    true = sum(s.pair.supported for s in accepted)
    precision = true / len(accepted) if accepted else 1.0
    recall = true / len(positives) if positives else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "threshold": round(threshold, 3),
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "f1": round(f1, 3),
    }


def curve(scored: list[ScoredPair], thresholds: list[float]) -> list[dict[str, float]]:
    return [rates(scored, t) for t in thresholds]


def let_through(scored: list[ScoredPair], threshold: float) -> dict[str, tuple[int, int]]:
    """Per kind of unsupported pair: (accepted, total) — what would reach a reader as supported."""
    kinds: dict[str, list[bool]] = {}
    for s in scored:
        if not s.pair.supported:
            kinds.setdefault(s.pair.kind, []).append(s.accepted(threshold))
    return {k: (sum(v), len(v)) for k, v in sorted(kinds.items())}
