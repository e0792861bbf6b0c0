"""When to say "the communiqués do not address this": one named policy over the answer's confidence."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.settings import Settings


@dataclass(frozen=True)
class AbstentionPolicy:
    """Abstain when confidence = best sentence score + weight × (distinctiveness − center) < threshold.

    The best sentence says how well the text answers; distinctiveness says whether one passage
    stands out from the other candidates, as it does for a question the corpus really answers.
    """

    threshold: float
    weight: float
    center: float

    @classmethod
    def from_settings(cls, settings: Settings) -> AbstentionPolicy:
        return cls(settings.abstain_threshold, settings.distinctiveness_weight, settings.distinctiveness_center)

    def confidence(self, best_score: float | None, distinctiveness: float | None) -> float:
        if best_score is None:
            return 0.0
        if distinctiveness is None:
            return best_score
        return best_score + self.weight * (distinctiveness - self.center)

    def abstains(self, confidence: float, force: bool = False) -> bool:
        """``force``: the user pointed at the passages themselves ("paragraph 13"), so never abstain."""
        return confidence < self.threshold and not force
