"""The model server's client: built from the settings without any call, probed for health, errors in words."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time

import httpx
import pytest

from assistant.pipeline.llm import (
    ModelServer,
    ModelServerError,
    ModelTimeout,
    build_llm,
    client_timeout,
    describe_error,
    timed_stream,
)
from assistant.settings import Settings
from tests.conftest import ROOT


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.unit
def test_an_openai_compatible_client_is_built_from_the_settings_without_calling_the_server():
    url = f"http://127.0.0.1:{closed_port()}/v1"  # nothing listens: any call would fail
    settings = Settings(llm_mode="openai", llm_base_url=url, llm_model="m", llm_api_key="secret", llm_timeout=7)
    settings = settings.model_copy(update={"llm_first_token_timeout": 7})
    llm = build_llm(settings)
    assert type(llm).__name__ == "OpenAILike"
    assert (llm.api_base, llm.model, llm.timeout, llm.max_retries) == (url, "m", 7, 0)
    assert llm.metadata.context_window == settings.llm_context_window and llm.metadata.is_chat_model


@pytest.mark.unit
def test_an_ollama_client_states_its_context_window_so_building_it_asks_nothing():
    settings = Settings(llm_mode="ollama", llm_base_url=f"http://127.0.0.1:{closed_port()}", llm_model="llama3.1:8b")
    llm = build_llm(settings)
    assert type(llm).__name__ == "Ollama"
    assert llm.metadata.context_window == settings.llm_context_window  # would call the server if unset
    assert llm.additional_kwargs == {"num_predict": settings.llm_max_tokens}


@pytest.mark.unit
@pytest.mark.parametrize("missing", ["llm_base_url", "llm_model"])
def test_a_mode_without_url_or_model_says_which_setting_to_fix(missing):
    values = {"llm_mode": "ollama", "llm_base_url": "http://127.0.0.1:11434", "llm_model": "m", missing: None}
    with pytest.raises(ModelServerError, match=r"WPS_LLM_BASE_URL .* and WPS_LLM_MODEL"):
        build_llm(Settings(**values))


@pytest.mark.unit
def test_the_api_key_is_never_printed_with_the_settings():
    settings = Settings(llm_api_key="secret-key")
    assert "secret-key" not in repr(settings) and "secret-key" not in settings.model_dump_json()


@pytest.mark.unit
def test_errors_of_any_client_become_one_short_phrase():
    assert describe_error(httpx.ConnectTimeout("x"), 2) == "the model server did not answer within 2 s"
    assert describe_error(httpx.ConnectError("x"), 2) == "the model server could not be reached"
    response = httpx.Response(503, request=httpx.Request("GET", "http://x"))
    status = httpx.HTTPStatusError("x", request=response.request, response=response)
    assert describe_error(status, 2) == "the model server answered with an error (HTTP 503)"
    assert describe_error(ValueError("bad json"), 2) == "the model server sent a reply that could not be read"


@pytest.mark.unit
def test_health_of_a_server_that_is_down_says_so_with_the_reason():
    settings = Settings(llm_mode="openai", llm_base_url=f"http://127.0.0.1:{closed_port()}/v1", llm_model="m")
    health = ModelServer.from_settings(settings).health()
    assert health["state"] == "down" and health["detail"] == "the model server could not be reached"
    assert health["mode"] == "openai" and health["model"] == "m" and health["latency_ms"] >= 0


@pytest.mark.integration
def test_with_the_mode_off_no_model_client_is_imported():
    """The default path pays nothing for the optional extras: build the extractive wiring in a clean process."""
    code = (
        "import sys, assistant.pipeline.factory, assistant.web.app, assistant.cli\n"
        "loaded = [m for m in sys.modules if m.startswith(('llama_index.llms.', 'openai', 'ollama'))"
        " or m in ('assistant.pipeline.generative', 'assistant.pipeline.checker', 'assistant.pipeline.llm_condense')]\n"
        "print(loaded)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def _slow(delays: list[float]):
    """A stream yielding one piece after each delay."""

    def start():
        for i, d in enumerate(delays):
            time.sleep(d)
            yield i

    return start


@pytest.mark.unit
def test_a_slow_first_token_within_its_own_limit_is_waited_for():
    assert list(timed_stream(_slow([0.3, 0.0, 0.0]), first_token=2.0, between=0.1, whole=5.0)) == [0, 1, 2]


@pytest.mark.unit
def test_a_stream_given_up_on_stops_reading_the_model_and_closes_its_stream():
    read, closed = [], threading.Event()

    def start():
        try:
            for i in range(100):
                time.sleep(0.05)
                read.append(i)
                yield i
        finally:
            closed.set()

    with pytest.raises(ModelTimeout):
        list(timed_stream(start, first_token=5.0, between=5.0, whole=0.2))
    assert closed.wait(1.0)  # the source was closed, not read to its end
    assert len(read) < 10

    stream = timed_stream(start, first_token=5.0, between=5.0, whole=5.0)
    closed.clear()
    assert next(stream) is not None
    stream.close()  # the user went away
    assert closed.wait(1.0)


@pytest.mark.unit
def test_each_wait_has_its_own_limit_and_says_which_was_exceeded():
    with pytest.raises(ModelTimeout, match=r"did not answer within 0\.1 s"):
        list(timed_stream(_slow([0.5]), first_token=0.1, between=5.0, whole=5.0))
    with pytest.raises(ModelTimeout, match=r"stopped for more than 0\.1 s"):
        list(timed_stream(_slow([0.0, 0.5]), first_token=5.0, between=0.1, whole=5.0))
    with pytest.raises(ModelTimeout, match=r"took longer than 0\.3 s"):
        list(timed_stream(_slow([0.0] + [0.08] * 10), first_token=5.0, between=0.2, whole=0.3))


@pytest.mark.unit
def test_an_error_of_the_stream_reaches_the_reader_and_the_client_waits_for_the_longest_silence():
    def broken():
        yield 1
        raise ConnectionError("reset")

    with pytest.raises(ConnectionError):
        list(timed_stream(broken, first_token=1.0, between=1.0, whole=1.0))
    settings = Settings(llm_first_token_timeout=120, llm_timeout=30)
    assert client_timeout(settings) == 120


@pytest.mark.unit
def test_a_stream_that_fails_to_start_raises_at_once_not_at_the_time_limit():
    def start():
        raise ConnectionError("refused")

    began = time.monotonic()
    with pytest.raises(ConnectionError):
        list(timed_stream(start, first_token=5.0, between=5.0, whole=5.0))
    assert time.monotonic() - began < 2.0
