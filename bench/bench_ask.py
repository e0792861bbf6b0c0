"""Warm `ask` latency (median, p95) and resident memory of a process holding the assistant and the web app.

.venv/bin/python bench/bench_ask.py            # uses WPS_* settings (index/ must be built)
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from pathlib import Path

import assistant  # noqa: F401  (offline environment first)
from assistant.pipeline.factory import build_assistant
from assistant.settings import Settings
from assistant.web.app import create_app

QUESTIONS = Path(__file__).parents[1] / "tests" / "data" / "questions.jsonl"


def main() -> None:
    settings = Settings()
    started = time.perf_counter()
    built, report = build_assistant(settings, ingest=True)
    cold = time.perf_counter() - started
    create_app(built)  # the served app: chat UI and API, as `serve` builds it
    questions = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    built.ask(questions[0]["question"])  # warm-up
    timings = []
    for q in questions * 3:
        t = time.perf_counter()
        built.ask(q["question"], q.get("history"))
        timings.append((time.perf_counter() - t) * 1000)
    timings.sort()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"start (model load + ingest check + wiring): {cold:.1f} s; {report.summary() if report else ''}")
    print(
        f"ask, {len(timings)} warm calls: median {statistics.median(timings):.1f} ms, "
        f"p95 {timings[int(0.95 * len(timings)) - 1]:.1f} ms, max {timings[-1]:.1f} ms"
    )
    print(f"peak resident memory with the web app built: {rss_mb:.0f} MB")
    if "--json" in sys.argv[1:]:  # for bench/issue18.py
        p95 = timings[int(0.95 * len(timings)) - 1]
        print(json.dumps({"ask_p50_ms": statistics.median(timings), "ask_p95_ms": p95, "rss_mb": rss_mb}))


if __name__ == "__main__":
    main()
