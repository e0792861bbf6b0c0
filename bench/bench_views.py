"""Warm latency of each view (median, p95) on the four-document test corpus, in process and over the API.

.venv/bin/python bench/bench_views.py                 # tests/data/corpus, a fresh index in a temp folder
.venv/bin/python bench/bench_views.py --corpus corpus --runs 50

Target: every view under 200 ms warm. The first call of each view is left out (it warms caches: a
guide is built on first request, then kept); machine load is printed with the figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import assistant  # noqa: F401  (offline environment first)
from assistant.pipeline.factory import build_assistant
from assistant.settings import Settings
from assistant.views.briefing import item_from_citation, numbered, to_docx, to_markdown
from assistant.views.commitments import CommitmentFilter, to_csv

ROOT = Path(__file__).resolve().parents[1]
TOPICS = ["funding for women peacebuilders", "artificial intelligence", "early warning", "online harassment"]


def timed(fn: Callable[[int], object], runs: int) -> list[float]:
    fn(0)  # warm-up
    out = []
    for i in range(runs):
        started = time.perf_counter()
        fn(i)
        out.append((time.perf_counter() - started) * 1000)
    return sorted(out)


def report(name: str, ms: list[float]) -> None:
    p95 = ms[max(0, int(0.95 * len(ms)) - 1)]
    flag = "" if p95 < 200 else "  (over the 200 ms target)"
    print(f"{name:44} median {statistics.median(ms):7.1f} ms   p95 {p95:7.1f} ms   max {ms[-1]:7.1f} ms{flag}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "tests" / "data" / "corpus")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(corpus_dir=args.corpus, index_dir=Path(tmp) / "index")
        started = time.perf_counter()
        built, ingest = build_assistant(settings, ingest=True)
        print(f"ingest + build: {time.perf_counter() - started:.1f} s ({ingest.summary().splitlines()[0]})")
        started = time.perf_counter()
        from assistant.views import build_views  # the views alone, as build_assistant makes them

        build_views(settings, built.catalog, built.views.topic.search)
        print(f"views built from the stored sentence facts: {(time.perf_counter() - started) * 1000:.0f} ms")
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores\n")
        measure(built, args.runs)
        print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def measure(built, runs: int) -> None:
    from fastapi.testclient import TestClient

    from assistant.feedback import FeedbackStore
    from assistant.pipeline.host import AssistantHost
    from assistant.web.api import build_api

    v = built.views
    docs = [d["doc_id"] for d in v.table.documents]
    rows = v.commitments.rows
    report("commitments: all", timed(lambda i: v.commitments.filter(), runs))
    f = CommitmentFilter(types=("recommend",), addressees=("States",), words="funding")
    report("commitments: type + addressee + words", timed(lambda i: v.commitments.filter(f), runs))
    report("commitments: CSV export of all", timed(lambda i: to_csv(v.commitments.filter()), runs))
    report("topic across meetings (4 topics in turn)", timed(lambda i: v.topic.across(TOPICS[i % 4]), runs))
    report("document guide (each document in turn)", timed(lambda i: v.guides.guide(docs[i % len(docs)]), runs))
    report("glossary: lookup", timed(lambda i: v.glossary.lookup(["NAP", "ODA", "early warning"][i % 3]), runs))
    report("glossary: whole list", timed(lambda i: v.glossary.search(""), runs))
    report("quiz of 10 (a new seed each time)", timed(lambda i: v.quiz.make(10, i), runs))
    items = [item_from_citation(r.citation) for r in rows[:5]]
    report("briefing: Markdown, 5 items", timed(lambda i: to_markdown(numbered("Note", items)), runs))
    report("briefing: DOCX, 5 items", timed(lambda i: to_docx(numbered("Note", items)), runs))
    report("examples and tour", timed(lambda i: (v.examples.questions(), v.examples.tour()), runs))
    change = "How did the Network's language on funding for women peacebuilders change between 2019 and 2026?"
    report("chat: topic question (routed)", timed(lambda i: built.ask(change), runs))
    report("chat: 'What does NAP stand for?' (routed)", timed(lambda i: built.ask("What does NAP stand for?"), runs))

    with tempfile.TemporaryDirectory() as tmp:
        host = AssistantHost.fixed(built)
        client = TestClient(build_api(host, FeedbackStore(Path(tmp) / "feedback.jsonl")))
        print()
        report("API GET /commitments (JSON, all)", timed(lambda i: client.get("/commitments"), runs))
        report("API GET /topic", timed(lambda i: client.get("/topic", params={"q": TOPICS[i % 4]}), runs))
        report("API GET /documents/{id}/guide", timed(lambda i: client.get(f"/documents/{docs[i % 4]}/guide"), runs))
        report("API GET /glossary", timed(lambda i: client.get("/glossary"), runs))
        report("API GET /quiz?n=10", timed(lambda i: client.get("/quiz", params={"n": 10, "seed": i}), runs))
        body = {"items": [item.model_dump() for item in items]}
        report("API POST /briefing (DOCX)", timed(lambda i: client.post("/briefing", json=body), runs))


if __name__ == "__main__":
    main()
