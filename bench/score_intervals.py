"""Split-b figures of the development sets with bootstrap 95 % intervals (score.py's definitions).

    .venv/bin/python bench/eval_dump.py && .venv/bin/python bench/score_intervals.py [--split b]

score.py gives the point figures; this resamples questions (2,000 draws) for an interval on each, so
that a difference of one or two questions is not read as a finding.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
sys.path.insert(0, str(EVAL))
from score import norm  # noqa: E402  (the scorer's own normalisation, so labels are its hit@1)

SETS = {"rome": EVAL / "rome.jsonl", "multi": EVAL / "multi.jsonl", "dev10": EVAL / "dev10" / "questions.jsonl"}


def outcome(q: dict, r: dict) -> dict:
    texts = [c.get("text") or "" for c in r.get("citations") or []]
    gold = q.get("gold") or []
    top = not r.get("abstained") and r.get("tier", "answered") == "answered"
    hit1 = any(norm(g) in norm(t) for g in gold for t in texts[:1])
    out = {}
    if gold:
        out |= {"hit@1": hit1, "hit@3": any(norm(g) in norm(t) for g in gold for t in texts[:3]), "answered_ok": top}
        if top:
            out["top_precision"] = hit1
    if q["kind"] == "unanswerable":
        out |= {"abstain_ok": not top, "conf_wrong": top and (r.get("confidence") or 0) >= 0.8}
        if top:
            out["top_precision"] = False
    return out


def interval(values: list[bool], draws: int = 2000) -> tuple[float, float, float]:
    rng = random.Random(0)
    means = sorted(sum(rng.choices(values, k=len(values))) / len(values) for _ in range(draws))
    return sum(values) / len(values), means[int(0.025 * draws)], means[int(0.975 * draws) - 1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="b")
    parser.add_argument("--answers", type=Path, default=ROOT / "artifacts" / "eval")
    args = parser.parse_args()
    figures = ["top_precision", "answered_ok", "hit@1", "hit@3", "abstain_ok", "conf_wrong"]
    print(f"split {args.split} | " + " | ".join(figures))
    for name, path in SETS.items():
        answers = {json.loads(x)["id"]: json.loads(x) for x in (args.answers / f"{name}.jsonl").open(encoding="utf-8")}
        rows = [
            outcome(q, answers[q["id"]])
            for x in path.open(encoding="utf-8")
            if (q := json.loads(x))["split"] == args.split
        ]
        cells = []
        for f in figures:
            values = [r[f] for r in rows if f in r]
            mean, lo, hi = interval(values) if values else (float("nan"),) * 3
            cells.append(f"{mean:.2f} [{lo:.2f}–{hi:.2f}] n={len(values)}")
        print(f"{name} | " + " | ".join(cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
