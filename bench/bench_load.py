"""Load on loopback: N clients back to back on POST /api/ask, then M clients through the chat's Gradio
queue (join + event stream, as the page asks); throughput, p50/p95/p99 and errors of each.

.venv/bin/python bench/bench_load.py                       # 20 clients × 60 s, then 5 × 60 s on Gradio
.venv/bin/python bench/bench_load.py --duration 20 --gradio-duration 0 --json
.venv/bin/python bench/bench_load.py --setting ask_threads=40   # any WPS_ setting of the server

Target (issue 18): 20 clients × 60 s, p95 < 0.8 s and 0 errors. The server is a separate process
(``python -m assistant serve``) over the shipped corpus, its index built beforehand by an ingest in
another process, with no rate limit; the clients are threads of this process (the load generator).
With three cores or more the load generator is pinned to one core and the server to the others
(``--pin``); on two cores nothing is pinned, as that would take half the machine from the server,
and the output says so.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx
from benchutil import loadavg, pct
from loadutil import ask_api, ask_event_id, ask_gradio, pin_self, questions, run_clients, served, split_cores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60, help="seconds on /api/ask (default 60)")
    parser.add_argument("--gradio-clients", type=int, default=5)
    parser.add_argument(
        "--gradio-duration", type=float, default=60, help="seconds on the Gradio queue (default 60; 0 = skip)"
    )
    parser.add_argument(
        "--app-root", type=Path, default=None, help="run the server from this checkout (to compare versions)"
    )
    parser.add_argument(
        "--pin",
        choices=["auto", "split", "none"],
        default="auto",
        help="auto: load generator on one core, server on the rest, with 3+ cores (default); split: even on 2",
    )
    parser.add_argument(
        "--setting", action="append", default=[], metavar="NAME=VALUE", help="a WPS_ setting of the server"
    )
    parser.add_argument("--json", action="store_true", help="also print one JSON line of the figures at the end")
    args = parser.parse_args()
    asked = questions()
    settings = dict(s.split("=", 1) for s in args.setting)
    server_cpus, client_cpus, pinned = split_cores(args.pin)
    pin_self(client_cpus)
    result: dict = {"clients": args.clients, "pinned": pinned, "settings": settings}

    print(f"load average before start: {loadavg()}; {pinned}")
    root = {"root": args.app_root.resolve()} if args.app_root else {}
    with served(cpus=server_cpus, **root, **settings) as server:
        print(f"server up at {server.url} in {server.started_s:.1f} s, RSS {server.rss_mb():.0f} MB; load {loadavg()}")

        def api(client, i):
            q = asked[i % len(asked)]
            return ask_api(client, {"question": q["question"], "history": q.get("history", [])})

        run_clients(2, 3, api, server.url)  # warm-up
        started, server_cpu, own_cpu = time.monotonic(), server.cpu_s(), _own_cpu_s()
        tally = run_clients(args.clients, args.duration, api, server.url)
        seconds = time.monotonic() - started
        print(tally.line(f"/api/ask, {args.clients} clients", seconds))
        answers = max(len(tally.latencies), 1)
        result.update(
            server_cpu_ms=round((server.cpu_s() - server_cpu) * 1000 / answers, 1),
            client_cpu_ms=round((_own_cpu_s() - own_cpu) * 1000 / answers, 1),
        )
        print(f"  CPU per answer: server {result['server_cpu_ms']} ms, load generator {result['client_cpu_ms']} ms")
        result.update(
            api_ok=len(tally.latencies),
            api_errors=sum(tally.errors.values()),
            api_per_s=round(len(tally.latencies) / seconds, 2),
            api_p50_ms=round(pct(tally.latencies, 50), 1),
            api_p95_ms=round(pct(tally.latencies, 95), 1),
            load=loadavg(),
            rss_mb=round(server.rss_mb()),
        )
        print(f"  load {result['load']}, server RSS {result['rss_mb']} MB")

        if args.gradio_duration > 0 and args.gradio_clients > 0:
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
            result.update(gradio_p95_ms=round(pct(tally.latencies, 95), 1), gradio_errors=sum(tally.errors.values()))
    if args.json:
        print(json.dumps(result))


def _own_cpu_s() -> float:
    times = os.times()
    return times.user + times.system


if __name__ == "__main__":
    main()
