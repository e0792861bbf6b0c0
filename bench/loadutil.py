"""Helpers for the load benchmarks (not a benchmark itself): a served app in its own process, clients
that ask over HTTP (the JSON API or the chat's Gradio queue), and the figures they print.

The server is ``python -m assistant serve`` over a copy of the shipped corpus in a temporary folder,
on a free loopback port, so its memory (RSS from /proc) is its own and never the clients'.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from benchutil import PYTHON, ROOT, SHIPPED, pct

QUESTIONS = ROOT / "tests" / "data" / "questions.jsonl"
OFFLINE = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ORT_DISABLE_TELEMETRY": "1",
}


def questions() -> list[dict]:
    return [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    pid: int
    started_s: float = float("nan")  # from the process start to /api/health answering 200
    cpus: frozenset[int] | None = None  # the cores it is pinned to, None when not pinned

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def cpu_s(self) -> float:
        """CPU seconds (user + system, all threads) the server has used so far: divided by the answers,
        a cost per answer that other work on a shared machine hardly changes, unlike latency."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def split_cores(pin: str = "auto") -> tuple[frozenset[int] | None, frozenset[int] | None, str]:
    """(server's cores, load generator's cores, a sentence saying what was pinned).

    ``auto`` pins the load generator to one core and the server to the others when there are at least
    three; with fewer, pinning would take half the machine from the server, so nothing is pinned (and
    the figures then include the clients' own CPU). ``split`` pins even then; ``none`` never pins.
    """
    try:
        cores = sorted(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return None, None, "not pinned (no CPU affinity on this system)"
    if pin == "none" or (pin == "auto" and len(cores) < 3) or len(cores) < 2:
        return None, None, f"not pinned: {len(cores)} cores shared by the server and the load generator"
    server, clients = frozenset(cores[:-1]), frozenset(cores[-1:])
    return server, clients, f"server pinned to cores {sorted(server)}, load generator to {sorted(clients)}"


def pin_self(cpus: frozenset[int] | None) -> None:
    """Pin this process (the load generator) to ``cpus``, if given."""
    if cpus:
        os.sched_setaffinity(0, cpus)


def build_index(corpus: Path, index: Path, root: Path = ROOT) -> float:
    """Ingest ``corpus`` into ``index`` in its own process (so the server's memory never holds an
    ingest); the seconds it took."""
    env = {**os.environ, **OFFLINE, "PYTHONPATH": str(root), "WPS_CORPUS_DIR": str(corpus), "WPS_INDEX_DIR": str(index)}
    started = time.perf_counter()
    subprocess.run(
        [PYTHON, "-m", "assistant", "ingest", "--quiet"], cwd=root, env=env, check=True, stdout=subprocess.DEVNULL
    )
    return time.perf_counter() - started


@contextlib.contextmanager
def served(
    corpus: Path = SHIPPED,
    root: Path = ROOT,
    prebuilt: bool = True,
    cpus: frozenset[int] | None = None,
    index: Path | None = None,
    **settings: object,
) -> Iterator[Server]:
    """The app in its own process (``WPS_<NAME>`` for each setting given), stopped on exit.

    ``root`` is the checkout the server runs from (another one, to compare two versions). With
    ``prebuilt`` the index is built first by ``python -m assistant ingest`` in another process and the
    server starts without its start-up ingest, so what it holds in memory is serving alone; without,
    the server builds the index itself (as a first ``serve`` does). ``index`` reuses an index folder
    (built when missing); ``cpus`` pins the server to those cores.
    """
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        index = index or Path(tmp) / "index"
        if prebuilt and not index.exists():
            build_index(corpus, index, root)
        env = {
            **os.environ,
            **OFFLINE,
            "PYTHONPATH": str(root),
            "WPS_CORPUS_DIR": str(corpus),
            "WPS_INDEX_DIR": str(index),
            "WPS_FEEDBACK_PATH": str(Path(tmp) / "feedback.jsonl"),
            "WPS_PORT": str(port),
            **({"WPS_INGEST_ON_START": "false"} if prebuilt else {}),
            # As scripts/start.sh serves: two malloc arenas, not one per thread (resident memory).
            "MALLOC_ARENA_MAX": os.environ.get("MALLOC_ARENA_MAX", "2"),
            **{f"WPS_{k.upper()}": str(v) for k, v in settings.items()},
        }
        log = open(Path(tmp) / "server.log", "w")  # noqa: SIM115 (closed below)
        started = time.perf_counter()
        proc = subprocess.Popen(
            [PYTHON, "-m", "assistant", "serve"],
            cwd=root,
            env=env,
            stdout=log,
            stderr=log,
        )
        if cpus:  # at once, before the server starts its threads (which inherit it)
            os.sched_setaffinity(proc.pid, cpus)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 300
            while True:
                if proc.poll() is not None:
                    raise RuntimeError("the server exited:\n" + (Path(tmp) / "server.log").read_text()[-3000:])
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(url + "/api/health", timeout=2).status_code == 200:
                        break
                if time.monotonic() > deadline:
                    raise RuntimeError("the server did not start within 300 s")
                time.sleep(0.05)
            yield Server(url, proc.pid, time.perf_counter() - started, cpus)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            log.close()


@dataclass
class Tally:
    """Latencies (ms) of successful requests and the failures, by kind, from any number of threads."""

    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def ok(self, ms: float) -> None:
        with self.lock:
            self.latencies.append(ms)

    def fail(self, kind: str) -> None:
        with self.lock:
            self.errors[kind] = self.errors.get(kind, 0) + 1

    def line(self, name: str, seconds: float) -> str:
        done, failed = len(self.latencies), sum(self.errors.values())
        lat = self.latencies
        shape = f"p50 {pct(lat, 50):.0f} ms, p95 {pct(lat, 95):.0f} ms, p99 {pct(lat, 99):.0f} ms"
        return (
            f"{name}: {done} ok, {failed} errors {self.errors or ''} in {seconds:.0f} s = {done / seconds:.1f}/s; "
            f"{shape}, max {max(lat, default=0):.0f} ms"
        )


def ask_api(client: httpx.Client, body: dict) -> str | None:
    """One POST /api/ask; None when it answered, else what went wrong."""
    try:
        response = client.post("/api/ask", json=body)
    except httpx.HTTPError as exc:
        return type(exc).__name__
    return None if response.status_code == 200 and response.json().get("answer") else f"HTTP {response.status_code}"


def ask_event_id(client: httpx.Client) -> int:
    config = client.get("/config").json()
    return next(d["id"] for d in config["dependencies"] if d.get("api_name") == "ask")


def ask_gradio(client: httpx.Client, fn_index: int, question: str) -> str | None:
    """One question through the chat's queue, as the page asks it: join, then read the event stream."""
    session = uuid.uuid4().hex
    body = {"data": [question, [], None, [], []], "fn_index": fn_index, "session_hash": session, "trigger_id": None}
    try:
        joined = client.post("/gradio_api/queue/join", json=body)
        if joined.status_code != 200:
            return f"join HTTP {joined.status_code}"
        buffer = b""
        with client.stream("GET", "/gradio_api/queue/data", params={"session_hash": session}) as stream:
            for chunk in stream.iter_bytes():
                buffer += chunk
                *lines, buffer = buffer.split(b"\n")
                for line in lines:
                    if line.startswith(b"data:"):
                        message = json.loads(line[5:])
                        if message.get("msg") == "process_completed":
                            return None if message.get("success") else "event failed"
        return "stream ended early"
    except httpx.HTTPError as exc:
        return type(exc).__name__


def run_clients(
    n: int,
    seconds: float,
    one_request: Callable[[httpx.Client, int], str | None],
    url: str,
    total: int | None = None,
) -> Tally:
    """``n`` threads, each sending requests back to back for ``seconds`` (or until ``total`` requests
    were sent, when given); one Tally for all."""
    tally = Tally()
    end = time.monotonic() + seconds
    sent = itertools.count()

    def client_loop(k: int) -> None:
        with httpx.Client(base_url=url, timeout=120) as client:
            i = k
            while time.monotonic() < end and (total is None or next(sent) < total):
                started = time.perf_counter()
                error = one_request(client, i)
                if error is None:
                    tally.ok((time.perf_counter() - started) * 1000)
                else:
                    tally.fail(error)
                i += n

    threads = [threading.Thread(target=client_loop, args=(k,), daemon=True) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return tally
