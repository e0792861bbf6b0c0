"""When to say "the communiqués do not address this": one named policy over the confidence signals.

confidence = σ(bias + Σ weight × signal): an estimate of the chance that the text answers, from
- ``best``: the best sentence's score (similarity + lexical coverage − penalties), and, with e5,
- ``e5_top``: e5's cosine of the best passage in scope, and
- ``e5_z``: how far that passage stands out from the others in scope (a query-performance
  predictor: an answerable question usually has one passage that stands out).
The weights are a logistic regression fitted on the tuning questions (README "How answers are
chosen"); without e5 a second set of weights over ``best`` alone applies. A question in a language
the documents are not written in is scored by e5 alone, and weighs ``e5_sentence``, the e5 cosine of
its best sentence (pipeline/crosslingual.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from assistant.settings import Settings


@dataclass(frozen=True)
class AbstentionPolicy:
    threshold: float
    weights: dict[str, float] = field(default_factory=dict)
    weights_minilm: dict[str, float] = field(default_factory=dict)
    weights_crosslingual: dict[str, float] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: Settings) -> AbstentionPolicy:
        return cls(
            settings.abstain_threshold,
            dict(settings.abstain_weights),
            dict(settings.abstain_weights_minilm),
            dict(settings.abstain_weights_crosslingual),
        )

    def confidence(self, signals: dict[str, float | None]) -> float:
        """σ of the weighted signals, with the first set of weights whose signals are all known."""
        for weights in (self.weights_crosslingual, self.weights, self.weights_minilm):
            named = [k for k in weights if k != "bias"]
            if named and all(signals.get(k) is not None for k in named):
                z = weights.get("bias", 0.0) + sum(weights[k] * float(signals[k]) for k in named)  # type: ignore[arg-type]
                return 1 / (1 + math.exp(-max(-50.0, min(50.0, z))))
        return 0.0

    def abstains(self, confidence: float, force: bool = False) -> bool:
        """``force``: the user pointed at the passages themselves ("paragraph 13"), so never abstain."""
        return confidence < self.threshold and not force
