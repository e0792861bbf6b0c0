"""Answer the development sets in process and keep each answer's signals (for fitting and ablations).

    .venv/bin/python bench/eval_dump.py [--sets rome,multi,dev10] [--out artifacts/eval] [--set-env K=V ...]

Each set is indexed once into ``OUT/index-SET`` (an ingest only re-embeds what changed), then every
question is asked; ``OUT/SET.jsonl`` holds the answer objects (what ``wps-assistant batch`` writes)
with two more fields, ``signals`` and ``candidates``, that ``score.py`` ignores.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
SETS = {
    "rome": (EVAL / "rome.jsonl", ROOT / "corpus"),
    "multi": (EVAL / "multi.jsonl", ROOT / "tests" / "data" / "corpus"),
    "dev10": (EVAL / "dev10" / "questions.jsonl", EVAL / "dev10" / "corpus"),
}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sets", default="rome,multi,dev10")
    parser.add_argument("--out", type=Path, default=ROOT / "artifacts" / "eval")
    parser.add_argument("--tag", default="", help="suffix of the output files")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from assistant.index.e5 import E5Model
    from assistant.index.embeddings import MiniLMEmbedding
    from assistant.ingest.pipeline import ingest_corpus
    from assistant.pipeline.factory import build_assistant
    from assistant.settings import Settings

    args.out.mkdir(parents=True, exist_ok=True)
    embed = e5 = None
    for name in args.sets.split(","):
        questions, corpus = SETS[name]
        settings = Settings(corpus_dir=corpus, index_dir=args.out / f"index-{name}")
        embed = embed or MiniLMEmbedding.from_settings(settings)
        e5 = e5 or E5Model.from_settings(settings)
        ingest_corpus(settings, embed, e5=e5)
        assistant, _ = build_assistant(settings, embed_model=embed, e5=e5)
        seen: dict = {}
        answer_one = assistant.answerer.answer

        def capture(request, answer_one=answer_one, seen=seen):  # the passages the answerer chose from
            seen["passages"] = [p.node.get_content() for p in request.passages]
            seen["sentences"] = [(s.para_key, s.text) for s in request.sentences]
            return answer_one(request)

        assistant.answerer.answer = capture
        started = time.perf_counter()
        out = args.out / f"{name}{args.tag}.jsonl"
        with out.open("w", encoding="utf-8") as f:
            for line in questions.read_text(encoding="utf-8").splitlines():
                item = json.loads(line)
                seen.clear()
                answer = assistant.ask(item["question"], item.get("history") or [])
                record = {
                    "id": item["id"],
                    **answer.model_dump(exclude={"id"}),
                    "signals": answer.signals,
                    "candidates": seen.get("passages", []),
                }
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
        print(f"{name}: {time.perf_counter() - started:.1f} s -> {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    raise SystemExit(main())
