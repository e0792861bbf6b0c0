"""Helpers for the index-lifecycle tests: real ingest processes (killed at a named step), a real
``chroma run`` server that can be stopped and started again, and what the live generation holds."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from assistant.index.contents import held_documents
from assistant.index.store import Store
from assistant.settings import Settings
from tests.conftest import MINILM_CACHE_ENV, ROOT

KILLPOINT = "tests.ingest.killpoint"


def env_for(settings: Settings, **extra: str) -> dict[str, str]:
    """The environment of a child process configured only through WPS_* variables, running this tree.

    The one WPS_* variable kept is the session's MiniLM export (``WPS_MINILM_CACHE_DIR``, tests/conftest.py):
    without it each child exports MiniLM again into its fresh index folder (~10 s of CPU each)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WPS_") or k == MINILM_CACHE_ENV}
    env |= {
        "PYTHONPATH": str(ROOT),
        "WPS_CORPUS_DIR": str(settings.corpus_dir),
        "WPS_INDEX_DIR": str(settings.index_dir),
    }
    if settings.chroma_host:
        env |= {"WPS_CHROMA_HOST": settings.chroma_host, "WPS_CHROMA_PORT": str(settings.chroma_port)}
    return env | extra


def killed_ingest(settings: Settings, step: str, nth: int = 1, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run a real ingest in a child process that SIGKILLs itself the ``nth`` time it reaches ``step``."""
    return subprocess.run(
        [sys.executable, "-m", KILLPOINT, step, str(nth)],
        env=env_for(settings),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def cli(settings: Settings, *argv: str, timeout: float = 300) -> subprocess.Popen:
    """``python -m assistant ARGV`` as a child process (stdout and stderr piped)."""
    return subprocess.Popen(
        [sys.executable, "-m", "assistant", *argv],
        env=env_for(settings),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def live_documents(settings: Settings) -> dict[str, set[str]]:
    """doc id → the file hashes its nodes carry in the live generation, asserting each is held whole."""
    store = Store.live(settings)
    held = held_documents(store.collection)
    ids = store.collection.get(include=[])["ids"]
    assert len(ids) == len(set(ids)), "a node id appears twice"
    for doc_id, h in held.items():
        assert h.complete, f"{doc_id}: {h.nodes} of {h.expected} nodes in the live generation"
    got = store.collection.get(include=["metadatas"])["metadatas"]
    versions: dict[str, set[str]] = {}
    for meta in got:
        versions.setdefault(meta["doc_id"], set()).add(meta["content_hash"])
    return versions


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ChromaServer:
    """A real Chroma server (the ``chroma`` CLI that ships with chromadb) that can be stopped and restarted."""

    def __init__(self, data: Path, port: int | None = None) -> None:
        self.chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
        assert self.chroma, "the chroma CLI (installed with chromadb) is missing"
        self.data = data
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> ChromaServer:
        self.process = subprocess.Popen(
            [self.chroma, "run", "--path", str(self.data), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while True:
            assert self.process.poll() is None, "chroma run exited"
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/api/v2/heartbeat", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, f"chroma run did not answer within {timeout:.0f} s"
            time.sleep(0.3)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)
        self.process = None


@contextmanager
def chroma_server(data: Path) -> Iterator[ChromaServer]:
    server = ChromaServer(data).start()
    try:
        yield server
    finally:
        server.stop()


class Traffic:
    """Client threads asking questions without pause, counting every response by status code."""

    def __init__(self, base_url: str, questions: list[str], clients: int = 3) -> None:
        self.base_url = base_url
        self.questions = questions
        self.codes: Counter[int] = Counter()
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(clients)]

    def __enter__(self) -> Traffic:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def _run(self, index: int) -> None:
        with httpx.Client(base_url=self.base_url, timeout=60) as client:
            n = index
            while not self._stop.is_set():
                question = self.questions[n % len(self.questions)]
                n += 1
                try:
                    response = client.post("/api/ask", json={"question": question})
                    code = response.status_code
                    if code != 200:
                        self.errors.append(f"{code}: {response.text[:200]}")
                except httpx.HTTPError as exc:
                    code = 0
                    self.errors.append(repr(exc))
                with self._lock:
                    self.codes[code] += 1
