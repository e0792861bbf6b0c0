"""Load on loopback: N clients back to back on POST /api/ask, then M clients through the chat's Gradio
queue (join + event stream, as the page asks); throughput, p50/p95/p99 and errors of each.

.venv/bin/python bench/bench_load.py                       # 20 clients × 60 s, then 5 × 60 s on Gradio
.venv/bin/python bench/bench_load.py --duration 10 --gradio-duration 10

Targets (issue 10): 20 clients, p95 < 1 s and 0 errors. The server is a separate process
(``python -m assistant serve``) over the shipped corpus, with no rate limit; clients are threads here.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchutil import loadavg
from loadutil import ask_api, ask_event_id, ask_gradio, questions, run_clients, served


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60, help="seconds on /api/ask (default 60)")
    parser.add_argument("--gradio-clients", type=int, default=5)
    parser.add_argument("--gradio-duration", type=float, default=60, help="seconds on the Gradio queue (default 60)")
    parser.add_argument(
        "--app-root", type=Path, default=None, help="run the server from this checkout (to compare versions)"
    )
    args = parser.parse_args()
    asked = questions()

    print(f"load average before start: {loadavg()}")
    with served(**({"root": args.app_root.resolve()} if args.app_root else {})) as server:
        print(f"server up at {server.url}, RSS {server.rss_mb():.0f} MB; load {loadavg()}")

        def api(client, i):
            q = asked[i % len(asked)]
            return ask_api(client, {"question": q["question"], "history": q.get("history", [])})

        run_clients(2, 3, api, server.url)  # warm-up
        started = time.monotonic()
        tally = run_clients(args.clients, args.duration, api, server.url)
        print(tally.line(f"/api/ask, {args.clients} clients", time.monotonic() - started))
        print(f"  load {loadavg()}, server RSS {server.rss_mb():.0f} MB")

        import httpx

        with httpx.Client(base_url=server.url) as c:
            fn = ask_event_id(c)
        started = time.monotonic()
        tally = run_clients(
            args.gradio_clients,
            args.gradio_duration,
            lambda client, i: ask_gradio(client, fn, asked[i % len(asked)]["question"]),
            server.url,
        )
        print(tally.line(f"Gradio queue, {args.gradio_clients} clients", time.monotonic() - started))
        print(f"  load {loadavg()}, server RSS {server.rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
