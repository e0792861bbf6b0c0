"""MiniLM on torch vs ONNX Runtime: query latency, agreement, load time and memory, in one run.

    .venv/bin/python bench/bench_minilm.py [--questions 60] [--rounds 3]

Each backend runs in its own child process (its own resident memory, its own threads), one after the
other: torch (sentence-transformers, 1 thread), ONNX with an empty cache (first start: export + check),
then ONNX from that cache with 1 and with 2 intra-op threads. Each embeds the same questions (the
first N of ../shared/eval/rome.jsonl, else tests/data/questions.jsonl) one at a time, as `ask` does,
``--rounds`` times after a warm-up, and ingest-sized batches of the shipped corpus' paragraphs.
Printed: p50/p95 ms per query, the torch ÷ ONNX ratio, the worst and mean cosine between each ONNX
run's vectors and torch's, seconds to load, resident MB after load and after the queries, and the
machine's load average before and after.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from benchutil import ROOT, current_rss_mb, emit_result, loadavg, pct, print_table, run_worker

EVAL_QUESTIONS = ROOT.parent / "shared" / "eval" / "rome.jsonl"
TEST_QUESTIONS = ROOT / "tests" / "data" / "questions.jsonl"


def questions(n: int) -> list[str]:
    source = EVAL_QUESTIONS if EVAL_QUESTIONS.exists() else TEST_QUESTIONS
    rows = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r["question"] for r in rows][:n]


def passages(n: int = 200) -> list[str]:
    """Paragraphs of the shipped corpus (for the ingest-sized batches)."""
    texts = []
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        texts += [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if len(p.strip()) > 40]
    return (texts * (n // max(len(texts), 1) + 1))[:n]


def worker(backend: str, threads: int, cache: Path, n: int, rounds: int, out: Path) -> None:
    sys.path.insert(0, str(ROOT))
    import assistant  # noqa: F401  (offline environment first)
    from assistant.index.embeddings import MiniLMEmbedding

    qs = questions(n)
    started = time.perf_counter()
    model = MiniLMEmbedding(backend=backend, threads=1, onnx_threads=threads, cache_dir=cache, embed_batch_size=10)
    load_s = time.perf_counter() - started
    rss_load = current_rss_mb()
    torch_loaded = "torch" in sys.modules
    for q in qs[:5]:
        model.get_query_embedding(q)  # warm-up
    timings, vectors = [], []
    for _ in range(rounds):
        for q in qs:
            t = time.perf_counter()
            v = model.get_query_embedding(q)
            timings.append((time.perf_counter() - t) * 1000)
            vectors.append(v)
    texts = passages()
    t = time.perf_counter()
    model.get_text_embedding_batch(texts)
    batch_rate = len(texts) / (time.perf_counter() - t)
    np.save(out, np.asarray(vectors[: len(qs)], dtype=np.float32))
    emit_result(
        {
            "backend": model.backend,
            "load_s": load_s,
            "rss_load_mb": rss_load,
            "rss_after_mb": current_rss_mb(),
            "torch_imported": torch_loaded,
            "p50": pct(timings, 50),
            "p95": pct(timings, 95),
            "passages_per_s": batch_rate,
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--worker", nargs=6, metavar=("BACKEND", "THREADS", "CACHE", "N", "ROUNDS", "OUT"))
    args = parser.parse_args()
    if args.worker:
        b, t, c, n, r, o = args.worker
        worker(b, int(t), Path(c), int(n), int(r), Path(o))
        return

    print(f"load average before: {loadavg()}")
    with tempfile.TemporaryDirectory(prefix="bench-minilm-") as tmp:
        cache = Path(tmp) / "models"
        cases = [
            ("torch, 1 thread", "torch", 1),
            ("onnx, first start (export)", "onnx", 1),
            ("onnx, cached, 1 thread", "onnx", 1),
            ("onnx, cached, 2 threads", "onnx", 2),
        ]
        results = []
        for i, (name, backend, threads) in enumerate(cases):
            out = Path(tmp) / f"v{i}.npy"
            script = [str(Path(__file__).resolve()), "--worker", backend, str(threads), str(cache)]
            res = run_worker([*script, str(args.questions), str(args.rounds), str(out)], args.timeout)
            res["name"], res["vectors"], res["load_avg"] = name, np.load(out), loadavg()
            results.append(res)
        reference = results[0]["vectors"]
        rows = []
        for r in results:
            cos = (r["vectors"] * reference).sum(axis=1)
            rows.append(
                [
                    r["name"],
                    r["backend"],
                    r["p50"],
                    r["p95"],
                    results[0]["p50"] / r["p50"],
                    f"{cos.min():.5f}",
                    f"{cos.mean():.5f}",
                    r["passages_per_s"],
                    r["load_s"],
                    r["rss_load_mb"],
                    r["rss_after_mb"],
                    "yes" if r["torch_imported"] else "no",
                    r["load_avg"],
                ]
            )
    print(f"{args.questions} questions × {args.rounds} rounds, one at a time; passages: 200 at batch 10")
    print_table(
        [
            "case",
            "backend",
            "p50 ms",
            "p95 ms",
            "torch p50 ÷",
            "min cos",
            "mean cos",
            "passages/s",
            "load s",
            "RSS load MB",
            "RSS end MB",
            "torch imported",
            "load avg after",
        ],
        rows,
    )
    print(f"load average after: {loadavg()}")


if __name__ == "__main__":
    main()
