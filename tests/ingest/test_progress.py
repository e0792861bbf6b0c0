"""The ingest's per-document progress bar: shown on a terminal only, in passages per second."""

from __future__ import annotations

import io

import pytest

from assistant.ingest.progress import document_bar

pytestmark = pytest.mark.unit


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_bar_named_after_the_document_counting_passages_per_second():
    out = Terminal()
    with document_bar("2026-06-10_rome", 40, file=out) as bar:
        bar.update(25)
        bar.update(15)
    shown = out.getvalue()
    assert "2026-06-10_rome" in shown and "40/40" in shown and "passages/s" in shown


def test_a_log_file_or_a_pipe_gets_no_bar():
    out = io.StringIO()  # not a terminal: a batch job, a server log
    with document_bar("2026-06-10_rome", 40, file=out) as bar:
        bar.update(40)
    assert out.getvalue() == ""


def test_quiet_hides_the_bar_even_on_a_terminal():
    out = Terminal()
    with document_bar("2026-06-10_rome", 40, enabled=False, file=out) as bar:
        bar.update(40)
    assert out.getvalue() == ""
