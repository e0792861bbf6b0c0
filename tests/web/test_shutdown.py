"""The server stops when told (SIGTERM, as an orchestrator sends it), within WPS_SHUTDOWN_SECONDS, even
with a browser tab open: Gradio's heartbeat stream and a question's event stream never end by
themselves, and uvicorn would wait for them for ever."""

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
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "assistant", "serve", "--port", str(port)],
        env=env_for(indexed, WPS_INGEST_ON_START="false", WPS_E5="off", WPS_SHUTDOWN_SECONDS="3"),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{url}/api/health", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.3)
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
