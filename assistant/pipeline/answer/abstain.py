"""The answer's tier (answered / possibly relevant / not addressed): one policy over the named signals.

confidence = σ(bias + Σ weight × signal): the estimated chance that the first citation holds the
answer. The signals (pipeline/answer/extractive.py, pipeline/answer/evidence.py) are e5's cosine of the best passage
(``e5_top``) and how far it stands out (``e5_z``), the passage's IDF-weighted coverage of the
question's words, the most specific question word it lacks, the fused rank of the passage holding
the best sentence, and whether the asked kind of fact is there. The weights are a logistic regression
(assistant/pipeline/fitted/tiers.json) fitted by scripts/fit_tiers.py on split a of the development
sets with documents held out; the threshold is where a wrong top-tier answer costs more than a
refusal. Without e5 an earlier fit over ``best`` alone applies. A question in a language
the documents are not written in is scored by e5 alone, and weighs ``e5_sentence``, the e5 cosine of
its best sentence (pipeline/answer/crosslingual.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

from assistant.settings import Settings

Tier = Literal["answered", "possibly_relevant", "not_addressed"]


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

    def tier(self, confidence: float, force: bool = False, lacks_specific: bool = False) -> Tier:
        """ "not addressed" when the question names something the corpus never mentions (a meeting, a
        number, a name it does not have), whatever the passages' resemblance; else answered at or above
        ``threshold`` and "possibly relevant" (the closest passages, labelled so) below it. A user who
        pointed at the passages themselves is always answered from them."""
        if force:
            return "answered"
        if lacks_specific:
            return "not_addressed"
        return "possibly_relevant" if self.abstains(confidence) else "answered"
