"""How sure a figure is: bootstrap 95 % intervals over the questions, and the AUC of a confidence signal.

With 20–60 questions a kind, a figure moves by 0.05 when one question changes; the interval says how
much of a difference between two runs is noise.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


def bootstrap(
    rows: Sequence[T], figure: Callable[[Sequence[T]], float | None], draws: int = 1000, seed: int = 7
) -> tuple[float, float] | None:
    """95 % percentile interval of ``figure`` over resamples of ``rows`` (deterministic for a seed)."""
    if not rows or figure(rows) is None:
        return None
    rng = random.Random(seed)
    values = sorted(
        v for _ in range(draws) if (v := figure([rows[rng.randrange(len(rows))] for _ in rows])) is not None
    )
    if not values:
        return None
    return round(values[int(0.025 * (len(values) - 1))], 3), round(values[int(0.975 * (len(values) - 1))], 3)


def auc(positives: Sequence[float], negatives: Sequence[float]) -> float | None:
    """Chance that a random positive scores above a random negative (ties count half); None if a side is empty."""
    if not positives or not negatives:
        return None
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return round(wins / (len(positives) * len(negatives)), 3)
