"""Read one corpus file into a :class:`ParsedDocument`: pick the reader for its format, then assemble."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from assistant.ingest.document import ParsedDocument, ParseError
from assistant.ingest.limits import ContentLimits
from assistant.ingest.pdf import pdf_blocks
from assistant.ingest.readers import text_blocks
from assistant.ingest.structure import assemble
from assistant.ingest.text import MAX_UNREADABLE_SHARE, decode, unreadable_share
from assistant.ingest.webpage import html_blocks
from assistant.ingest.word import docx_blocks

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx")


def parse_file(path: Path, limits: ContentLimits | None = None) -> ParsedDocument:
    """Parse one corpus file into a :class:`ParsedDocument`, or raise :class:`ParseError`.

    ``limits`` bound what its content may cost (paragraphs, expanded size, time); none by default."""
    path = Path(path)
    limits = (limits or ContentLimits()).started_now()
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ParseError(path, f"unsupported file type {suffix or '(none)'}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(path, f"cannot be read ({exc.strerror or exc})") from exc
    if not data.strip():
        raise ParseError(path, "the file is empty")
    try:
        if suffix == ".pdf":
            blocks = pdf_blocks(path, limits)
        elif suffix == ".docx":
            limits.check_zip(path, "word/document.xml", b"<w:p")
            blocks = docx_blocks(path, limits)
        elif suffix in (".html", ".htm"):
            blocks = html_blocks(_text(path, data))
        else:
            blocks = text_blocks(_text(path, data))
    except ParseError:
        raise
    except Exception as exc:
        raise ParseError(path, f"not a readable {suffix[1:].upper()} file ({type(exc).__name__}: {exc})") from exc
    limits.paragraphs(path, len(blocks))
    doc = assemble(blocks, path, doc_id_for(path))
    _check_readable(path, doc.text)  # a PDF or Word file can hold garbage text too (fonts without a map)
    doc.content_hash = hashlib.sha256(data).hexdigest()
    doc.fmt = suffix.lstrip(".")
    return doc


def _text(path: Path, data: bytes) -> str:
    text = decode(data)
    _check_readable(path, text)
    return text


def _check_readable(path: Path, text: str) -> None:
    share = unreadable_share(text)
    if share > MAX_UNREADABLE_SHARE:
        raise ParseError(
            path, f"not text: {share:.0%} of its characters are control codes or undecodable bytes (binary data?)"
        )


def doc_id_for(path: Path) -> str:
    """A stable, URL-safe id from the file name."""
    return re.sub(r"[^a-z0-9._-]+", "-", path.stem.lower()).strip("-") or "document"
