"""Library warnings (pypdf's "incorrect startxref", BeautifulSoup's markup hints …) collected per file
for the ingest report, instead of printed raw on the terminal or the server log.

Python's ``warnings`` filters are process-wide: while a file is read, a warning raised by another
thread (a question being answered in ``serve``) would be collected too. Only reading is wrapped, and
reading is quick, so at worst such a warning lands in the report instead of the log.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

# Loggers of the libraries that read corpus files; their warnings belong to the file being read.
READER_LOGGERS = ("pypdf", "bs4", "docx", "PIL", "charset_normalizer")


class _Collect(logging.Handler):
    def __init__(self, messages: list[str]) -> None:
        super().__init__(level=logging.WARNING)
        self.messages = messages

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def library_warnings() -> Iterator[list[str]]:
    """Collect what the readers warn about while the block runs; yields the list (distinct, in order)."""
    messages: list[str] = []
    handler = _Collect(messages)
    saved = []
    for name in READER_LOGGERS:
        logger = logging.getLogger(name)
        saved.append((logger, logger.propagate))
        logger.addHandler(handler)
        logger.propagate = False
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                yield messages
            finally:
                messages.extend(f"{w.category.__name__}: {w.message}" for w in caught)
                messages[:] = list(dict.fromkeys(m.strip() for m in messages if m.strip()))
    finally:
        for logger, propagate in saved:
            logger.removeHandler(handler)
            logger.propagate = propagate
