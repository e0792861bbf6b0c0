"""The host in front of the live index: a crash inside the store reaches the reader as the store's
state, never as an unhandled error (a real host over the shipped corpus's real index)."""

from __future__ import annotations

import pytest

from assistant.index.errors import IndexUnavailableError, failure_to_handle
from assistant.pipeline.host import AssistantHost

pytestmark = pytest.mark.integration


class PanicException(BaseException):  # named as pyo3 names the Rust panics of Chroma
    """What Chroma's Rust core raises when it crashes: a BaseException, so ``except Exception`` misses it.
    A stand-in: a real panic cannot be provoked on demand."""


def test_a_crash_of_the_stores_core_is_a_store_failure_to_handle_not_an_interrupt():
    assert failure_to_handle(PanicException("index out of range"))
    assert failure_to_handle(ValueError("x"))
    assert not failure_to_handle(KeyboardInterrupt())
    assert not failure_to_handle(GeneratorExit())


def test_a_store_panic_while_answering_reaches_the_reader_as_the_stores_state(corpus_settings, shipped, embed_model):
    host = AssistantHost(corpus_settings, embed_model).start()
    try:
        current = host.current()

        def panics(*args, **kwargs):
            raise PanicException("called `Option::unwrap()` on a `None` value")
            yield  # a generator, as ask_stream is

        current.ask_stream = panics
        with pytest.raises(IndexUnavailableError, match=r"document store failed|damaged"):
            host.ask("What did the communiqué say about artificial intelligence?")
    finally:
        host.stop()
