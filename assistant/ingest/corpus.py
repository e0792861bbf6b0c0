"""The corpus folder as the ingest sees it: which files, in what order, and which to leave out and why.

Left out, each with a reason in the report: unsupported or hidden files (silently), files over the
size limit, files that are not text (binary, undecodable), files that cannot be parsed, a second file
whose name gives the same document id, and a file whose text is identical to another's (indexed once).
Files are read smallest first, so one huge file never holds back the rest.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from assistant.ingest.capture import library_warnings
from assistant.ingest.document import ParsedDocument, ParseError
from assistant.ingest.limits import ContentLimits
from assistant.ingest.parse import SUPPORTED_SUFFIXES, doc_id_for, parse_file
from assistant.ingest.report import IngestReport
from assistant.settings import Settings


class CorpusMissingError(FileNotFoundError):
    """The corpus folder does not exist."""


@dataclass
class Corpus:
    """Parsed documents (smallest file first) and the ids of every document whose file is still there."""

    parsed: dict[str, ParsedDocument] = field(default_factory=dict)
    present: set[str] = field(default_factory=set)  # parsed or not: a failing file keeps its last version
    sizes: dict[str, int] = field(default_factory=dict)


def corpus_files(corpus_dir: Path) -> list[Path]:
    """Supported files in the corpus folder (recursively), hidden files and folders skipped, by name."""
    if not corpus_dir.is_dir():
        raise CorpusMissingError(f"Corpus folder not found: {corpus_dir}")
    return sorted(
        p
        for p in corpus_dir.rglob("*")
        if p.is_file()
        and p.suffix.lower() in SUPPORTED_SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(corpus_dir).parts)
    )


def read_corpus(settings: Settings, report: IngestReport) -> Corpus:
    """Parse every file that may be indexed; record the others in ``report.failed``."""
    corpus = Corpus()
    limit = int(settings.max_file_mb * 1024 * 1024)
    limits = ContentLimits.from_settings(settings)
    files = []
    for path in corpus_files(settings.corpus_dir):
        doc_id = doc_id_for(path)
        if doc_id in corpus.present:
            report.failed.append((path.name, f"another file already has the name {doc_id!r}; rename one"))
            continue
        corpus.present.add(doc_id)
        try:
            size = path.stat().st_size
        except OSError as exc:
            report.failed.append((path.name, f"cannot be read ({exc.strerror or exc})"))
            continue
        if size > limit:
            report.failed.append(
                (
                    path.name,
                    f"{size / 1024 / 1024:.1f} MB, over the {settings.max_file_mb:g} MB limit (WPS_MAX_FILE_MB)",
                )
            )
            continue
        files.append((size, path.name, path, doc_id))
    for size, name, path, doc_id in sorted(files):
        with library_warnings() as messages:
            try:
                doc = parse_file(path, limits)
            except ParseError as exc:
                report.failed.append((name, exc.reason))
                doc = None
        report.warnings += [(name, message) for message in messages]
        if doc is not None:
            corpus.parsed[doc_id] = doc
            corpus.sizes[doc_id] = size
    return corpus


def drop_duplicates(corpus: Corpus, report: IngestReport, prefer: set[str]) -> None:
    """Index identical text once: keep the copy already indexed (``prefer``), else the first by name."""
    kept: dict[str, str] = {}
    order = sorted(corpus.parsed, key=lambda d: (d not in prefer, Path(corpus.parsed[d].source_path).name))
    for doc_id in order:
        key = hashlib.sha256(" ".join(corpus.parsed[doc_id].text.split()).encode()).hexdigest()
        if key in kept:
            duplicate = corpus.parsed.pop(doc_id)
            corpus.present.discard(doc_id)
            original = corpus.parsed[kept[key]]
            report.duplicates.append((Path(duplicate.source_path).name, Path(original.source_path).name))
        else:
            kept[key] = doc_id
