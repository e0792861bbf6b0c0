#!/usr/bin/env python3
"""Does a fitted sentence choice beat the hand-set one? (issue 15, item 5)

    .venv/bin/python bench/eval_dump.py --tag=-sent      # keeps every candidate sentence's signals
    .venv/bin/python bench/sentence_choice.py --tag=-sent

A pairwise logistic model (each sentence of the gold passage against the other sentences of the same
question) over the scorer's own signals and where each passage stood in the retrieval, cross-validated
on split a with whole documents held out (GroupKFold), then fitted on all of split a and scored on
split b. It prints hit@1 of the top sentence's passage for the hand-set scorer and the fitted one, the
fitted weights, and each feature left out in turn.

Measured 2026-12-07 (rome + multi + dev10): hand-set 0.730 (a) / 0.723 (b); fitted 0.742-0.747 held
out on a, 0.706-0.712 on b. The fitted combination does not beat the hand-set one on documents it did
not see, so the scorer keeps its weights.
"""

from __future__ import annotations

import argparse
import collections
import json
import math
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
sys.path.insert(0, str(EVAL))
sys.path.insert(0, str(ROOT))
from score import norm  # noqa: E402  (the scorer's own normalisation)

from assistant.settings import Settings  # noqa: E402

QUESTIONS = {"rome": EVAL / "rome.jsonl", "multi": EVAL / "multi.jsonl", "dev10": EVAL / "dev10" / "questions.jsonl"}
FEATURES = [
    "sim", "lex", "type_ok", "name", "enum", "rank0", "rank", "fused",
    "first", "index", "opening", "loglen", "p_maxlex", "p_maxsim", "p_nsent",
]  # fmt: skip


def features(items: list[dict], settings: Settings) -> np.ndarray:
    """One row a candidate sentence: its signals (unweighted) and its passage's place and strength."""
    by_passage = collections.defaultdict(list)
    for item in items:
        by_passage[item["para_key"]].append(item)
    rows = []
    for item in items:
        parts, siblings = item["parts"], by_passage[item["para_key"]]
        f = {
            "sim": parts.get("similarity", 0.0),
            "lex": parts.get("lexical", 0.0) / settings.lexical_weight,
            "type_ok": float(parts.get("answer_type", 0.0) == 0),
            "name": parts.get("name", 0.0) / (settings.name_weight or 1.0),
            "enum": float(parts.get("enumeration", 0.0) != 0),
            "rank0": float(item["rank"] == 0),
            "rank": item["rank"],
            "fused": item["fused"],
            "first": float(item["index"] == 0),
            "index": min(item["index"], 5),
            "opening": float((item["paragraph"] or 0) <= 2),
            "loglen": math.log(1 + len(item["text"].split())),
            "p_maxlex": max(s["parts"].get("lexical", 0.0) for s in siblings) / settings.lexical_weight,
            "p_maxsim": max(s["parts"].get("similarity", 0.0) for s in siblings),
            "p_nsent": math.log(len(siblings)),
        }
        rows.append([f[k] for k in FEATURES])
    return np.array(rows)


def load(tag: str, settings: Settings) -> list[dict]:
    data = []
    for name, path in QUESTIONS.items():
        answers = {}
        with (ROOT / "artifacts" / "eval" / f"{name}{tag}.jsonl").open(encoding="utf-8") as f:
            for line in f:
                record = json.loads(line)
                answers[record["id"]] = record
        with path.open(encoding="utf-8") as f:
            for line in f:
                q = json.loads(line)
                a = answers.get(q["id"])
                if not a or not q.get("gold") or not a.get("scored"):
                    continue
                items = a["scored"]
                doc = q.get("doc") or ""
                doc = doc[0] if isinstance(doc, list) and doc else doc
                data.append(
                    {
                        "split": q["split"],
                        "group": f"{name}:{doc}",
                        "x": features(items, settings),
                        "y": np.array([any(norm(g) in norm(it["passage"]) for g in q["gold"]) for it in items]),
                        "current": np.array([sum(it["parts"].values()) for it in items]),
                    }
                )
    return data


def pairs(rows: list[dict], hardest: int = 30) -> tuple[np.ndarray, np.ndarray]:
    """Gold-passage sentence minus another sentence (label 1) and the reverse (label 0)."""
    diffs, labels = [], []
    for r in rows:
        pos, neg = np.where(r["y"])[0], np.where(~r["y"])[0]
        neg = neg[np.argsort(-r["current"][neg])][:hardest]  # the ones the scorer confuses first
        for i in pos[:3]:
            for j in neg:
                diffs += [r["x"][i] - r["x"][j], r["x"][j] - r["x"][i]]
                labels += [1, 0]
    return np.array(diffs), np.array(labels)


def fit(rows: list[dict], keep: list[int], c: float = 1.0) -> np.ndarray:
    x, y = pairs(rows)
    return LogisticRegression(C=c, fit_intercept=False, max_iter=5000).fit(x[:, keep], y).coef_[0]


def hit(row: dict, keep: list[int] | None = None, w: np.ndarray | None = None) -> bool:
    scores = row["current"] if w is None else row["x"][:, keep] @ w
    return bool(row["y"][int(np.argmax(scores))])


def held_out(rows: list[dict], keep: list[int], c: float = 1.0) -> float:
    hits = np.zeros(len(rows), bool)
    for train, test in GroupKFold(n_splits=5).split(rows, groups=[r["group"] for r in rows]):
        w = fit([rows[i] for i in train], keep, c)
        for i in test:
            hits[i] = hit(rows[i], keep, w)
    return float(hits.mean())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tag", default="-sent", help="suffix of bench/eval_dump.py's answer files")
    args = parser.parse_args()
    data = load(args.tag, Settings())
    a = [r for r in data if r["split"] == "a"]
    b = [r for r in data if r["split"] == "b"]
    every = list(range(len(FEATURES)))
    print(f"questions: a {len(a)}, b {len(b)}")
    print(f"hand-set scorer   a {np.mean([hit(r) for r in a]):.3f}  b {np.mean([hit(r) for r in b]):.3f}")
    for c in (0.1, 1.0):
        w = fit(a, every, c)
        print(f"fitted (C={c})    a {held_out(a, every, c):.3f}  b {np.mean([hit(r, every, w) for r in b]):.3f}")
    w = fit(a, every)
    print("weights", {f: round(float(v), 3) for f, v in zip(FEATURES, w, strict=True)})
    print("left out        a (held out)  b")
    for drop in FEATURES:
        keep = [i for i, f in enumerate(FEATURES) if f != drop]
        wk = fit(a, keep)
        print(f"  {drop:12} {held_out(a, keep):.3f}  {np.mean([hit(r, keep, wk) for r in b]):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
