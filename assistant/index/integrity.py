"""Is the embedded store whole? A check of its files that Chroma itself never makes.

Chroma reads ``chroma.sqlite3`` page by page and the vector files of each collection as it needs them:
damage in the middle of a file shows up as an odd error in one read and not the next (or as Chroma's
internal crash), which looks like a passing fault. :func:`damage` asks SQLite itself
(``PRAGMA quick_check``, read-only) and looks for every vector file the store names, so that a damaged
index is called damaged — with a plain reason — and ``ingest --rebuild`` sets it aside.

The result is kept while the files are unchanged (same sizes and modification times), so the health
check can ask on every call.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from assistant.settings import Settings

SQLITE = "chroma.sqlite3"
VECTOR_FILES = ("header.bin", "data_level0.bin", "length.bin", "link_lists.bin")

_cache: dict[str, tuple[tuple, str | None]] = {}
_lock = threading.Lock()


def _stamp(index_dir: Path) -> tuple:
    """Sizes and modification times of every file of the store (cheap: one stat each)."""
    out = []
    for path in sorted(index_dir.glob("*")):
        if path.name.startswith(SQLITE) or path.is_dir():
            files = [path] if path.is_file() else sorted(p for p in path.iterdir() if p.is_file())
            for f in files:
                try:
                    st = f.stat()
                except OSError:
                    continue
                out.append((str(f), st.st_size, st.st_mtime_ns, st.st_ino))
    return tuple(out)


def damage(settings: Settings) -> str | None:
    """Why the embedded store's files are damaged, in plain words; None when they are whole (or absent,
    or the store is a Chroma server)."""
    if settings.chroma_host:
        return None
    index_dir = settings.index_dir
    if not (index_dir / SQLITE).exists():
        return None
    key = str(index_dir)
    stamp = _stamp(index_dir)
    with _lock:
        cached = _cache.get(key)
        if cached and cached[0] == stamp:
            return cached[1]
    try:
        reason = _check(index_dir)
    except _Busy:
        return None  # a writer holds the file: nothing is known, and nothing is kept
    with _lock:
        _cache[key] = (stamp, reason)
    return reason


class _Busy(Exception):
    """SQLite could not read the file now (locked by a writer): no verdict either way."""


def _verdict(exc: sqlite3.Error) -> str:
    if isinstance(exc, sqlite3.OperationalError) and any(w in str(exc).lower() for w in ("locked", "busy")):
        raise _Busy from exc
    return f"its database file is damaged ({exc})"


def _check(index_dir: Path) -> str | None:
    try:
        db = sqlite3.connect(f"file:{index_dir / SQLITE}?mode=ro", uri=True, timeout=1)
    except sqlite3.Error as exc:
        return _verdict(exc)
    try:
        rows = db.execute("PRAGMA quick_check").fetchall()
        if [r[0] for r in rows] != ["ok"]:
            return f"its database file is damaged ({'; '.join(str(r[0]) for r in rows[:3])[:200]})"
        segments = db.execute(
            "SELECT s.id FROM segments s WHERE s.scope = 'VECTOR' AND EXISTS ("
            " SELECT 1 FROM segments m JOIN embeddings e ON e.segment_id = m.id"
            " WHERE m.collection = s.collection AND m.scope = 'METADATA')"
        ).fetchall()
    except sqlite3.Error as exc:
        return _verdict(exc)
    finally:
        db.close()
    for (segment,) in segments:
        folder = index_dir / str(segment)
        if not folder.is_dir():
            continue  # a collection whose vectors Chroma has not written out yet (it replays them)
        missing = [name for name in VECTOR_FILES if not (folder / name).is_file()]
        if missing:
            return f"vector files are missing ({folder.name}/{', '.join(missing)})"
        if (folder / "header.bin").stat().st_size == 0 or (folder / "data_level0.bin").stat().st_size == 0:
            return f"vector files are empty ({folder.name})"
    return None
