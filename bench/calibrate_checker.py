"""The hand-set overlap score's curve on tests/data/support_pairs.jsonl: precision and recall by threshold.

The overlap score is now one feature of the fitted support model (bench/fit_support.py refits that
model and prints its figures before and after); this script shows the feature alone, as it was
calibrated before the model.

.venv/bin/python bench/calibrate_checker.py                 # the settings' similarity weight
.venv/bin/python bench/calibrate_checker.py --weights 0,0.5,1

For each similarity weight, prints precision / recall / F1 of letting a pair through at each threshold,
on the 'tune' pairs (which chose WPS_CHECK_SUPPORT_THRESHOLD) and the held-out 'test' pairs, the
threshold with the best F1 on 'tune', and per kind of unsupported pair how many the default threshold
lets through. Indexes the shipped corpus into a temporary folder (the pairs cite its paragraphs).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import assistant  # noqa: F401  (sets the offline environment before any model library loads)
from assistant.evaluation.calibration import curve, let_through, load_pairs, rates, score_pairs
from assistant.pipeline.factory import build_assistant
from assistant.pipeline.llm.checker import AnswerChecker
from assistant.pipeline.plan.acronyms import Acronyms
from assistant.pipeline.terms import Terms
from assistant.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchutil import ROOT, SHIPPED

PAIRS = ROOT / "tests" / "data" / "support_pairs.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", help="comma-separated similarity weights (default: the setting's)")
    parser.add_argument("--pairs", type=Path, default=PAIRS)
    args = parser.parse_args()
    defaults = Settings()
    weights = [float(w) for w in args.weights.split(",")] if args.weights else [defaults.check_similarity_weight]
    thresholds = [round(0.30 + 0.05 * i, 2) for i in range(10)]
    pairs = load_pairs(args.pairs)
    with tempfile.TemporaryDirectory(prefix="wps-calibrate-") as tmp:
        shutil.copytree(SHIPPED, Path(tmp) / "corpus")
        built, _ = build_assistant(
            Settings(corpus_dir=Path(tmp) / "corpus", index_dir=Path(tmp) / "index"), ingest=True
        )
        texts = [n.text for n in built.retriever.shared.passages]
        checker = AnswerChecker(defaults, Terms(texts), Acronyms(texts), built.embed_model.encode)
        for weight in weights:
            scored = score_pairs(built, checker, pairs, weight)
            parts = {split: [s for s in scored if s.pair.split == split] for split in ("tune", "test")}
            counts = ", ".join(
                f"{k} {sum(s.pair.supported for s in v)} supported + {sum(not s.pair.supported for s in v)} not"
                for k, v in parts.items()
            )
            print(f"\nsimilarity weight {weight:g} ({counts})")
            print(
                f"{'threshold':>9}  {'tune P':>7} {'tune R':>7} {'tune F1':>7}"
                f"  {'test P':>7} {'test R':>7} {'test F1':>7}"
            )
            for t, a, b in zip(
                thresholds, curve(parts["tune"], thresholds), curve(parts["test"], thresholds), strict=True
            ):
                print(
                    f"{t:>9.2f}  {a['precision']:>7.3f} {a['recall']:>7.3f} {a['f1']:>7.3f}  "
                    f"{b['precision']:>7.3f} {b['recall']:>7.3f} {b['f1']:>7.3f}"
                )
            fine = [round(0.2 + 0.01 * i, 2) for i in range(71)]
            best = max(curve(parts["tune"], fine), key=lambda r: (r["f1"], r["precision"]))
            print(
                f"best F1 on tune at {best['threshold']:.2f}: {best};"
                f" test there: {rates(parts['test'], best['threshold'])}"
            )
        threshold = defaults.check_support_threshold
        print(f"\nat the default threshold {threshold} (weight {defaults.check_similarity_weight}):")
        scored = score_pairs(built, checker, pairs, defaults.check_similarity_weight)
        for split in ("tune", "test"):
            part = [s for s in scored if s.pair.split == split]
            print(f"  {split}: {rates(part, threshold)}")
        print("  unsupported pairs let through, by kind (let through / total):")
        for kind, (through, total) in let_through(scored, threshold).items():
            print(f"    {kind:18} {through}/{total}")
        missed = [s.pair.claim for s in scored if s.pair.supported and not s.accepted(threshold)]
        print(f"  supported pairs removed: {len(missed)}" + "".join(f"\n    - {m}" for m in missed))
        wrong = [f"{s.pair.kind}: {s.pair.claim}" for s in scored if not s.pair.supported and s.accepted(threshold)]
        print(f"  unsupported pairs let through: {len(wrong)}" + "".join(f"\n    - {w}" for w in wrong))


if __name__ == "__main__":
    main()
