"""Read one corpus file into a :class:`ParsedDocument`: pick the reader for its format, then assemble."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from assistant.ingest.document import ParsedDocument, ParseError
from assistant.ingest.pdf import pdf_blocks
from assistant.ingest.readers import text_blocks
from assistant.ingest.structure import assemble
from assistant.ingest.text import decode
from assistant.ingest.webpage import html_blocks
from assistant.ingest.word import docx_blocks

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx")


def parse_file(path: Path) -> ParsedDocument:
    """Parse one corpus file into a :class:`ParsedDocument`, or raise :class:`ParseError`."""
    path = Path(path)
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
            blocks = pdf_blocks(path)
        elif suffix == ".docx":
            blocks = docx_blocks(path)
        elif suffix in (".html", ".htm"):
            blocks = html_blocks(decode(data))
        else:
            blocks = text_blocks(decode(data))
    except ParseError:
        raise
    except Exception as exc:
        raise ParseError(path, f"not a readable {suffix[1:].upper()} file ({type(exc).__name__}: {exc})") from exc
    doc = assemble(blocks, path, doc_id_for(path))
    doc.content_hash = hashlib.sha256(data).hexdigest()
    doc.fmt = suffix.lstrip(".")
    return doc


def doc_id_for(path: Path) -> str:
    """A stable, URL-safe id from the file name."""
    return re.sub(r"[^a-z0-9._-]+", "-", path.stem.lower()).strip("-") or "document"
