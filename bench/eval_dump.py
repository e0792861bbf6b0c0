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
            seen["request"] = request
            return answer_one(request)

        assistant.answerer.answer = capture
        scorer = getattr(assistant.answerer, "scorer", None)
        if scorer is not None:  # every scored sentence's signals, for scripts/fit_sentences.py
            score_all = scorer.score

            def keep_scored(question, query_embedding, sentences, score_all=score_all, seen=seen):
                scored = score_all(question, query_embedding, sentences)
                seen["scored"] = scored
                return scored

            scorer.score = keep_scored
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
                    "scored": scored_sentences(seen),
                }
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
        print(f"{name}: {time.perf_counter() - started:.1f} s -> {out}", file=sys.stderr)
    return 0


def scored_sentences(seen: dict) -> list[dict]:
    """Each candidate sentence's signals (its share of the score, unweighted where a weight applies),
    with where its passage stood in the retrieval, for fitting the sentence choice."""
    request, scored = seen.get("request"), seen.get("scored")
    if request is None or not scored:
        return []
    from assistant.schema import para_key

    keys = [para_key(p.node) for p in request.passages]
    fused = [float(p.score or 0.0) for p in request.passages]
    out = []
    position: dict[str, int] = {}
    for item in scored:
        key = item.sentence.para_key
        rank = keys.index(key) if key in keys else len(keys)
        out.append(
            {
                "para_key": key,
                "doc_id": item.sentence.address.doc_id,
                "paragraph": item.sentence.address.paragraph,
                "text": item.sentence.text,
                "passage": request.passages[rank].node.get_content() if rank < len(keys) else "",
                "rank": rank,
                "fused": fused[rank] if rank < len(keys) else 0.0,
                "index": position.setdefault(key, 0),
                "parts": item.breakdown,
            }
        )
        position[key] += 1
    return out


if __name__ == "__main__":
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    raise SystemExit(main())
