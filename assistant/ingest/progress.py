"""The ingest's progress display: one bar per document, in passages and sentences embedded per second."""

from __future__ import annotations

import sys
from typing import IO, Any

from tqdm import tqdm


def document_bar(doc_id: str, total: int, enabled: bool = True, file: IO[str] | None = None) -> Any:
    """A tqdm bar for one document's ``total`` nodes, shown only when ``enabled`` and ``file`` (stderr
    by default) is a terminal: a batch job's or a server's log gets the summary, not carriage returns."""
    stream = file if file is not None else sys.stderr
    shown = enabled and bool(getattr(stream, "isatty", lambda: False)())
    return tqdm(
        total=total,
        desc=doc_id[:40],
        unit=" passages",
        file=stream,
        disable=not shown,
        leave=True,
        dynamic_ncols=True,
    )
