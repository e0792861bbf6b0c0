"""Bounds on what one corpus file may cost to read, by its content, not its size on disk.

A .docx is a zip: 0.2 MB can expand to hundreds of megabytes of XML and 394,000 paragraphs, which
took 93 s and 384 MB to parse and held the ingest lock all along. Before a container is parsed, its
members' expanded size is summed from the zip directory and its paragraphs are counted by streaming
the document part (bounded memory); during parsing, each reader checks the time at every paragraph or
page. A file over a bound is skipped with a reason, like a file over ``WPS_MAX_FILE_MB``.
"""

from __future__ import annotations

import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from assistant.ingest.document import ParseError
from assistant.settings import Settings

CHUNK = 1 << 20


@dataclass(frozen=True)
class ContentLimits:
    max_paragraphs: int | None = None
    max_expanded_bytes: int | None = None
    max_seconds: float | None = None
    started: float = field(default_factory=time.monotonic)

    @classmethod
    def from_settings(cls, settings: Settings) -> ContentLimits:
        return cls(
            max_paragraphs=settings.max_paragraphs,
            max_expanded_bytes=int(settings.max_expanded_mb * 1024 * 1024),
            max_seconds=settings.max_parse_seconds,
        )

    def started_now(self) -> ContentLimits:
        """The same bounds, the clock started for one file."""
        return ContentLimits(self.max_paragraphs, self.max_expanded_bytes, self.max_seconds)

    def tick(self, path: Path) -> None:
        """Raise :class:`ParseError` once reading this file has taken longer than allowed."""
        if self.max_seconds is not None and time.monotonic() - self.started > self.max_seconds:
            raise ParseError(path, f"reading it took over {self.max_seconds:g} s (WPS_MAX_PARSE_SECONDS)")

    def paragraphs(self, path: Path, count: int) -> None:
        if self.max_paragraphs is not None and count > self.max_paragraphs:
            raise ParseError(
                path, f"it holds over {self.max_paragraphs:,} paragraphs (WPS_MAX_PARAGRAPHS); is it a communiqué?"
            )

    def check_zip(self, path: Path, part: str, paragraph_tag: bytes) -> None:
        """Before a zip container (.docx) is parsed: its expanded size, then its paragraphs in ``part``."""
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise ParseError(path, f"not a readable {path.suffix[1:].upper()} file ({exc})") from exc
        with archive:
            expanded = sum(info.file_size for info in archive.infolist())
            if self.max_expanded_bytes is not None and expanded > self.max_expanded_bytes:
                raise ParseError(
                    path,
                    f"it expands to {expanded / 1024 / 1024:,.0f} MB, over the "
                    f"{self.max_expanded_bytes / 1024 / 1024:g} MB limit (WPS_MAX_EXPANDED_MB)",
                )
            if self.max_paragraphs is None or part not in archive.namelist():
                return
            count, tail = 0, b""
            with archive.open(part) as stream:
                while chunk := stream.read(CHUNK):
                    data = tail + chunk
                    count += _tags(data, paragraph_tag)
                    # A tag cut between two chunks is found in the next (a whole one needs one byte more).
                    tail = data[-len(paragraph_tag) :]
                    self.paragraphs(path, count)
                    self.tick(path)


def _tags(data: bytes, tag: bytes) -> int:
    """Occurrences of ``tag`` followed by '>' or whitespace (``<w:p>``, ``<w:p w:rsid…>``, not ``<w:pPr>``)."""
    return sum(data.count(tag + end) for end in (b">", b" ", b"/"))
