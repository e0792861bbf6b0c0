"""Refit the source check's support model (assistant/pipeline/fitted/support.json) and report it.

.venv/bin/python bench/fit_support.py                    # fit, report, ablation; writes nothing
.venv/bin/python bench/fit_support.py --write            # also write the fitted weights
.venv/bin/python bench/fit_support.py --rows rows.json   # reuse features measured by an earlier run

Rows: every written pair of tests/data/support_pairs.jsonl and tests/data/fact_pairs.jsonl (a sentence,
the paragraph it cites, supported or not), and every labelled sentence of the real model replies in
tests/data/real_replies.jsonl against each passage it cites. Their features are those of
assistant/pipeline/llm/support.py, measured with the packaged MiniLM and e5 on the shipped corpus.

Split by paragraph, never by sentence: pairs citing an odd-numbered paragraph of the communiqué fit the
model, pairs citing an even-numbered one and all real replies are only reported. Rows whose facts fail
(a number, name, month or quote the passage does not state) or that echo an instruction are removed by
the checker's veto whatever their support, so they neither fit nor count against the model. The
threshold is the lowest probability at which no unsupported pair of the fitting half passes.

Prints, for the hand-set check before this model and for the model: faithful kept and unfaithful shown
on each part; held-out AUC and the same table with each feature left out (the ablation); the weights.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

import assistant  # noqa: F401  (sets the offline environment before any model library loads)

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchutil import ROOT, SHIPPED, loadavg

DATA = ROOT / "tests" / "data"
PAIRS = [DATA / "support_pairs.jsonl", DATA / "fact_pairs.jsonl"]
REPLIES = DATA / "real_replies.jsonl"
OUT = ROOT / "assistant" / "pipeline" / "fitted" / "support.json"
C = 1.0  # inverse L2 strength on standardised features (--C)
HAND_THRESHOLD = 0.5  # the hand-set check's overlap threshold before this model (WPS_CHECK_SUPPORT_THRESHOLD)


def measure(e5_on: bool = True) -> list[dict]:
    """One row per (sentence, cited passage): features, label, part, and what the veto says."""
    from assistant.evaluation.calibration import cited_passage, load_pairs
    from assistant.evaluation.replay import FAITHFUL, WRONG, given_passages, load_replies
    from assistant.index.e5 import E5Model
    from assistant.pipeline.factory import build_assistant
    from assistant.pipeline.llm import claims
    from assistant.pipeline.llm.checker import AnswerChecker
    from assistant.pipeline.llm.prompt import AnswerPrompt, instruction_like
    from assistant.pipeline.plan.acronyms import Acronyms
    from assistant.pipeline.terms import Terms
    from assistant.settings import Settings

    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="wps-fit-support-") as tmp:
        shutil.copytree(SHIPPED, Path(tmp) / "corpus")
        settings = Settings(corpus_dir=Path(tmp) / "corpus", index_dir=Path(tmp) / "index")
        e5 = E5Model.from_settings(settings) if e5_on else None
        built, _ = build_assistant(settings, ingest=True, e5=e5 or False)
        texts = [n.text for n in built.retriever.shared.passages]
        checker = AnswerChecker(built.settings, Terms(texts), Acronyms(texts), built.embed_model.encode)
        units: dict[str, np.ndarray] = {}

        def row(source, ident, claim, passage, question, label, kind, group, part) -> dict:
            [embedding] = checker.embed([claim])
            e5_claim = e5_units = None
            if e5 is not None:  # e5 is measured here only: the shipped model does not weigh it
                key = passage.address.para_key
                if key not in units:
                    units[key] = e5.passages(
                        [s.text for i, s in enumerate(passage.sentences) if i not in passage.withheld]
                    )
                e5_claim, e5_units = e5.query(claim), units[key]
            _, values = checker.scorer.features(claim, embedding, passage, question, e5_claim, e5_units)
            missing = checker.missing_facts(claim, [passage], question)
            # the rule before this model: what it says a thing is must be words the passage uses
            passage_terms = set(checker.scorer.terms.terms(passage.text))
            old_rule = any(not set(checker.scorer.terms.terms(w)) <= passage_terms for w in claims.classified_as(claim))
            return {
                "source": source,
                "id": ident,
                "claim": claim,
                "n": passage.n,
                "label": label,
                "kind": kind,
                "group": group,
                "part": part,
                "vetoed": bool(missing) or instruction_like(claim),
                "old_definition_veto": old_rule,
                "features": values,
            }

        for path in PAIRS:
            for pair in load_pairs(path):
                passage = cited_passage(built, pair.cited)
                paragraph = passage.address.paragraph
                part = "fit" if paragraph % 2 else "report"
                rows.append(
                    row(path.stem, pair.id, pair.claim, passage, "", int(pair.supported), pair.kind, paragraph, part)
                )
        prompt = AnswerPrompt.load()
        for reply in load_replies(REPLIES):
            if prompt.declines(reply.reply):
                continue
            given = {p.n: p for p in given_passages(built, reply)}
            found = claims.split_claims(reply.reply)
            for j in reply.judgement:
                if j["label"] not in (*FAITHFUL, *WRONG):
                    continue
                wanted = claims.normalised(claims.without_markers(j["sentence_starts"]))
                for c in found:
                    if wanted and wanted not in claims.normalised(c.plain):
                        continue
                    for n in c.markers:
                        if n in given:
                            label = int(j["label"] in FAITHFUL)
                            rows.append(
                                row(
                                    "real",
                                    reply.question,
                                    c.plain,
                                    given[n],
                                    reply.asked,
                                    label,
                                    j["label"],
                                    reply.question,
                                    "real",
                                )
                            )
    return rows


def matrix(rows: list[dict], features: list[str]) -> tuple[np.ndarray, np.ndarray]:
    return np.array([[r["features"][f] for f in features] for r in rows]), np.array([r["label"] for r in rows])


def fit(x: np.ndarray, y: np.ndarray, c: float = C) -> Pipeline:
    return make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=5000)).fit(x, y)


def raw_weights(model: Pipeline, features: list[str]) -> dict[str, float]:
    """The fitted weights on the features as they are measured (the scaling folded in)."""
    scaler, logistic = model[0], model[-1]
    coef = logistic.coef_[0] / scaler.scale_
    bias = float(logistic.intercept_[0] - np.sum(coef * scaler.mean_))
    return {"bias": round(bias, 4)} | {f: round(float(w), 4) for f, w in zip(features, coef, strict=True)}


def probability(weights: dict[str, float], rows: list[dict]) -> np.ndarray:
    z = np.array([weights["bias"] + sum(w * r["features"][f] for f, w in weights.items() if f != "bias") for r in rows])
    return 1 / (1 + np.exp(-np.clip(z, -50, 50)))


def sentences(rows: list[dict], passes: np.ndarray) -> dict[tuple, tuple[int, bool]]:
    """Per sentence (a real reply's sentence cites several passages): label, and whether any cited
    passage passes (the veto applied)."""
    out: dict[tuple, tuple[int, bool]] = {}
    for r, ok in zip(rows, passes, strict=True):
        key = (r["source"], r["id"], r["claim"])
        label, before = out.get(key, (r["label"], False))
        out[key] = (label, before or (bool(ok) and not r["vetoed"]))
    return out


def table(rows: list[dict], passes: np.ndarray) -> str:
    decided = sentences(rows, passes).values()
    good = [shown for label, shown in decided if label]
    bad = [shown for label, shown in decided if not label]
    kept = sum(good) / len(good) if good else float("nan")
    return f"faithful kept {sum(good):3d}/{len(good):<3d} ({kept:.2f})   unfaithful shown {sum(bad):2d}/{len(bad)}"


def threshold_for(p: np.ndarray, rows: list[dict]) -> float:
    """The lowest probability at which no unsupported, unvetoed row passes (a hair above the highest)."""
    bad = [pi for pi, r in zip(p, rows, strict=True) if not r["label"] and not r["vetoed"]]
    return round(float(max(bad, default=0.0)) + 0.005, 3)


def report(name: str, parts: dict[str, list[dict]], weights: dict[str, float], threshold: float) -> None:
    print(f"  {name:28} t={threshold:.3f}")
    for part, rows in parts.items():
        print(f"    {part:7} {table(rows, probability(weights, rows) >= threshold)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=Path, help="features measured by an earlier run (written when missing)")
    parser.add_argument("--features", help="comma-separated features (default: support.FEATURES, the shipped)")
    parser.add_argument("--C", type=float, default=C, help="inverse L2 strength")
    parser.add_argument("--no-e5", action="store_true", help="measure without e5")
    parser.add_argument("--write", action="store_true", help=f"write {OUT.relative_to(ROOT)}")
    args = parser.parse_args()
    from assistant.pipeline.llm.support import CANDIDATES, FEATURES

    print(f"load average (1/5 min): {loadavg()}")
    if args.rows and args.rows.exists():
        rows = json.loads(args.rows.read_text(encoding="utf-8"))
    else:
        rows = measure(not args.no_e5)
        if args.rows:
            args.rows.write_text(json.dumps(rows), encoding="utf-8")
    features = args.features.split(",") if args.features else list(FEATURES)
    parts = {p: [r for r in rows if r["part"] == p] for p in ("fit", "report", "real")}
    usable = [r for r in parts["fit"] if not r["vetoed"]]
    print(
        "rows: "
        + ", ".join(
            f"{k} {len(v)} ({sum(r['label'] for r in v)} supported, {sum(r['vetoed'] for r in v)} vetoed)"
            for k, v in parts.items()
        )
    )

    print("\nbefore: hand-set overlap >= 0.5, facts vetoed, 'what a thing is' vetoed")
    for part, rs in parts.items():
        passes = np.array([r["features"]["overlap"] >= HAND_THRESHOLD and not r["old_definition_veto"] for r in rs])
        print(f"    {part:7} {table(rs, passes)}")

    def fitted(names: list[str]) -> tuple[dict[str, float], float]:
        x, y = matrix(usable, names)
        weights = raw_weights(fit(x, y, args.C), names)
        return weights, threshold_for(probability(weights, usable), usable)

    print("\nafter: fitted on 'fit' (odd paragraphs), threshold: no unsupported fit pair passes")
    weights, threshold = fitted(features)
    report(", ".join(features), parts, weights, threshold)
    print("\nablation (AUC on the report part's unvetoed rows; figures at each variant's own threshold):")
    held = [r for r in parts["report"] if not r["vetoed"]]
    variants = [("(as fitted)", features)]
    variants += [(f"- {f}", [g for g in features if g != f]) for f in features]
    variants += [(f"+ {f}", [*features, f]) for f in CANDIDATES if f not in features and f in rows[0]["features"]]
    for name, names in variants:
        w, t = fitted(names)
        auc = roc_auc_score([r["label"] for r in held], probability(w, held))
        line = "  ".join(f"{p}: {table(rs, probability(w, rs) >= t)}" for p, rs in parts.items() if p != "fit")
        print(f"  {name:24} AUC {auc:.3f} t={t:.3f}  {line}")
    print("\nweights:", weights)
    print("wrong decisions on the held-out rows (per cited passage, veto applied):")
    held_out = parts["report"] + parts["real"]
    for r, pi in zip(held_out, probability(weights, held_out), strict=True):
        if (pi >= threshold) != bool(r["label"]) and not r["vetoed"]:
            print(f"  {'KEPT ' if pi >= threshold else 'DROP '} p={pi:.2f} {r['kind']:14} {r['claim'][:90]}")
    if args.write:
        out = {
            "about": "Logistic model of 'the cited passage supports the sentence', fitted by bench/fit_support.py on "
            "written pairs citing odd-numbered paragraphs of the Rome communiqué (even ones and the real replies "
            "held out); threshold: the lowest probability at which no unsupported fitting pair passes.",
            "weights": weights,
            "threshold": threshold,
            "C": args.C,
            "rows": len(usable),
        }
        OUT.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
