"""Query latency, cold start, web-app memory, and the torch thread-count study.

Over a fresh temporary index of the shipped corpus (or ``--corpus DIR``), with the questions of
``tests/data/questions.jsonl`` (each with its history, as a conversation would send it):

1. Warm latency, p50/p95 of ``Answer.timings_ms``: ``retrieve`` (follow-up resolution, query
   embedding, dense + BM25 fusion), ``answer`` (sentence fetch from Chroma + scoring) and ``total``
   (end-to-end inside ``Assistant.ask``), over ``--repeats`` passes of all questions after one warm-up.
2. Cold start: wall time from before starting ``python -c "<build_assistant + one ask>"`` to after it
   exits (interpreter, imports, model load, Chroma open, BM25/terms build, first answer), the same
   work as ``wps-assistant ask``; ``--cold-runs`` times, with the child's own breakdown.
3. Resident memory of this process after building the assistant and the web app
   (``assistant.web.create_app``): VmRSS now and peak ``ru_maxrss``.
4. Thread study: ``Settings(torch_threads=1)`` vs ``2``, each in its own child process (``torch.set_num_threads``
   is process-global), each (i) with nothing of ours running besides it and (ii) while a busy-loop
   process keeps one core spinning (started before the child, killed after it, bounded in time
   anyway). Printed: p50/p95 end-to-end ms, and p50 of the query embedding alone.

The machine is shared: the load average before each run is printed, so an "idle" run that was not
idle shows. The temporary index is removed at the end.

    .venv/bin/python bench/bench_query.py                         # ~4 min on 2 slow cores
    .venv/bin/python bench/bench_query.py --repeats 5 --thread-repeats 3 --cold-runs 3
    .venv/bin/python bench/bench_query.py --corpus /tmp/gen --skip-threads
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import assistant  # noqa: F401  (sets the offline environment before any model library loads)

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchutil

QUESTIONS = benchutil.ROOT / "tests" / "data" / "questions.jsonl"
SHIPPED = benchutil.SHIPPED

COLD_CODE = textwrap.dedent(
    """
    import json, sys, time
    t0 = time.perf_counter()
    import assistant
    from assistant.pipeline.factory import build_assistant
    from assistant.settings import Settings
    t1 = time.perf_counter()
    built, _ = build_assistant(Settings())
    t2 = time.perf_counter()
    answer = built.ask(sys.argv[1])
    t3 = time.perf_counter()
    print(json.dumps({"imports": t1 - t0, "build": t2 - t1, "first_ask": t3 - t2,
                      "abstained": answer.abstained}))
    """
)


def load_questions(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def settings_env(corpus: Path, index: Path, threads: int = 1) -> dict[str, str]:
    return {"WPS_CORPUS_DIR": str(corpus), "WPS_INDEX_DIR": str(index), "WPS_TORCH_THREADS": str(threads)}


def ingest_worker(corpus: Path, index: Path) -> None:
    from assistant.index.embeddings import MiniLMEmbedding
    from assistant.ingest.pipeline import ingest_corpus
    from assistant.settings import Settings

    settings = Settings(corpus_dir=corpus, index_dir=index)
    report = ingest_corpus(settings, MiniLMEmbedding.from_settings(settings), show_progress=False)
    benchutil.emit_result({"summary": report.summary(), "seconds": report.seconds})


def thread_worker(corpus: Path, index: Path, threads: int, repeats: int, questions_path: Path) -> None:
    """Build the assistant with N torch threads, then time every question ``repeats`` times."""
    from assistant.pipeline.factory import build_assistant
    from assistant.settings import Settings

    built, _ = build_assistant(Settings(corpus_dir=corpus, index_dir=index, torch_threads=threads))
    questions = load_questions(questions_path)
    for q in questions[:3]:  # warm-up
        built.ask(q["question"], q.get("history"))
    total, embed = [], []
    for _ in range(repeats):
        for q in questions:
            total.append(built.ask(q["question"], q.get("history")).timings_ms["total"])
            t = time.perf_counter()
            built.embed_model.get_query_embedding(q["question"])
            embed.append((time.perf_counter() - t) * 1000)
    torch = sys.modules["torch"]  # loaded by the model, after the offline environment was set
    benchutil.emit_result({"threads": torch.get_num_threads(), "total": total, "embed": embed})


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Example: .venv/bin/python bench/bench_query.py --repeats 3 --cold-runs 2",
    )
    parser.add_argument("--corpus", type=Path, default=SHIPPED, help="corpus folder to index (default corpus/)")
    parser.add_argument("--questions", type=Path, default=QUESTIONS, help="JSON Lines: id, question, history")
    parser.add_argument("--repeats", type=int, default=3, help="passes over the questions for warm latency (default 3)")
    parser.add_argument("--cold-runs", type=int, default=2, help="cold-start subprocess runs (default 2)")
    parser.add_argument("--thread-repeats", type=int, default=1, help="passes per thread-study cell (default 1)")
    parser.add_argument(
        "--thread-rounds",
        type=int,
        default=1,
        help="run the whole set of thread-study cells this many times, "
        "interleaved, and pool each cell's asks (default 1; more evens out a shared machine's load)",
    )
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2], help="thread counts to compare (default 1 2)")
    parser.add_argument("--skip-threads", action="store_true", help="skip the thread study")
    parser.add_argument("--timeout", type=float, default=900, help="seconds allowed per child process (default 900)")
    parser.add_argument("--worker", choices=["ingest", "threads"], help=argparse.SUPPRESS)
    parser.add_argument("--index", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--worker-threads", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    corpus = args.corpus.resolve()
    if args.worker == "ingest":
        ingest_worker(corpus, args.index)
        return
    if args.worker == "threads":
        thread_worker(corpus, args.index, args.worker_threads, args.thread_repeats, args.questions)
        return

    questions = load_questions(args.questions)
    pct = benchutil.pct
    with tempfile.TemporaryDirectory(prefix="wps-bench-query-") as tmp:
        index = Path(tmp) / "index"
        print(f"corpus {corpus}; {len(questions)} questions; load average {benchutil.loadavg()}")
        ing = benchutil.run_worker(
            [__file__, "--worker", "ingest", "--corpus", str(corpus), "--index", str(index)], args.timeout
        )
        print(f"index built in a child process: {ing['summary']}")

        # 2. cold start, before this process loads anything heavy (the page cache is warm from the ingest)
        cold = []
        for _ in range(args.cold_runs):
            started = time.perf_counter()
            proc = subprocess.run(
                [benchutil.PYTHON, "-c", COLD_CODE, questions[0]["question"]],
                capture_output=True,
                text=True,
                timeout=args.timeout,
                cwd=benchutil.ROOT,
                env={**os.environ, **settings_env(corpus, index)},
            )
            wall = time.perf_counter() - started
            if proc.returncode:
                raise RuntimeError(proc.stderr[-3000:])
            cold.append((wall, json.loads(proc.stdout.strip().splitlines()[-1])))

            # 1 and 3. warm latency and memory, in this process
            from assistant.pipeline.factory import build_assistant
        from assistant.settings import Settings

        settings = Settings(corpus_dir=corpus, index_dir=index, feedback_path=Path(tmp) / "feedback.jsonl")
        built, _ = build_assistant(settings)
        rss_assistant = benchutil.current_rss_mb()
        from assistant.web.app import create_app  # Gradio and FastAPI load here: counted with the app

        create_app(built)
        rss_app, peak_app = benchutil.current_rss_mb(), benchutil.peak_rss_mb()
        built.ask(questions[0]["question"])  # warm-up
        timings: dict[str, list[float]] = {"retrieve": [], "answer": [], "total": []}
        walls = []
        for _ in range(args.repeats):
            for q in questions:
                t = time.perf_counter()
                answer = built.ask(q["question"], q.get("history"))
                walls.append((time.perf_counter() - t) * 1000)
                for k in timings:
                    timings[k].append(answer.timings_ms[k])

        # 4. thread study
        study: dict[tuple[int, str], dict] = {}
        if not args.skip_threads:
            cells = [(n, load) for load in ("idle", "1 core busy") for n in args.threads]
            for _ in range(args.thread_rounds):
                for n, load in cells:
                    before = benchutil.loadavg()
                    cmd = [__file__, "--worker", "threads", "--corpus", str(corpus), "--index", str(index),
                           "--worker-threads", str(n), "--thread-repeats", str(args.thread_repeats),
                           "--questions", str(args.questions)]  # fmt: skip
                    if load == "idle":
                        r = benchutil.run_worker(cmd, args.timeout)
                    else:
                        with benchutil.busy_core(args.timeout + 60):
                            r = benchutil.run_worker(cmd, args.timeout)
                    cell = study.setdefault((n, load), {"threads": r["threads"], "loads": [], "total": [], "embed": []})
                    cell["loads"].append(before.split("/")[0])
                    cell["total"] += r["total"]
                    cell["embed"] += r["embed"]

    print()
    print(f"warm latency, {len(walls)} asks ({args.repeats} × {len(questions)} questions), torch threads 1:")
    rows = [[k, pct(v, 50), pct(v, 95), max(v)] for k, v in timings.items()]
    rows.append(["wall around ask()", pct(walls, 50), pct(walls, 95), max(walls)])
    benchutil.print_table(["timing (ms)", "p50", "p95", "max"], rows)
    print()
    print("cold start (process start → first answer, `python -c` build_assistant + ask):")
    benchutil.print_table(
        ["run", "wall s", "import service s", "build_assistant s", "first ask ms"],
        [[i + 1, w, c["imports"], c["build"], c["first_ask"] * 1000] for i, (w, c) in enumerate(cold)],
    )
    print()
    print(
        f"memory: RSS {rss_assistant:.0f} MB after build_assistant, {rss_app:.0f} MB after create_app "
        f"(+{rss_app - rss_assistant:.0f} MB: importing Gradio/FastAPI and building both UIs); "
        f"peak ru_maxrss {peak_app:.0f} MB"
    )
    if study:
        print()
        n_q = len(next(iter(study.values()))["total"])
        print(
            f"thread study, end-to-end ms over {n_q} asks per cell ({args.thread_rounds} round(s), "
            "each cell its own process; 1-min load average when each run started):"
        )
        benchutil.print_table(
            ["threads", "load", "loadavg at start", "p50 ms", "p95 ms", "max ms", "embed p50 ms"],
            [
                [c["threads"], load, ",".join(c["loads"]), pct(c["total"], 50), pct(c["total"], 95), max(c["total"]),
                 pct(c["embed"], 50)]
                for (_, load), c in study.items()
            ],
        )  # fmt: skip
    print(f"\nload average at the end: {benchutil.loadavg()}")


if __name__ == "__main__":
    main()
