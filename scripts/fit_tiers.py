#!/usr/bin/env python3
"""Refit the tier model (assistant/pipeline/fitted/tiers.json) on split a of the development sets.

    .venv/bin/python bench/eval_dump.py            # answers + signals of every question, all splits
    .venv/bin/python scripts/fit_tiers.py [--write] [--features best,e5_z,...] [--min-precision 0.9]

The model is a logistic regression predicting "the first citation holds the answer" (an unanswerable
question's first citation never does) from the named signals of pipeline/answer/extractive.py and
pipeline/answer/evidence.py; its probability is the answer's ``confidence``. Cross-validation holds whole
documents out (users bring documents the model never saw): the answered-tier threshold is the lowest
one whose held-out top-tier precision on split a reaches ``--min-precision``. Split b is only scored.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
sys.path.insert(0, str(EVAL))
from score import norm  # noqa: E402  (the scorer's own normalisation, so labels are its hit@1)

QUESTIONS = {"rome": EVAL / "rome.jsonl", "multi": EVAL / "multi.jsonl", "dev10": EVAL / "dev10" / "questions.jsonl"}
OUT = ROOT / "assistant" / "pipeline" / "fitted" / "tiers.json"
FEATURES = ["e5_z", "passage_coverage", "rarest_missing", "best_rank", "fresh_type"]


def rows(answers_dir: Path, features: list[str], tag: str = "") -> list[dict]:
    out = []
    for name, path in QUESTIONS.items():
        answers = {}
        for line in (answers_dir / f"{name}{tag}.jsonl").read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            answers[record["id"]] = record
        for line in path.read_text(encoding="utf-8").splitlines():
            q = json.loads(line)
            a = answers.get(q["id"])
            signals = (a or {}).get("signals") or {}
            if not a or any(signals.get(f) is None for f in features):
                continue  # routed to a view, out of scope or cross-lingual: not the tier model's
            texts = [c["text"] for c in a.get("citations") or a.get("related") or []]
            gold = q.get("gold") or []
            label = bool(texts) and any(norm(g) in norm(texts[0]) for g in gold)
            doc = q.get("doc") or ""
            group = f"{name}:{(doc[0] if isinstance(doc, list) and doc else doc) or 'none'}"
            out.append(
                {
                    "set": name,
                    "id": q["id"],
                    "kind": q["kind"],
                    "split": q["split"],
                    "group": group,
                    "x": [float(signals[f]) for f in features],
                    "y": int(label),
                    "answerable": bool(gold),
                }
            )
    return out


C = 0.3  # L2 strength on standardised features (--C)


def fit(x: np.ndarray, y: np.ndarray, c: float = C) -> Pipeline:
    return make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=2000)).fit(x, y)


def raw_weights(model: Pipeline, features: list[str]) -> dict[str, float]:
    """The fitted weights on the signals as they are measured (the scaling folded in)."""
    scaler, logistic = model[0], model[-1]
    coef = logistic.coef_[0] / scaler.scale_
    bias = float(logistic.intercept_[0] - np.sum(coef * scaler.mean_))
    return {"bias": round(bias, 4)} | {f: round(float(w), 4) for f, w in zip(features, coef, strict=True)}


def held_out(train: list[dict], c: float = C, folds: int = 5) -> np.ndarray:
    """Each split-a row's probability from a model fitted without its document."""
    x = np.array([r["x"] for r in train])
    y = np.array([r["y"] for r in train])
    groups = [r["group"] for r in train]
    p = np.zeros(len(train))
    for fit_rows, test_rows in GroupKFold(n_splits=folds).split(x, y, groups):
        p[test_rows] = fit(x[fit_rows], y[fit_rows], c).predict_proba(x[test_rows])[:, 1]
    return p


def precision_coverage(p: np.ndarray, y: np.ndarray, answerable: np.ndarray, t: float) -> tuple[float, float]:
    top = p >= t
    precision = float(y[top].mean()) if top.any() else 1.0
    coverage = float(top[answerable].mean()) if answerable.any() else 0.0
    return precision, coverage


def ablation(a: list[dict], features: list[str], threshold: float, c: float) -> None:
    """Held-out AUC, top-tier precision and coverage, and unanswerables answered, without each feature."""
    y = np.array([r["y"] for r in a])
    ans = np.array([r["answerable"] for r in a])
    print("left out           AUC  precision  coverage  unanswerable answered")
    for drop in [None, *features]:
        keep = [i for i, f in enumerate(features) if f != drop]
        rows_ = [{**r, "x": [r["x"][i] for i in keep]} for r in a]
        p = held_out(rows_, c)
        prec, cov = precision_coverage(p, y, ans, threshold)
        wrong = float((p[~ans] >= threshold).mean())
        print(f"{drop or '(none)':16} {roc_auc_score(y, p):.3f} {prec:10.3f} {cov:9.3f} {wrong:12.3f}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=Path, default=ROOT / "artifacts" / "eval")
    parser.add_argument("--features", default=",".join(FEATURES))
    parser.add_argument(
        "--cost", type=float, default=1.5, help="a wrong answer in the top tier costs this many missed ones"
    )
    parser.add_argument("--ablation", action="store_true", help="each feature left out in turn (split a, held out)")
    parser.add_argument("--tag", default="", help="suffix of the answer files (bench/eval_dump.py --tag)")
    parser.add_argument("--C", type=float, default=C, help="inverse L2 strength")
    parser.add_argument("--write", action="store_true", help=f"write {OUT.relative_to(ROOT)}")
    args = parser.parse_args()
    features = args.features.split(",")

    data = rows(args.answers, features, args.tag)
    a = [r for r in data if r["split"] == "a"]
    b = [r for r in data if r["split"] == "b"]
    p_a = held_out(a, args.C)
    y_a = np.array([r["y"] for r in a])
    ans_a = np.array([r["answerable"] for r in a])
    print(f"split a: {len(a)} rows, held-out AUC {roc_auc_score(y_a, p_a):.3f}")
    # With a calibrated probability p that the first citation is right, answering costs (1 − p) × cost
    # and refusing costs p: answer when p ≥ cost / (1 + cost).
    threshold = args.cost / (1 + args.cost)
    if args.ablation:
        ablation(a, features, threshold, args.C)
    model = fit(np.array([r["x"] for r in a]), y_a, args.C)
    x_b = np.array([r["x"] for r in b])
    y_b = np.array([r["y"] for r in b])
    p_b = model.predict_proba(x_b)[:, 1]
    ans_b = np.array([r["answerable"] for r in b])
    print(f"threshold {threshold:.2f} (a wrong answer costs {args.cost:g} refusals)")
    print("split   precision  coverage  unanswerable answered  AUC")
    for name, p, y, ans in (("a (cv)", p_a, y_a, ans_a), ("b", p_b, y_b, ans_b)):
        prec, cov = precision_coverage(p, y, ans, threshold)
        wrong = float((p[~ans] >= threshold).mean()) if (~ans).any() else 0.0
        print(f"{name:7} {prec:9.3f} {cov:9.3f} {wrong:22.3f}  {roc_auc_score(y, p):.3f}")
    print("calibration (split b): bin  n  mean p  share right")
    for lo in np.arange(0, 1, 0.2):
        inside = (p_b >= lo) & (p_b < lo + 0.2)
        if inside.any():
            print(f"  {lo:.1f}-{lo + 0.2:.1f} {inside.sum():4d} {p_b[inside].mean():.2f} {y_b[inside].mean():.2f}")
    weights = raw_weights(model, features)
    print("weights", weights)
    if args.write:
        OUT.parent.mkdir(parents=True, exist_ok=True)
        fitted = {
            "about": f"Logistic model of 'the first citation holds the answer', fitted by scripts/fit_tiers.py on "
            "split a of rome, multi and dev10 (cross-validated with documents held out); "
            f"answered from p >= cost/(1+cost), a wrong top-tier answer costing {args.cost:g} refusals.",
            "weights": weights,
            "answer_threshold": round(float(threshold), 2),
            "rows": len(a),
        }
        OUT.write_text(json.dumps(fitted, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
