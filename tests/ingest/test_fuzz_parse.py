"""Fuzzing the parsers: random bytes and mutated real files of each format through ``parse_file``.

The one documented error of ``parse_file`` is :class:`ParseError` (the file is reported by name and
ingest goes on); anything else escaping is a bug. Seeds are the generated fixtures of tests/formats.py
(markdown, HTML, PDF, DOCX, numbered text) and the shipped test corpus; mutations flip, insert, delete
and duplicate byte runs, or truncate. Bounded: a fixed number of examples per format, no deadline per
example (a mutated PDF can take a while), about 20–40 s in all on this machine.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.ingest.document import ParseError
from assistant.ingest.parse import parse_file
from tests import formats
from tests.conftest import MULTI_CORPUS

pytestmark = pytest.mark.integration  # about half a minute: more than a unit test may take

SUFFIXES = [".txt", ".md", ".html", ".htm", ".pdf", ".docx"]


def _seeds() -> dict[str, list[bytes]]:
    found: dict[str, list[bytes]] = {s: [] for s in SUFFIXES}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for write in (
            formats.write_markdown,
            formats.write_html,
            formats.write_pdf,
            formats.write_docx,
            formats.write_numbered_txt,
        ):
            path = write(folder)
            found[path.suffix].append(path.read_bytes())
            path.unlink()
    for path in MULTI_CORPUS.iterdir():
        found[path.suffix].append(path.read_bytes())
    found[".htm"] = found[".html"]
    return found


SEEDS = _seeds()


def parse_bytes(data: bytes, suffix: str) -> None:
    """Parse ``data`` as a file of that suffix: a document or a ParseError, nothing else."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"2024-01-01_fuzz{suffix}"
        path.write_bytes(data)
        try:
            doc = parse_file(path)
        except ParseError as exc:
            assert str(exc).startswith(path.name)
            return
        assert doc.doc_id  # a parsed document is whole enough to be indexed or reported


@st.composite
def mutated(draw: st.DrawFn, suffix: str) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS[suffix])))
    for _ in range(draw(st.integers(1, 8))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        kind = draw(st.sampled_from(["flip", "insert", "delete", "duplicate", "truncate"]))
        if kind == "flip":
            data[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 256))]
        elif kind == "duplicate":
            data[at:at] = data[at : at + draw(st.integers(1, 512))]
        else:
            del data[at:]
    return bytes(data)


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("suffix", SUFFIXES)
@FUZZ
@given(data=st.data())
def test_mutated_files_parse_or_raise_parse_error(suffix, data):
    parse_bytes(data.draw(mutated(suffix)), suffix)


@pytest.mark.parametrize("suffix", SUFFIXES)
@FUZZ
@given(data=st.binary(max_size=4096))
def test_random_bytes_parse_or_raise_parse_error(suffix, data):
    parse_bytes(data, suffix)


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html"])
@FUZZ
@given(text=st.text(st.characters(codec="utf-8"), max_size=3000))
def test_random_text_parses_or_raises_parse_error(suffix, text):
    parse_bytes(text.encode("utf-8"), suffix)
