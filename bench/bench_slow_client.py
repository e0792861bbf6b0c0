"""Other users' latency while some clients send maximum-size requests: a history that fills the body
limit (WPS_MAX_BODY_BYTES, 1 MiB by default) on every request, back to back.

.venv/bin/python bench/bench_slow_client.py                      # 5 users; 4 heavy clients; 30 s each phase
.venv/bin/python bench/bench_slow_client.py --heavy 8 --duration 60

Prints the users' p50/p95 alone, then beside the heavy clients, and the heavy requests' own latency
and status (a body over the limit is refused with 413 before it is read: one such request is sent
too, and one of 100 MB, with the server's RSS around it). Target (issue 10): the users' p95 < 1.5 s
during the heavy phase. The issue's probe, before the limits: four 17 kB requests of 800 turns tied
the CPU for ~2 minutes and took the users' p50 from 35 ms to 665 ms.
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
from benchutil import loadavg, pct
from loadutil import Tally, ask_api, questions, run_clients, served

LIMIT = 1_048_576
FOLLOW_UP = "and what about funding for it?"


def heavy_body(limit: int) -> dict:
    """A question whose history of chained follow-ups fills the body to just under ``limit``."""
    turn = FOLLOW_UP + " " + "x" * 950  # each turn near the 1,000-character limit for a question
    history = ["What does the communiqué say about gender-sensitive early warning?"]
    size = len(json.dumps({"question": FOLLOW_UP, "history": history}))
    while size + len(turn) + 4 < limit:
        history.append(turn)
        size += len(turn) + 4
    return {"question": FOLLOW_UP, "history": history}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=5)
    parser.add_argument("--heavy", type=int, default=4, help="clients sending maximum-size requests (default 4)")
    parser.add_argument("--duration", type=float, default=30, help="seconds of each phase (default 30)")
    args = parser.parse_args()
    asked = questions()
    body = heavy_body(LIMIT)
    payload = json.dumps(body).encode()
    print(f"maximum-size request: {len(payload):,} bytes, {len(body['history'])} history turns")

    def user(client, i):
        q = asked[i % len(asked)]
        return ask_api(client, {"question": q["question"], "history": q.get("history", [])})

    with served(max_body_bytes=LIMIT) as server:
        run_clients(2, 3, user, server.url)  # warm-up
        alone = run_clients(args.users, args.duration, user, server.url)
        print(alone.line(f"users alone ({args.users})", args.duration) + f"; load {loadavg()}")

        heavy = Tally()
        stop = threading.Event()

        def heavy_loop() -> None:
            with httpx.Client(base_url=server.url, timeout=300) as client:
                while not stop.is_set():
                    started = time.perf_counter()
                    response = client.post("/api/ask", content=payload, headers={"Content-Type": "application/json"})
                    if response.status_code == 200:
                        heavy.ok((time.perf_counter() - started) * 1000)
                    else:
                        heavy.fail(f"HTTP {response.status_code}")

        threads = [threading.Thread(target=heavy_loop, daemon=True) for _ in range(args.heavy)]
        for t in threads:
            t.start()
        beside = run_clients(args.users, args.duration, user, server.url)
        stop.set()
        for t in threads:
            t.join()
        print(beside.line(f"users beside {args.heavy} heavy clients", args.duration) + f"; load {loadavg()}")
        print(heavy.line(f"heavy requests ({len(payload) / 1e6:.2f} MB each)", args.duration))
        over = httpx.post(
            server.url + "/api/ask", content=payload + b" " * 2048, headers={"Content-Type": "application/json"}
        )
        print(f"a body over the limit: HTTP {over.status_code} {over.json().get('detail')}")
        before = server.rss_mb()
        started = time.perf_counter()
        try:  # the probe: one 100 MB request cost ~750 MB that was never given back
            huge = httpx.post(server.url + "/api/ask", content=b" " * 100_000_000, timeout=120)
            status = f"HTTP {huge.status_code}"
        except httpx.HTTPError as exc:  # the server may close the connection once it has said 413
            status = type(exc).__name__
        print(
            f"a 100 MB body: {status} after {(time.perf_counter() - started) * 1000:.0f} ms; "
            f"server RSS {before:.0f} → {server.rss_mb():.0f} MB"
        )
        print(
            f"users' p95: alone {pct(alone.latencies, 95):.0f} ms, beside heavy clients "
            f"{pct(beside.latencies, 95):.0f} ms (target < 1500 ms); server RSS {server.rss_mb():.0f} MB"
        )


if __name__ == "__main__":
    main()
