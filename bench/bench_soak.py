"""Soak: a few clients asking for a long time (default 10 minutes); the server's resident memory at the
start (after a warm-up) and at the end, sampled on the way, and the requests' latency and errors.

.venv/bin/python bench/bench_soak.py                  # 10 minutes, 4 clients
.venv/bin/python bench/bench_soak.py --duration 120   # shorter
.venv/bin/python bench/bench_soak.py --questions 1000 --warmup 0 --json   # issue 18's row

Targets: RSS growth < 5 % (issue 10); resident memory after 1,000 questions <= 600 MB (issue 18).
Questions cycle through the question set with their histories, a fifth of them through the chat's
Gradio queue, so both paths' per-session state is exercised. The index is built beforehand by an
ingest in another process, so the server's memory is serving alone (as a restarted ``serve``).
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx
from benchutil import loadavg
from loadutil import ask_api, ask_event_id, ask_gradio, questions, run_clients, served


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=600, help="seconds (default 600)")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--warmup", type=float, default=30, help="seconds of load before the first RSS (default 30)")
    parser.add_argument("--sample", type=float, default=60, help="seconds between RSS samples (default 60)")
    parser.add_argument("--questions", type=int, default=None, help="stop after this many questions (not the time)")
    parser.add_argument("--json", action="store_true", help="also print one JSON line of the figures at the end")
    args = parser.parse_args()
    asked = questions()
    duration = args.duration if args.questions is None else 24 * 3600.0

    with served() as server:
        with httpx.Client(base_url=server.url) as c:
            fn = ask_event_id(c)

        def one(client, i):
            q = asked[i % len(asked)]
            if i % 5 == 0:
                return ask_gradio(client, fn, q["question"])
            return ask_api(client, {"question": q["question"], "history": q.get("history", [])})

        up_rss = server.rss_mb()
        print(f"server up, RSS {up_rss:.0f} MB; load {loadavg()}; warm-up {args.warmup:.0f} s")
        run_clients(args.clients, args.warmup, one, server.url)
        start_rss = server.rss_mb()
        print(f"RSS at start (after warm-up): {start_rss:.0f} MB")
        samples: list[tuple[float, float]] = []
        done = threading.Event()

        def sampler() -> None:
            t0 = time.monotonic()
            while not done.wait(args.sample):
                samples.append((time.monotonic() - t0, server.rss_mb()))
                print(f"  {samples[-1][0]:5.0f} s: RSS {samples[-1][1]:.0f} MB, load {loadavg()}", flush=True)

        watcher = threading.Thread(target=sampler, daemon=True)
        watcher.start()
        started = time.monotonic()
        tally = run_clients(args.clients, duration, one, server.url, total=args.questions)
        done.set()
        end_rss = server.rss_mb()
        print(tally.line(f"soak, {args.clients} clients", time.monotonic() - started))
        growth = (end_rss - start_rss) / start_rss * 100
        asked_n = len(tally.latencies) + sum(tally.errors.values())
        print(
            f"RSS after {asked_n} questions: {end_rss:.0f} MB (target <= 600 MB); growth {growth:+.1f} % "
            f"(target < 5 %); peak sample {max([s for _, s in samples] + [end_rss]):.0f} MB; load {loadavg()}"
        )
    if args.json:
        result = {
            "questions": asked_n,
            "errors": sum(tally.errors.values()),
            "rss_up_mb": round(up_rss),
            "rss_start_mb": round(start_rss),
            "rss_end_mb": round(end_rss),
            "growth_pct": round(growth, 1),
            "load": loadavg(),
        }
        print(json.dumps(result))


if __name__ == "__main__":
    main()
