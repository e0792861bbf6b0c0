"""Why the index cannot answer right now, as errors whose message says what to do.

Every command and the web app show these messages as they are (never a traceback): the CLI prints
them, the API returns them with 503, the chat page shows them in place of an answer.
:func:`store_failure` turns what Chroma, SQLite or the HTTP client raise into one of them.
"""

from __future__ import annotations

import sqlite3

from assistant.settings import Settings

REBUILD = "wps-assistant ingest --rebuild"
INGEST = "wps-assistant ingest"


class IndexUnavailableError(RuntimeError):
    """The index cannot answer now; ``state`` names why for /api/health."""

    state = "unavailable"


class IndexMissingError(IndexUnavailableError):
    """No complete index generation exists yet."""

    state = "missing"


class IndexBuildingError(IndexMissingError):
    """No complete generation yet, and an ingest is building the first one."""

    state = "building"


class IndexDamagedError(IndexUnavailableError):
    """The embedded store's files cannot be read."""

    state = "damaged"


class StoreUnreachableError(IndexUnavailableError):
    """The Chroma server does not answer."""

    state = "unreachable"


def where(settings: Settings) -> str:
    if settings.chroma_host:
        return f"the Chroma server at {settings.chroma_host}:{settings.chroma_port}"
    return f"{settings.index_dir}"


def missing(settings: Settings) -> IndexMissingError:
    return IndexMissingError(
        f"There is no index yet in {where(settings)}: run `{INGEST}` "
        f"(it indexes the corpus folder {settings.corpus_dir})."
    )


def damaged(settings: Settings, reason: str) -> IndexDamagedError:
    return IndexDamagedError(
        f"The index in {where(settings)} cannot be read ({reason}). Rebuild it from the corpus with `{REBUILD}`."
    )


class IndexReplacedError(IndexDamagedError):
    """The store's files were set aside and rebuilt under this process: reopen them."""


def replaced(settings: Settings) -> IndexReplacedError:
    return IndexReplacedError(f"The index in {where(settings)} was rebuilt; it is being reopened. Ask again shortly.")


def unreachable(settings: Settings) -> StoreUnreachableError:
    return StoreUnreachableError(
        f"The document store ({where(settings)}) cannot be reached; answers resume by themselves when it is back."
    )


# What SQLite says when the file itself is broken (as Chroma's Rust core relays it).
_DAMAGE = ("malformed", "not a database", "disk i/o", "file is encrypted", "database corrupt", "no such table")


def store_failure(exc: BaseException, settings: Settings) -> IndexUnavailableError | None:
    """What a failure raised by the store means for readers, or None when the store is not the cause."""
    import httpx
    from chromadb.errors import ChromaError, NotFoundError

    if isinstance(exc, IndexUnavailableError):
        return exc
    if isinstance(exc, httpx.TransportError) or (
        isinstance(exc, ValueError) and "could not connect to a chroma server" in str(exc).lower()
    ):
        return unreachable(settings)
    if isinstance(exc, NotFoundError):
        # A generation dropped under a reader that lagged behind: the caller reloads the live one.
        return IndexUnavailableError(f"The index changed while it was read ({exc}); ask again.")
    if isinstance(exc, sqlite3.DatabaseError) or (
        isinstance(exc, ChromaError) and any(word in str(exc).lower() for word in _DAMAGE)
    ):
        return damaged(settings, first_line(exc))
    if isinstance(exc, ChromaError) or _chroma_internal(exc):
        # Chroma names damage inside a file in many ways (or crashes): ask the files themselves.
        from assistant.index.integrity import damage

        reason = damage(settings)
        if reason is not None:
            return damaged(settings, reason)
        return IndexUnavailableError(f"The document store failed ({first_line(exc)}); ask again shortly.")
    return None


def failure_to_handle(exc: BaseException) -> bool:
    """An error a reader handles: any ``Exception``, and a crash of Chroma's Rust core, which pyo3 raises
    as a ``BaseException`` so that a bare ``except Exception`` lets it through to the user as a 500.
    Never a ``KeyboardInterrupt``, a ``SystemExit`` or a closed generator's ``GeneratorExit``."""
    return isinstance(exc, Exception) or _chroma_internal(exc)


def _chroma_internal(exc: BaseException) -> bool:
    """A crash of Chroma's Rust core (pyo3's PanicException), which is no ChromaError."""
    return type(exc).__name__ == "PanicException"


def first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:200]
