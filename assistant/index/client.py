"""Chroma's client for the settings: embedded in ``index/`` or a ``chroma run`` server, bounded waits,
and whether the embedded files were replaced under a running process (a rebuild after damage).

Apart from :mod:`assistant.index.store` so the generations (which the store opens) can check the
files without importing the store.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from assistant.index.errors import (
    IndexMissingError,
    IndexUnavailableError,
    damaged,
    first_line,
    missing,
    store_failure,
    unreachable,
)
from assistant.settings import Settings


def make_client(settings: Settings, create: bool = True) -> Any:
    """A Chroma client: HTTP when ``WPS_CHROMA_HOST`` is set, else persistent in ``index_dir``.

    ``create=False`` is for readers (a server, ``ask``): they never create the embedded store's files.
    Opening a path without them makes chromadb create a database and run its migrations, and a reader
    doing so while an ``ingest --rebuild`` creates the same database made the rebuild fail ("table
    collections already exists"); a reader finding no files gets the "no index yet" error instead.

    Raises :class:`~assistant.index.errors.IndexUnavailableError` (damaged files, server down) with a
    message saying what to do, never Chroma's own exception.
    """
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    try:
        if settings.chroma_host:
            client = chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
            _bound_requests(client, settings.chroma_timeout_seconds)
            return client
        if not create and _files(settings) is None:
            raise missing(settings)
        settings.index_dir.mkdir(parents=True, exist_ok=True)
        client = chromadb.PersistentClient(path=str(settings.index_dir), settings=chroma_settings)
        _remember_files(client, settings)
        return client
    except IndexMissingError:
        raise
    except Exception as exc:
        forget_client(settings)
        failure = store_failure(exc, settings)
        if failure is None:
            raise
        if not settings.chroma_host and failure.state == IndexUnavailableError.state:
            failure = damaged(settings, first_line(exc))  # any failure to open local files is damage
        raise failure from exc


def forget_client(settings: Settings) -> None:
    """Drop Chroma's per-path system cache, so the next client reopens the files from scratch.

    chromadb keeps one ``System`` per persist directory for the whole process, and keeps it even when
    opening the files failed; a store rebuilt after damage would otherwise never be seen.
    """
    if settings.chroma_host:
        return
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient._identifier_to_system.pop(str(settings.index_dir), None)


def _files(settings: Settings) -> tuple[int, int] | None:
    """Which ``chroma.sqlite3`` is on disk now (device and inode), None before the first write."""
    try:
        st = (settings.index_dir / "chroma.sqlite3").stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _remember_files(client: Any, settings: Settings) -> None:
    """Note on the client's chromadb ``System`` (shared by every client of the path) which files it opened."""
    system = _system_of(client)
    if system is not None and getattr(system, "_wps_files", None) is None:
        system._wps_files = _files(settings)


def _system_of(client: Any) -> Any:
    """The client's chromadb ``System``, or None. A client keeps working after :func:`forget_client`
    dropped its path's system (it holds its own API object), but its ``_system`` property then raises
    ``KeyError``: another thread of this process (the host, seeing a half-written index as damaged)
    may drop it while an ingest writes through the client."""
    try:
        return client._system
    except (AttributeError, KeyError):
        return None


def files_replaced(client: Any, settings: Settings) -> bool:
    """Whether the embedded store's files were replaced (set aside and rebuilt) since ``client`` opened them.

    The process keeps reading the files it opened — the moved-aside ones — whatever is on disk now, so a
    rebuild under a running server is seen only this way.
    """
    if settings.chroma_host:
        return False
    system = _system_of(client)
    opened = getattr(system, "_wps_files", None)
    now = _files(settings)
    if system is not None and opened is None:
        system._wps_files = now  # the first write of this client created the file
        return False
    return opened is not None and now != opened


def set_aside(settings: Settings) -> Path:
    """Move the embedded store's files (never anything else) into ``index_dir/damaged-<time>/``.

    For ``ingest --rebuild`` when they cannot be opened: the index is rebuilt from the corpus, and the
    damaged files are kept for inspection rather than deleted.
    """
    aside = settings.index_dir / time.strftime("damaged-%Y%m%d-%H%M%S")
    aside.mkdir(parents=True, exist_ok=True)
    for path in settings.index_dir.iterdir():
        if path.name.startswith("chroma.sqlite3") or (path.is_dir() and _SEGMENT_DIR.fullmatch(path.name)):
            path.replace(aside / path.name)
    forget_client(settings)
    return aside


_SEGMENT_DIR = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _bound_requests(client: Any, seconds: float) -> None:
    """chromadb's HTTP client waits forever (timeout=None); a hung server must not hang every request."""
    import httpx

    session = getattr(getattr(client, "_server", None), "_session", None)
    if isinstance(session, httpx.Client):
        session.timeout = httpx.Timeout(seconds)


def heartbeat(client: Any, settings: Settings) -> None:
    """Raise :class:`~assistant.index.errors.StoreUnreachableError` unless the store answers."""
    try:
        client.heartbeat()
    except Exception as exc:
        raise (store_failure(exc, settings) or unreachable(settings)) from exc
