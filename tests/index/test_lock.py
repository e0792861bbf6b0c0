"""One writer at a time: the ingest lock, in one process and between real ingest processes."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest

from assistant.index.lock import IngestLockedError, WriterLock
from assistant.settings import Settings
from tests.conftest import CORPUS, ROOT
from tests.lifecycle import cli


@pytest.mark.unit
def test_a_second_writer_stops_with_a_message_naming_the_first(tmp_path):
    settings = Settings(index_dir=tmp_path / "index")
    with WriterLock(settings):
        with pytest.raises(IngestLockedError, match=r"Another ingest is running \(pid \d+ on .*--wait SECONDS"):
            with WriterLock(settings):
                pass
    with WriterLock(settings):  # released on exit
        pass


@pytest.mark.unit
def test_a_writer_told_to_wait_gets_the_lock_when_the_first_releases_it(tmp_path):
    settings = Settings(index_dir=tmp_path / "index")
    first = WriterLock(settings).__enter__()
    threading.Timer(0.5, first.__exit__, args=(None, None, None)).start()
    started = time.monotonic()

    with WriterLock(settings, wait_seconds=30):
        waited = time.monotonic() - started

    assert waited >= 0.4


@pytest.mark.integration
def test_two_ingests_at_once_one_runs_one_stops_and_a_waiting_one_follows(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index")
    first = cli(settings, "ingest", "--quiet")
    lock_file = settings.index_dir / "ingest.lock"
    deadline = time.monotonic() + 120
    while not (lock_file.exists() and str(first.pid) in lock_file.read_text()):
        assert first.poll() is None, first.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)

    second = cli(settings, "ingest", "--quiet")
    waiting = cli(settings, "ingest", "--quiet", "--wait", "600")
    out, err = second.communicate(timeout=120)

    assert second.returncode == 1
    assert f"Another ingest is running (pid {first.pid}" in err and "Traceback" not in err
    out, err = first.communicate(timeout=600)
    assert first.returncode == 0, err
    assert "1 added" in out
    out, err = waiting.communicate(timeout=300)
    assert waiting.returncode == 0, err
    assert "0 added, 0 updated, 1 unchanged" in out  # it waited, then found the work done


HOLD_LEASE = """
import sys, time
from assistant.index.lock import WriterLock
from assistant.index.client import make_client
from assistant.settings import Settings
settings = Settings()
WriterLock(settings).__enter__().lease(make_client(settings))
print("held", flush=True)
time.sleep(300)
"""


@pytest.mark.integration
def test_with_a_chroma_server_ingests_on_two_machines_exclude_each_other_through_a_lease(tmp_path):
    from assistant.index.client import make_client
    from tests.lifecycle import chroma_server, env_for

    with chroma_server(tmp_path / "chroma") as server:
        # Two machines: two index_dir (two lock files), one server.
        here = Settings(index_dir=tmp_path / "a", chroma_host="127.0.0.1", chroma_port=server.port)
        there = here.model_copy(update={"index_dir": tmp_path / "b"})
        holder = subprocess.Popen(
            [sys.executable, "-c", HOLD_LEASE], env=env_for(there), cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
        assert holder.stdout.readline().strip() == "held"

        with WriterLock(here) as lock, pytest.raises(IngestLockedError, match=f"pid {holder.pid} on "):
            lock.lease(make_client(here))

        holder.send_signal(signal.SIGKILL)  # it dies holding the lease
        holder.wait(timeout=30)
        with WriterLock(here) as lock:  # its holder on this machine is gone: taken over at once
            lock.lease(make_client(here))
        with WriterLock(there) as lock:  # and released again on exit
            lock.lease(make_client(there))
