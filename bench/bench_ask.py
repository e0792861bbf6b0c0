"""Warm `ask` against plain llama-index retrieval: p50/p95 and their ratio, in one process and one run.

    .venv/bin/python bench/bench_ask.py                                   # shipped corpus, Rome questions
    .venv/bin/python bench/bench_ask.py --corpus ../shared/eval/dev10/corpus \\
        --questions ../shared/eval/dev10/questions.jsonl --index artifacts/eval/index-dev10
    .venv/bin/python bench/bench_ask.py --profile artifacts/ask.prof      # cProfile of the asks

The corpus is ingested into ``--index`` (default: a temporary folder, removed at the end) as
``wps-assistant ingest`` does; then one MiniLM object (``MiniLMEmbedding.from_settings``) serves both
the assistant and the baseline, llama-index's in-memory ``VectorStoreIndex`` over the same corpus
(``assistant.evaluation.systems.BaselineSystem``: SimpleDirectoryReader, default SentenceSplitter)
retrieving the top 3 (where that reader cannot read the corpus, one over the assistant's passages).
For each question (the first ``--limit`` of ``--questions``, each with its history), ``--rounds``
times after one warm-up pass, the three are timed one after the other:

- ``ask``: ``Assistant.ask(question, history)`` end to end;
- ``retrieve``: ``VectorStoreIndex.as_retriever(similarity_top_k=3).retrieve(question)`` (embeds too);
- ``embed``: the MiniLM query embedding alone (the floor both stand on).

Each is timed on the wall clock and in CPU time of the process (all its threads): CPU time counts
the work done, not the wait for a core, so on a shared machine it stays comparable between runs.

Interleaving them means a change in the machine's load reaches all three alike; the 1-minute load
average is printed before and after. Printed: p50, p95 and max of each, and ask ÷ retrieve at p50 and
p95. ``--profile`` writes a cProfile of the timed asks (``python -m pstats`` or snakeviz reads it) and
prints its top functions by own time. ``--app`` also builds the web app (Gradio, FastAPI) and prints
the peak resident memory with it.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import tempfile
import time
from pathlib import Path

import assistant  # noqa: F401  (offline environment first)

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchutil

EVAL_QUESTIONS = benchutil.ROOT.parent / "shared" / "eval" / "rome.jsonl"
TEST_QUESTIONS = benchutil.ROOT / "tests" / "data" / "questions.jsonl"


def load_questions(path: Path, limit: int) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows[:limit] if limit else rows


def timed(fn, *args) -> tuple[float, float]:
    """Wall and CPU milliseconds (this process, every thread) one call of ``fn(*args)`` takes."""
    cpu, started = time.process_time(), time.perf_counter()
    fn(*args)
    return (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000


def plain_index(corpus: Path, embed_model, built):
    """llama-index's top-3 retriever over the corpus: ``BaselineSystem``'s (SimpleDirectoryReader), or,
    where that reader cannot read a file (a .docx without docx2txt), a VectorStoreIndex over the
    assistant's own passages, embedded by the same model."""
    from llama_index.core import VectorStoreIndex
    from llama_index.core.schema import TextNode

    from assistant.evaluation.systems import BaselineSystem

    try:
        return BaselineSystem(corpus, embed_model, top_k=3).retriever
    except ImportError as exc:
        print(f"baseline: SimpleDirectoryReader cannot read the corpus ({exc}); indexing our passages instead")
        nodes = [TextNode(text=n.text) for n in built.retriever.shared.passages]
        return VectorStoreIndex(nodes=nodes, embed_model=embed_model).as_retriever(similarity_top_k=3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=benchutil.SHIPPED, help="corpus folder (default corpus/)")
    default_questions = EVAL_QUESTIONS if EVAL_QUESTIONS.exists() else TEST_QUESTIONS
    parser.add_argument("--questions", type=Path, default=default_questions, help="JSON Lines: question, history")
    parser.add_argument("--limit", type=int, default=60, help="first N questions (0 = all; default 60)")
    parser.add_argument("--rounds", type=int, default=3, help="timed passes over the questions (default 3)")
    parser.add_argument("--index", type=Path, help="index folder to ingest into and reuse (default: a temporary one)")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the timed asks here")
    parser.add_argument("--app", action="store_true", help="also build the web app and report peak memory")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON line too")
    args = parser.parse_args()

    from assistant.index.embeddings import MiniLMEmbedding
    from assistant.pipeline.factory import build_assistant
    from assistant.settings import Settings

    questions = load_questions(args.questions, args.limit)
    print(f"corpus {args.corpus}; {len(questions)} questions of {args.questions.name}; load {benchutil.loadavg()}")
    with tempfile.TemporaryDirectory(prefix="wps-bench-ask-") as tmp:
        index_dir = args.index or Path(tmp) / "index"
        settings = Settings(corpus_dir=args.corpus.resolve(), index_dir=index_dir, feedback_path=Path(tmp) / "fb.jsonl")
        started = time.perf_counter()
        embed_model = MiniLMEmbedding.from_settings(settings)
        built, report = build_assistant(settings, ingest=True, embed_model=embed_model)
        start_s = time.perf_counter() - started
        baseline = plain_index(args.corpus.resolve(), embed_model, built)
        if args.app:
            from assistant.web.app import create_app

            create_app(built)

        def ask(q: dict) -> None:
            built.ask(q["question"], q.get("history"))

        def retrieve(q: dict) -> None:
            baseline.retrieve(q["question"])

        def embed(q: dict) -> None:
            embed_model.get_query_embedding(q["question"])

        for q in questions:  # warm-up: every cache a first question fills (BM25, e5 rows) is filled
            ask(q)
            retrieve(q)
        times: dict[str, list[float]] = {"ask": [], "retrieve": [], "embed": []}
        cpu: dict[str, list[float]] = {name: [] for name in times}
        load_before = benchutil.loadavg()
        profiler = cProfile.Profile() if args.profile else None
        for _ in range(args.rounds):
            for q in questions:
                if profiler:
                    profiler.enable()
                wall, used = timed(ask, q)
                times["ask"].append(wall)
                cpu["ask"].append(used)
                if profiler:
                    profiler.disable()
                for name, call in (("retrieve", retrieve), ("embed", embed)):
                    wall, used = timed(call, q)
                    times[name].append(wall)
                    cpu[name].append(used)
        load_after = benchutil.loadavg()

    pct = benchutil.pct
    print(f"start (model load, ingest check, wiring): {start_s:.1f} s; {report.summary() if report else ''}")
    print(
        f"MiniLM backend {embed_model.backend}; e5 {'on' if built.retriever.shared.e5 else 'off'}; "
        f"{len(times['ask'])} timed calls each ({args.rounds} × {len(questions)}), interleaved"
    )
    benchutil.print_table(
        ["call (ms)", "p50", "p95", "max", "CPU p50"],
        [[name, pct(v, 50), pct(v, 95), max(v), pct(cpu[name], 50)] for name, v in times.items()],
    )
    ratio50 = pct(times["ask"], 50) / pct(times["retrieve"], 50)
    ratio95 = pct(times["ask"], 95) / pct(times["retrieve"], 95)
    print(f"ask ÷ llama-index retrieve: p50 {ratio50:.2f}×, p95 {ratio95:.2f}×")
    # CPU time counts the work, not the wait for a core: on a busy machine it shows what a quiet one
    # would take (for ask, the sum over its threads: e5 runs beside MiniLM, so a quiet wall is lower).
    cpu_ratio = pct(cpu["ask"], 50) / pct(cpu["retrieve"], 50)
    print(f"CPU time, all threads: ask ÷ retrieve p50 {cpu_ratio:.2f}×")
    print(f"load average (1 min/5 min): before the timed passes {load_before}, after {load_after}")
    if args.app:
        print(f"peak resident memory with the web app built: {benchutil.peak_rss_mb():.0f} MB")
    if profiler:
        args.profile.parent.mkdir(parents=True, exist_ok=True)
        profiler.dump_stats(args.profile)
        print(f"\ncProfile of the timed asks -> {args.profile}; top by own time:")
        pstats.Stats(str(args.profile)).sort_stats("tottime").print_stats(25)
    if args.json:
        figures = {
            "ask_p50_ms": pct(times["ask"], 50),
            "ask_p95_ms": pct(times["ask"], 95),
            "retrieve_p50_ms": pct(times["retrieve"], 50),
            "ask_cpu_p50_ms": pct(cpu["ask"], 50),
            "retrieve_cpu_p50_ms": pct(cpu["retrieve"], 50),
            "load": load_after,
        }
        if args.app:
            figures["rss_mb"] = benchutil.peak_rss_mb()
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
