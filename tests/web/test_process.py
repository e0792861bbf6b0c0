"""``wps-assistant serve`` as an operator runs it, a real process.

It stops when told (SIGTERM, as an orchestrator sends it) within WPS_SHUTDOWN_SECONDS, even with a
browser tab open: Gradio's heartbeat streams never end by themselves, and uvicorn waited for them for
ever. And it writes users' feedback beside the index, never into its working directory (a checkout of
the project, where ``git add -A`` would commit users' questions)."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
import uuid

import httpx
import pytest

from assistant.settings import Settings
from tests.conftest import ROOT
from tests.lifecycle import env_for, free_port

pytestmark = pytest.mark.integration

HOSTILE = ROOT / "tests" / "data" / "hostile"


@pytest.fixture(scope="module")
def indexed(tmp_path_factory, embed_model) -> Settings:
    from assistant.ingest.pipeline import ingest_corpus

    settings = Settings(corpus_dir=HOSTILE, index_dir=tmp_path_factory.mktemp("shutdown") / "index", e5="off")
    ingest_corpus(settings, embed_model, show_progress=False)
    return settings


def _start(settings: Settings, cwd, **env: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "assistant", "serve", "--port", str(port)],
        env=env_for(settings, WPS_INGEST_ON_START="false", WPS_E5="off", **env),
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        assert server.poll() is None, server.communicate()[1][-2000:]
        try:
            if httpx.get(f"{url}/api/health", timeout=5).status_code == 200:
                return server, url
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.3)


def _stop(server: subprocess.Popen) -> str:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    return server.communicate(timeout=30)[1]


def test_feedback_is_written_beside_the_index_not_in_the_working_directory(indexed, tmp_path):
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    server, url = _start(indexed, checkout)
    try:
        answer = httpx.post(f"{url}/api/ask", json={"question": "What do members fund?"}, timeout=60).json()
        posted = httpx.post(f"{url}/api/feedback", json={"rating": "up", "answer": answer}, timeout=60)
        assert posted.status_code == 201
    finally:
        _stop(server)
    assert list(checkout.iterdir()) == []
    assert (indexed.index_dir / "feedback.jsonl").read_text(encoding="utf-8").count("\n") >= 1
    ignored = subprocess.run(["git", "check-ignore", "-q", "index/feedback.jsonl"], cwd=ROOT, check=False)
    assert ignored.returncode == 0, "feedback beside the shipped index/ is not ignored by git"


def _hold(url: str, opened: threading.Event) -> None:
    """A browser tab: its heartbeat stream, held open until the server goes."""
    try:
        with httpx.stream("GET", url, timeout=httpx.Timeout(5, read=None)) as stream:
            opened.set()
            for _ in stream.iter_bytes():
                pass
    except httpx.HTTPError:
        pass


def test_sigterm_stops_the_server_within_its_bound_with_a_browser_tab_open(indexed):
    server, url = _start(indexed, ROOT, WPS_SHUTDOWN_SECONDS="3")
    try:
        tabs = []
        for path in (f"/gradio_api/heartbeat/{uuid.uuid4().hex}", f"/embed/gradio_api/heartbeat/{uuid.uuid4().hex}"):
            opened = threading.Event()
            tab = threading.Thread(target=_hold, args=(url + path, opened), daemon=True)
            tab.start()
            assert opened.wait(30), "the heartbeat stream did not open"
            tabs.append(tab)

        stopped = time.monotonic()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)  # before: still running 40 s later
        assert time.monotonic() - stopped < 3 + 5
    finally:
        if server.poll() is None:
            server.kill()
        _, err = server.communicate(timeout=30)
    assert "Traceback" not in err and "ERROR" not in err, err[-2000:]
