"""The parsed shape of a communiqué: its facts, its sections and its addressed paragraphs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from assistant.schema import Address


class ParseError(Exception):
    """A file that cannot be read as a communiqué; the message names the file and the reason."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path.name}: {reason}")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class Paragraph:
    """One body paragraph and where it sits in the cleaned document text.

    ``number`` is the 1-based position among the document's paragraphs (the stable address);
    ``label`` is the number the document prints itself ("3" for "3. We recommend …"), if any.
    """

    number: int
    section: str
    text: str
    start: int
    end: int
    label: str | None = None
    language: str = ""  # ISO 639-1 code ("en", "fr"), "" when the document never says


@dataclass
class ParsedDocument:
    """A cleaned communiqué. ``text[p.start:p.end] == p.text`` holds for every paragraph."""

    doc_id: str
    title: str
    text: str
    paragraphs: list[Paragraph]
    meeting: str | None = None
    date: str | None = None  # ISO date of the meeting's (last) day, when stated
    place: str | None = None
    source_path: str = ""
    content_hash: str = ""
    fmt: str = ""
    sections: list[str] = field(default_factory=list)
    symbol: str | None = None  # a UN document's symbol ("A/80/512–S/2025/633")

    def address(self, p: Paragraph) -> Address:
        """The address of one of this document's paragraphs, as every node of it carries."""
        return Address(
            doc_id=self.doc_id,
            title=self.title,
            meeting=self.meeting or "",
            date=self.date or "",
            place=self.place or "",
            section=p.section,
            paragraph=p.number,
            label=p.label or "",
            language=p.language,
            start=p.start,
            end=p.end,
            source_path=self.source_path,
            content_hash=self.content_hash,
        )
