"""A damaged ``chroma.sqlite3`` (truncated, or random bytes): every command says what to run, the
running app answers 503 with the same message and recovers by itself after ``ingest --rebuild``.

All commands run as real child processes on the damaged files, as an operator would meet them.
"""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time

import httpx
import pytest

from assistant.pipeline.assistant import Assistant
from assistant.settings import Settings
from tests.conftest import FOUR_PILLARS, ROOT
from tests.lifecycle import cli, env_for, free_port

pytestmark = pytest.mark.integration

REBUILD = "wps-assistant ingest --rebuild"


def _damage(sqlite, how: str) -> None:
    size = sqlite.stat().st_size
    if how == "truncated":
        with sqlite.open("r+b") as f:
            f.truncate(size // 2)
    else:
        sqlite.write_bytes(random.Random(11).randbytes(size))


@pytest.fixture(scope="module")
def built(shipped: Assistant) -> Settings:
    """A good index of the shipped corpus (the session's, built once), copied for each test to damage."""
    return shipped.settings


def _damaged_copy(built: Settings, tmp_path, how: str) -> Settings:
    shutil.copytree(built.index_dir, tmp_path / "index")
    settings = built.model_copy(update={"index_dir": tmp_path / "index"})
    _damage(settings.index_dir / "chroma.sqlite3", how)
    return settings


@pytest.mark.parametrize("how", ["truncated", "random"])
def test_ask_and_ingest_on_a_damaged_index_name_the_rebuild_command(built, tmp_path, how):
    settings = _damaged_copy(built, tmp_path, how)
    for argv in (["ask", FOUR_PILLARS], ["ingest", "--quiet"]):
        out, err = cli(settings, *argv).communicate(timeout=300)
        assert "cannot be read" in err and REBUILD in err, (argv, err)
        assert "Traceback" not in out + err



def test_serve_on_a_damaged_index_keeps_running_with_503_and_recovers_after_a_rebuild(built, tmp_path):
    settings = _damaged_copy(built, tmp_path, "random")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "assistant", "serve", "--port", str(port)],
        env=env_for(settings, WPS_INDEX_CHECK_SECONDS="0.5"),  # with its start-up ingest, as shipped
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        health = _wait(url, lambda r: r.status_code == 503)
        assert health.json()["status"] == "damaged" and REBUILD in health.json()["detail"]
        assert health.headers["retry-after"]
        ask = httpx.post(f"{url}/api/ask", json={"question": FOUR_PILLARS}, timeout=60)
        assert ask.status_code == 503 and REBUILD in ask.json()["detail"]
        page = httpx.get(f"{url}/", timeout=60)
        assert page.status_code == 200 and "The index is unavailable" in page.text and REBUILD in page.text

        rebuild = cli(settings, "ingest", "--quiet", "--rebuild")
        out, err = rebuild.communicate(timeout=600)
        assert rebuild.returncode == 0, err
        # Numbered on from the damaged files' generations: a reader on their generation 1 must see a change.
        assert "1 added" in out and "generation 2 is live" in out
        (aside,) = settings.index_dir.glob("damaged-*")
        assert (aside / "chroma.sqlite3").stat().st_size > 0  # kept for inspection, not deleted

        health = _wait(url, lambda r: r.status_code == 200)
        assert health.json()["status"] == "ok"
        ask = httpx.post(f"{url}/api/ask", json={"question": FOUR_PILLARS}, timeout=60)
        assert ask.status_code == 200 and not ask.json()["abstained"]
    finally:
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=60)
    assert "Traceback" not in out + err


def _serve(settings: Settings) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "assistant", "serve", "--port", str(port)],
        env=env_for(settings, WPS_INDEX_CHECK_SECONDS="0.5", WPS_INGEST_ON_START="false"),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    return server, f"http://127.0.0.1:{port}"


def test_a_rebuild_under_a_running_server_heals_it_and_health_tells_the_truth_meanwhile(built, tmp_path):
    shutil.copytree(built.index_dir, tmp_path / "index")
    settings = built.model_copy(update={"index_dir": tmp_path / "index"})
    server, url = _serve(settings)
    try:
        before = _wait(url, lambda r: r.status_code == 200).json()
        assert before["status"] == "ok" and before["index_id"]
        _damage(settings.index_dir / "chroma.sqlite3", "truncated")  # under the running server

        health = _wait(url, lambda r: r.status_code == 503, timeout=30)
        assert health.json()["status"] == "damaged" and REBUILD in health.json()["detail"]
        assert str(tmp_path) not in health.text  # the open health check shows no server path
        assert httpx.post(f"{url}/api/ask", json={"question": FOUR_PILLARS}, timeout=60).status_code == 503
        assert httpx.get(f"{url}/api/topic", params={"q": "early warning"}, timeout=60).status_code == 503

        rebuild = cli(settings, "ingest", "--quiet", "--rebuild")
        out, err = rebuild.communicate(timeout=600)
        assert rebuild.returncode == 0, err
        assert list(settings.index_dir.glob("damaged-*")), "the damaged files were not set aside"

        after = _wait(url, lambda r: r.status_code == 200, timeout=60).json()
        assert after["index_id"] != before["index_id"] and after["generation"] != before["generation"]
        ask = httpx.post(f"{url}/api/ask", json={"question": FOUR_PILLARS}, timeout=60)
        assert ask.status_code == 200 and not ask.json()["abstained"]
        assert httpx.get(f"{url}/api/topic", params={"q": "early warning"}, timeout=60).status_code == 200
    finally:
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=60)
    assert "Traceback" not in out + err


def _damage_inside(sqlite) -> None:
    """Random bytes over pages in the middle of the file, its size and header left as they were."""
    size = sqlite.stat().st_size
    with sqlite.open("r+b") as f:
        f.seek(size // 3)
        f.write(random.Random(5).randbytes(min(256 * 1024, size // 3)))


def _vector_files(settings: Settings):
    return [p for p in settings.index_dir.glob("*/data_level0.bin") if "damaged-" not in str(p)]


@pytest.mark.parametrize("how", ["inside", "vector-file-deleted"])
def test_damage_inside_the_store_is_called_damage_and_a_rebuild_always_sets_it_aside(built, tmp_path, how):
    shutil.copytree(built.index_dir, tmp_path / "index")
    settings = built.model_copy(update={"index_dir": tmp_path / "index"})
    if how == "inside":
        _damage_inside(settings.index_dir / "chroma.sqlite3")
    else:
        for path in _vector_files(settings):
            path.unlink()

    out, err = cli(settings, "ask", FOUR_PILLARS).communicate(timeout=300)
    assert "cannot be read" in err and REBUILD in err, err
    assert "ask again shortly" not in err

    rebuild = cli(settings, "ingest", "--quiet", "--rebuild")
    out, err = rebuild.communicate(timeout=600)
    assert rebuild.returncode == 0, err
    assert "Traceback" not in out + err and "moved to" in err
    assert list(settings.index_dir.glob("damaged-*"))
    asked = cli(settings, "ask", FOUR_PILLARS)
    out, err = asked.communicate(timeout=300)
    assert asked.returncode == 0 and "[1]" in out, err


def _wait(url: str, ok, timeout: float = 180) -> httpx.Response:
    """/api/health once it satisfies ``ok`` (the server starts, then follows the store)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            response = httpx.get(f"{url}/api/health", timeout=10)
            if ok(response):
                return response
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, "health never reached the expected state"
        time.sleep(0.3)
