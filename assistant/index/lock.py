"""One writer at a time: an ingest holds a lock from before it reads the pointer until after it switches.

* Always: ``fcntl.flock`` on ``index_dir/ingest.lock``. The kernel releases it when the process dies,
  even by SIGKILL, so a killed ingest never blocks the next one.
* With a Chroma server (several machines may run ``ingest``): also a lease in Chroma itself — the
  collection ``{collection}__lock``. Creating a collection that exists fails, which makes creation a
  test-and-set; the holder refreshes a heartbeat in its metadata, and a lease whose heartbeat is older
  than :data:`LEASE_STALE_SECONDS` (or whose holder, on this machine, is gone) is taken over.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import threading
import time
from typing import Any

from assistant.settings import Settings

LOCK_FILE = "ingest.lock"
LEASE_HEARTBEAT_SECONDS = 10.0
LEASE_STALE_SECONDS = 60.0


class IngestLockedError(RuntimeError):
    """Another ingest holds the lock; the message names it and says what to do."""


def writer_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _describe(holder: dict) -> str:
    started = holder.get("started")
    when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(started)) if started else "an unknown time"
    return f"pid {holder.get('pid', '?')} on {holder.get('host', '?')}, started {when}"


def _locked(holder: dict) -> IngestLockedError:
    return IngestLockedError(
        f"Another ingest is running ({_describe(holder)}). It switches the index when it finishes; this one "
        "stops without changing anything. Run it again afterwards, or pass --wait SECONDS to wait for it."
    )


class WriterLock:
    """``with WriterLock(settings, wait_seconds) as lock: lock.lease(client)`` — :class:`IngestLockedError` if held.

    The file lock comes first and needs no store (``ingest --rebuild`` may have to set damaged store
    files aside before Chroma can be opened); :meth:`lease` then adds the lease with a Chroma server.
    """

    def __init__(self, settings: Settings, wait_seconds: float = 0.0) -> None:
        self.settings = settings
        self.client: Any = None
        self.wait_seconds = wait_seconds
        self._deadline = 0.0
        self.path = settings.index_dir / LOCK_FILE
        self._file = None
        self._stop = threading.Event()
        self._heartbeat: threading.Thread | None = None
        self.holder = {"pid": os.getpid(), "host": socket.gethostname(), "started": time.time()}

    # ------------------------------------------------------------------ the local file lock
    def __enter__(self) -> WriterLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = self.path.open("a+", encoding="utf-8")
        deadline = self._deadline = time.monotonic() + self.wait_seconds
        while True:
            try:
                fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = self._file_holder()
                    self._file.close()
                    raise _locked(holder) from None
                time.sleep(0.5)
        self._file.seek(0)
        self._file.truncate()
        self._file.write(json.dumps(self.holder))
        self._file.flush()
        return self

    def lease(self, client: Any) -> None:
        """With a Chroma server, also hold the lease in Chroma (other machines may run ingest too)."""
        if self.settings.chroma_host and self._heartbeat is None:
            self.client = client
            self._take_lease(self._deadline)

    def __exit__(self, *exc: object) -> None:
        try:
            if self._heartbeat is not None:
                self._stop.set()
                self._heartbeat.join(timeout=5)
                with contextlib.suppress(Exception):  # the server may be gone; the lease then goes stale
                    self.client.delete_collection(self._lease_name)
        finally:
            self._release_file()

    def _release_file(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None

    def _file_holder(self) -> dict:
        try:
            return json.loads(self.path.read_text(encoding="utf-8") or "{}")
        except (OSError, ValueError):
            return {}

    # ------------------------------------------------------------------ the lease in Chroma
    @property
    def _lease_name(self) -> str:
        return f"{self.settings.collection}__lock"

    def _take_lease(self, deadline: float) -> None:
        from chromadb.errors import ChromaError, NotFoundError

        while True:
            try:
                self.client.create_collection(
                    self._lease_name, embedding_function=None, metadata={**self.holder, "heartbeat": time.time()}
                )
                break
            except ChromaError:  # it exists: someone holds it, or held it and died
                try:
                    lease = dict(self.client.get_collection(self._lease_name, embedding_function=None).metadata or {})
                except NotFoundError:
                    continue  # released meanwhile: try again at once
                if self._stale(lease):  # its holder died without releasing it
                    with contextlib.suppress(NotFoundError):
                        self.client.delete_collection(self._lease_name)
                    continue
                if time.monotonic() >= deadline:
                    raise _locked(lease) from None
                time.sleep(0.5)
        self._heartbeat = threading.Thread(target=self._beat, name="ingest-lease", daemon=True)
        self._heartbeat.start()

    def _stale(self, lease: dict) -> bool:
        if time.time() - float(lease.get("heartbeat", 0)) > LEASE_STALE_SECONDS:
            return True
        if lease.get("host") == socket.gethostname():
            try:
                pid = int(lease.get("pid", 0))
                if pid <= 0:
                    return False
                os.kill(pid, 0)
            except ProcessLookupError:
                return True  # its holder on this machine is gone (killed): no need to wait it out
            except (PermissionError, ValueError, OverflowError):
                return False
        return False

    def _beat(self) -> None:
        while not self._stop.wait(LEASE_HEARTBEAT_SECONDS):
            with contextlib.suppress(Exception):
                lease = self.client.get_collection(self._lease_name, embedding_function=None)
                lease.modify(metadata={**self.holder, "heartbeat": time.time()})
