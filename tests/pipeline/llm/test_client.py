"""The model server's client: built from the settings without any call, probed for health, errors in words."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time

import httpx
import pytest

from assistant.pipeline.llm.client import (
    ModelServer,
    ModelServerError,
    ModelTimeout,
    SpeedLog,
    build_llm,
    client_timeout,
    describe_error,
    server_label,
    timed_stream,
)
from assistant.settings import Settings
from tests.conftest import ROOT
from tests.fake_llm import MODEL, Script, ScriptedModelServer, scripted_server


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
        " or m in ('assistant.pipeline.llm.generative', 'assistant.pipeline.llm.checker',"
        " 'assistant.pipeline.llm.condense')]\n"
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


@pytest.mark.unit
def test_speed_is_the_median_and_the_last_of_the_recent_answers_only():
    speed = SpeedLog(size=3)
    assert speed.summary() == {"answers": 0}
    for first, pieces, writing in [(9.0, 2, 1.0), (1.0, 11, 2.0), (2.0, 21, 2.0), (4.0, 1, 0.0)]:
        speed.record(first, pieces, writing)
    summary = speed.summary()
    assert summary["answers"] == 3  # the oldest (9 s) is forgotten
    assert summary["first_token_ms"] == {"median": 2000.0, "last": 4000.0}
    # a one-piece answer has no rate: 5 and 10 pieces a second remain
    assert summary["tokens_per_s"] == {"median": 7.5, "last": 10.0}


@pytest.mark.unit
def test_a_failed_answer_is_reported_until_the_model_answers_again():
    speed = SpeedLog()
    speed.failed("the model server could not be reached")
    assert speed.summary() == {"answers": 0, "last_failure": "the model server could not be reached"}
    speed.record(1.0, 3, 1.0)
    assert "last_failure" not in speed.summary()


@pytest.mark.unit
def test_the_server_is_named_without_credentials_query_or_fragment():
    assert server_label("https://user:secret@llm.example:8443/v1?key=abc#x") == "https://llm.example:8443/v1"
    assert server_label("http://[::1]:8080/v1") == "http://[::1]:8080/v1"
    assert server_label("http://ollama:11434") == "http://ollama:11434"


@pytest.mark.unit
def test_the_status_line_names_the_model_then_its_recent_speed_or_its_failure():
    settings = Settings(llm_mode="openai", llm_base_url=f"http://127.0.0.1:{closed_port()}/v1", llm_model="qwen-1.5b")
    server = ModelServer.from_settings(settings)  # no call is made: the line reads what was measured
    assert server.status_line() == (
        "Answers are written by the language model **qwen-1.5b** and checked sentence by sentence."
    )
    server.speed.record(12.34, 41, 4.0)
    assert server.status_line().endswith("Recently (1 answer): first words after 12.3 s, then 10 tokens a second.")
    server.speed.failed("the model server did not answer within 120 s")
    assert "last answer failed (the model server did not answer within 120 s)" in server.status_line()


def scripted_settings(url: str, mode: str = "openai", **update) -> Settings:
    base = url.removesuffix("/v1") if mode == "ollama" else url
    return Settings(llm_mode=mode, llm_base_url=base, llm_model=MODEL).model_copy(update=update)


@pytest.mark.integration
@pytest.mark.parametrize("mode", ["openai", "ollama"])
def test_health_names_the_server_and_its_models_and_times_a_probe_only_when_asked(mode):
    fake = ScriptedModelServer(default=Script("Ready, and waiting.", chunk_delay=0.02))
    with scripted_server(fake) as server:
        model = ModelServer.from_settings(scripted_settings(server.url, mode))
        health = model.health()
        assert health["state"] == "up" and health["server"] == model.settings.llm_base_url
        assert health["served"] == ([MODEL] if mode == "openai" else [f"{MODEL}:latest"])
        assert "probe" not in health and fake.requests == []  # no token is written unless asked

        probe = model.health(probe=True)["probe"]
        assert probe["ok"] and probe["tokens"] == 3 and probe["age_s"] == 0.0
        assert probe["first_token_ms"] >= 0 and probe["tokens_per_s"] > 0
        body = fake.requests[-1]
        assert body["stream"] is True and (body.get("max_tokens") or body["options"]["num_predict"]) == 8

        again = model.health(probe=True)["probe"]  # reused, not asked again
        assert len(fake.requests) == 1 and again == {**probe, "age_s": again["age_s"]}
        assert again["age_s"] >= probe["age_s"]  # its age, not a new probe's (rounded: may still read 0.0)


@pytest.mark.integration
def test_a_probe_that_fails_says_why_and_health_still_answers():
    fake = ScriptedModelServer(default=Script("late", first_delay=1.0))
    with scripted_server(fake) as server:
        model = ModelServer.from_settings(scripted_settings(server.url, llm_first_token_timeout=0.3))
        health = model.health(probe=True)
        assert health["state"] == "up"
        assert health["probe"] == {"ok": False, "detail": "the model server did not answer within 0.3 s", "age_s": 0.0}
    fake = ScriptedModelServer(default=Script(status=500))
    with scripted_server(fake) as server:
        probe = ModelServer.from_settings(scripted_settings(server.url)).health(probe=True)["probe"]
        assert probe["ok"] is False and "HTTP 500" in probe["detail"]
