"""The JSON API with a language model configured: /api/ask, /api/ask/stream (server-sent events), /api/health.

The model is the scripted OpenAI-compatible server of tests/fake_llm.py (a fake: no capable model runs
here; real HTTP through the real llama-index client), scripted per question in tests/scripted_cases.py.
The app is real, served by uvicorn on a free loopback port.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from tests.scripted_cases import CASES, EARLY_WARNING, Case

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def http(generative_app: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=generative_app, timeout=60) as client:
        yield client


def stream_events(client: httpx.Client, question: str, **body) -> list[tuple[str, dict]]:
    """(event, data) of each server-sent event of /api/ask/stream, in order (keep-alive comments skipped)."""
    events, event, data = [], None, []
    with client.stream("POST", "/api/ask/stream", json={"question": question, **body}) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        for line in response.iter_lines():
            if line.startswith("event:"):
                event = line.split(":", 1)[1].strip()
            elif line.startswith("data:"):
                data.append(line.split(":", 1)[1].strip())
            elif not line and data:
                events.append((event, json.loads("\n".join(data))))
                event, data = None, []
    return events


def assert_reader_sees(answer: dict, case: Case) -> None:
    assert answer["mode"] == case.mode
    assert [c["kind"] for c in answer["checks"]] == list(case.kinds)
    assert all(s in answer["answer"] for s in case.shows)
    assert not any(h in answer["answer"] for h in case.hides)
    assert (case.notice in answer["notice"]) if case.notice else answer["notice"] == ""
    assert answer["citations"] and all(c["quote"] in c["text"] for c in answer["citations"])


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_ask_returns_what_the_checker_let_through_for_each_model_behaviour(http, case):
    response = http.post("/api/ask", json={"question": case.question})
    assert response.status_code == 200
    assert_reader_sees(response.json(), case)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_ask_stream_sends_the_models_tokens_then_the_checked_answer(http, case):
    events = stream_events(http, case.question)
    *before, (last, answer) = events
    assert last == "answer" and all(e in ("token", "check") for e, _ in before)
    assert_reader_sees(answer, case)
    streamed = "".join(t["text"] for e, t in before if e == "token")
    if case.script.status != 200 or case.script.raw is not None or case.script.first_delay:
        assert streamed == ""  # the model never wrote: only the (extractive) answer is sent
    elif case.hides:
        # What the model wrote reached the reader while it was written; the checked answer replaced it.
        assert any(h in streamed for h in case.hides) and streamed != answer["answer"]


def test_each_sentence_is_sent_checked_while_the_model_writes_and_the_answer_is_asks(http):
    growth = next(c for c in CASES if c.name == "invents a number")
    events = stream_events(http, growth.question)
    kinds = [e for e, _ in events]
    checks = [d for e, d in events if e == "check"]
    # The first sentence is checked while the model is still writing the others.
    assert kinds.index("check") < len(kinds) - 1 - kinds[::-1].index("token")
    assert [c["index"] for c in checks] == [0, 1, 2]
    assert [c["kept"] for c in checks] == [False, True, True]  # "150 members" is invented
    invented, kept = checks[0], checks[1]
    assert invented["kind"] == "unsupported_fact" and "'150'" in invented["detail"] and invented["sources"] == []
    assert "150 members" in invented["sentence"]
    assert kept["citations"] and kept["sources"][0].startswith("Rome 2026, ") and "¶" in kept["sources"][0]
    streamed, plain = events[-1][1], http.post("/api/ask", json={"question": growth.question}).json()
    assert {k: v for k, v in streamed.items() if k not in ("id", "timings_ms")} == {
        k: v for k, v in plain.items() if k not in ("id", "timings_ms")
    }
    # What was marked kept is what the answer shows; what was marked removed, it does not.
    assert all(c["sentence"].split(" [")[0] in streamed["answer"] for c in checks if c["kept"])
    assert invented["sentence"].split(" [")[0] not in streamed["answer"]


def test_ask_stream_refuses_an_empty_question_before_any_event(http):
    response = http.post("/api/ask/stream", json={"question": "   "})
    assert response.status_code == 400
    assert "empty" in response.json()["detail"]


def test_ask_stream_and_ask_agree(http):
    *_, (_, streamed) = stream_events(http, EARLY_WARNING)
    plain = http.post("/api/ask", json={"question": EARLY_WARNING}).json()
    assert streamed["answer"] == plain["answer"] and streamed["citations"] == plain["citations"]


def test_health_reports_the_model_server_up_with_its_round_trip(http, scripted_llm):
    llm = http.get("/api/health").json()["llm"]
    assert llm["mode"] == "openai" and llm["model"] == "scripted-model" and llm["state"] == "up"
    assert llm["server"] == scripted_llm.url and llm["served"] == ["scripted-model"]
    assert isinstance(llm["latency_ms"], float) and llm["latency_ms"] >= 0
    assert "probe" not in llm


def test_health_says_how_fast_the_model_answered_and_probes_it_when_asked(http, scripted_llm):
    http.post("/api/ask", json={"question": EARLY_WARNING})  # at least one answer measured
    speed = http.get("/api/health").json()["llm"]["speed"]
    assert speed["answers"] >= 1 and speed["first_token_ms"]["last"] >= 0 and speed["tokens_per_s"]["last"] > 0
    asked = len(scripted_llm.requests)
    probe = http.get("/api/health", params={"probe": "true"}).json()["llm"]["probe"]
    assert probe["ok"] and probe["tokens"] >= 1 and probe["first_token_ms"] >= 0
    assert len(scripted_llm.requests) == asked + 1 and scripted_llm.requests[-1]["max_tokens"] == 8


def test_without_a_model_health_says_off_and_the_stream_is_the_answer_alone(live_app):
    with httpx.Client(base_url=live_app, timeout=60) as client:
        assert client.get("/api/health").json()["llm"] == {"mode": "off"}
        events = stream_events(client, EARLY_WARNING)
        assert [e for e, _ in events] == ["answer"] and events[0][1]["mode"] == "extractive"
        assert events[0][1]["answer"] == client.post("/api/ask", json={"question": EARLY_WARNING}).json()["answer"]


def test_with_a_model_the_chat_still_exposes_only_its_ask_endpoint(generative_app):
    """The status line's refreshes (page load, after each question) are page events, not API."""
    from gradio_client import Client

    client = Client(generative_app + "/", verbose=False)
    try:
        assert list(client.view_api(return_format="dict", print_info=False)["named_endpoints"]) == ["/ask"]
    finally:
        client.close()
