"""Requests that cannot hurt others, over real HTTP: invalid Unicode, huge histories, body and time
limits, the refused upload route, and the log line each question leaves.

``live_app`` has the default settings (1 MiB bodies, 10 history turns); ``small`` has a 4 kB body and
2 kB feedback limit; ``hurried`` a time budget too short for any question (1 ms), which is how a
question over budget is produced without slowing anything down artificially.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest

from assistant.pipeline.assistant import Assistant
from assistant.web.question_log import LOGGER
from tests.conftest import EARLY_WARNING, FOUR_PILLARS
from tests.web import gradio_http
from tests.web.servers import serve_with

pytestmark = pytest.mark.integration

JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def http(live_app: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_app, timeout=120) as client:
        yield client


@pytest.fixture(scope="module")
def small(shipped: Assistant, tmp_path_factory) -> Iterator[httpx.Client]:
    path = tmp_path_factory.mktemp("small") / "feedback.jsonl"
    with (
        serve_with(shipped, path, max_body_bytes=4096, max_feedback_bytes=2048) as url,
        httpx.Client(base_url=url, timeout=60) as client,
    ):
        yield client


@pytest.fixture(scope="module")
def hurried(shipped: Assistant, tmp_path_factory) -> Iterator[httpx.Client]:
    path = tmp_path_factory.mktemp("hurried") / "feedback.jsonl"
    with (
        serve_with(shipped, path, request_timeout_seconds=0.001) as url,
        httpx.Client(base_url=url, timeout=60) as client,
    ):
        yield client


# ------------------------------------------------------------------ invalid Unicode


@pytest.mark.parametrize(
    "body",
    [
        r'{"question": "What about \ud800 funding?"}',
        r'{"question": "\udfff"}',
        r'{"question": "What are the pillars?", "history": ["\ud800", "and \udc00 it?"]}',
        r'{"question": "What are the pillars?", "doc_ids": ["\ud800"]}',
        r'{"question": "What are the pillars?", "sections": ["Preven\udbfftion"]}',
        r'{"question": 5, "history": ["\ud800", 3]}',  # a 422 that echoes its input
        r'{"question": "\u0000\u0001 pillars \ud83d\ude00?"}',
    ],
)
def test_invalid_unicode_in_question_history_or_filters_is_cleaned_never_a_5xx(http, body):
    response = http.post("/api/ask", content=body.encode("ascii"), headers=JSON)

    assert response.status_code in (200, 400, 422), response.text
    payload = response.json()
    if response.status_code == 200:
        assert "\ud800" not in payload["question"]
        payload["question"].encode("utf-8")


@pytest.mark.parametrize("body", ['{"question": "Why?", "history": Infinity}', '{"question": NaN}', "[-Infinity]"])
def test_nan_and_infinity_are_refused_as_not_json(http, body):
    # Python's reader takes them; echoed back in a 422 they could not be written and became a 500.
    response = http.post("/api/ask", content=body.encode(), headers=JSON)

    assert response.status_code == 400
    assert "NaN and Infinity are not JSON numbers" in response.json()["detail"]


def test_the_words_nan_and_infinity_in_a_question_are_just_words(http):
    response = http.post("/api/ask", json={"question": "Is funding for NaN or Infinity programmes mentioned?"})
    assert response.status_code == 200


def test_feedback_with_a_lone_surrogate_in_its_comment_is_recorded_cleanly(http, feedback_path):
    answer = http.post("/api/ask", json={"question": FOUR_PILLARS}).json()
    body = json.dumps({"rating": "up", "answer": answer, "comment": "great"}).replace("great", r"gr\ud800eat")

    assert http.post("/api/feedback", content=body.encode("utf-8"), headers=JSON).status_code == 201
    assert json.loads(feedback_path.read_text(encoding="utf-8").splitlines()[-1])["comment"] == "gr\ufffdeat"


def test_the_chat_answers_a_question_with_a_lone_surrogate(http):
    session = uuid.uuid4().hex
    fn = gradio_http.ask_event_id(http)
    body = json.dumps({"data": ["PILLARS", [], None, [], []], "fn_index": fn, "session_hash": session})
    body = body.replace("PILLARS", r"What are the four pillars \ud800 of the WPS agenda?")

    assert gradio_http.join_raw(http, body).status_code == 200
    message = gradio_http.completed(http, session)

    assert message["success"] is True
    chat = message["output"]["data"][0]
    assert "\ufffd" in json.dumps(chat, ensure_ascii=False)


# ------------------------------------------------------------------ history


def test_a_huge_history_is_answered_and_only_its_last_turns_count(http):
    turns = [f"What does the communiqué say about topic number {n}? " + "x" * 850 for n in range(1000)]
    history = [*turns, EARLY_WARNING]  # ~900 kB: under the 1 MiB body limit
    started = time.perf_counter()

    response = http.post("/api/ask", json={"question": "and what about funding for it?", "history": history})

    elapsed = time.perf_counter() - started
    print(f"\n1,000-turn history ({len(json.dumps(history)) / 1e6:.2f} MB): {elapsed * 1000:.0f} ms")
    assert response.status_code == 200
    assert "gender-sensitive early warning" in response.json()["standalone_question"]


def test_a_thousand_chained_follow_ups_are_answered(http):
    history = [EARLY_WARNING] + ["and what about funding for it?"] * 1000
    started = time.perf_counter()

    response = http.post("/api/ask", json={"question": "and who pays for it?", "history": history})

    print(f"\n1,000 chained follow-ups: {(time.perf_counter() - started) * 1000:.0f} ms")
    assert response.status_code == 200
    assert response.json()["standalone_question"]


# ------------------------------------------------------------------ body limit


def test_a_body_over_the_limit_is_refused_with_413_before_it_is_read(http):
    history = ["x" * 1000] * 2100  # ~2 MB, over the default 1 MiB

    response = http.post("/api/ask", json={"question": FOUR_PILLARS, "history": history})

    assert response.status_code == 413
    assert response.json()["detail"] == "The request is too large: the limit is 1,048,576 bytes."


def test_a_chunked_body_over_the_limit_is_refused_with_413(small):
    def chunks() -> Iterator[bytes]:
        yield b'{"question": "What are the pillars?", "history": ["'
        for _ in range(10):
            yield b"x" * 1000
        yield b'"]}'

    response = small.post("/api/ask", content=chunks(), headers=JSON)

    assert response.status_code == 413
    assert "4,096 bytes" in response.json()["detail"]


def test_a_chunked_body_under_the_limit_is_answered(small):
    def chunks() -> Iterator[bytes]:
        yield b'{"question": "What are the four pillars'
        yield b' of the WPS agenda?"}'

    assert small.post("/api/ask", content=chunks(), headers=JSON).status_code == 200


def test_the_body_limit_covers_the_chats_queue_and_feedback_has_its_own(small):
    data = [FOUR_PILLARS, [{"role": "user", "content": "x" * 5000}], None, [], []]
    assert gradio_http.join(small, data, gradio_http.ask_event_id(small)).status_code == 413

    answer = small.post("/api/ask", json={"question": FOUR_PILLARS}).json()
    feedback = small.post("/api/feedback", json={"rating": "up", "answer": answer, "comment": "y" * 1900})
    assert feedback.status_code == 413
    assert "2,048 bytes" in feedback.json()["detail"]


# ------------------------------------------------------------------ time budget


def test_a_question_over_the_time_budget_gets_503_with_retry_after(hurried):
    response = hurried.post("/api/ask", json={"question": FOUR_PILLARS})

    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert response.json()["detail"] == "The request took longer than 0.001 s; please try again."


# ------------------------------------------------------------------ uploads


@pytest.mark.parametrize("path", ["/gradio_api/upload", "/embed/gradio_api/upload", "/gradio_api/upload/"])
def test_the_gradio_upload_route_is_refused(http, path):
    response = http.post(path, files={"files": ("notes.txt", b"x" * 20_000, "text/plain")})

    assert response.status_code == 403
    assert "Uploads are disabled" in response.json()["detail"]


# ------------------------------------------------------------------ the log line


def lines(caplog) -> list[dict]:
    return [
        json.loads(r.getMessage().removeprefix("question "))
        for r in caplog.records
        if r.name == LOGGER and r.getMessage().startswith("question ")
    ]


def test_each_question_leaves_one_log_line_without_its_text(http, caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)
    question = "What are the four pillars of the WPS agenda? My name is Jane Doe."

    answer = http.post("/api/ask", json={"question": question}).json()
    http.post("/api/ask", json={"question": "   "})
    gradio_http.ask_chat(http, FOUR_PILLARS)

    api, refused, chat = lines(caplog)[-3:]
    assert api["surface"] == "api" and api["outcome"] == answer_outcome(answer) and api["answer_id"] == answer["id"]
    assert api["mode"] == "extractive" and api["latency_ms"] > 0 and api["time"]
    assert api["citations"] == [f"{c['doc_id']}/¶{c['paragraph']}" for c in answer["citations"]]
    assert refused["outcome"] == "refused" and "empty" in refused["reason"]
    assert chat["surface"] == "chat" and chat["citations"]
    assert all("question" not in line for line in (api, refused, chat))
    assert "Jane Doe" not in caplog.text


def answer_outcome(answer: dict) -> str:
    return "abstained" if answer["abstained"] else "answered"


# ------------------------------------------------------------------ strict JSON (non-finite numbers, depth)

JSON_ROUTES = ["/api/ask", "/api/ask/stream", "/api/briefing", "/api/feedback"]
DEEP = 100_000


@pytest.mark.parametrize("path", JSON_ROUTES)
@pytest.mark.parametrize(
    "body",
    ['{"question": "x", "history": [1e400]}', '{"question": "x", "x": -1E+999}', '[{"a": 2.5e308}]'],
    ids=["history", "field", "nested"],
)
def test_a_number_beyond_a_double_anywhere_in_a_body_is_a_400(http, path, body):
    for headers in (JSON, {}):  # FastAPI reads a body without a type as JSON too
        response = http.post(path, content=body.encode(), headers=headers)
        assert response.status_code == 400, (path, response.text[:200])
        assert "too large" in response.json()["detail"]


DEEP_BODIES = {
    "lists": lambda n: "[" * n + "]" * n,
    "surrogate": lambda n: '{"question": ' + "[" * n + '"\\ud800"' + "]" * n + "}",
    "nan": lambda n: "[" * n + "NaN" + "]" * n,
    "objects": lambda n: '{"a":' * n + "1" + "}" * n,
}


@pytest.mark.parametrize("kind", list(DEEP_BODIES))
@pytest.mark.parametrize("path", ["/api/ask", "/api/feedback", "/gradio_api/queue/join"])
def test_json_nested_a_hundred_thousand_deep_is_a_400_not_a_crash(http, path, kind):
    n = 10_000 if path == "/api/feedback" else DEEP  # within each route's body limit
    response = http.post(path, content=DEEP_BODIES[kind](n).encode(), headers=JSON)
    assert response.status_code == 400
    assert "levels deep" in response.json()["detail"]


HOSTILE_BODIES = [
    '{"question": "x", "history": [1e400]}',
    '{"question": NaN}',
    "[-Infinity]",
    "[" * DEEP + "]" * DEEP,
    '"just a string"',
    "[]",
    "5",
    "{}",
    '{"data": 5, "fn_index": 0, "session_hash": "s"}',
    '{"data": [], "fn_index": "0", "session_hash": "s"}',
    '{"data": [], "fn_index": 0.0, "session_hash": "s"}',
    '{"data": [], "fn_index": true, "session_hash": "s"}',
    '{"data": [], "fn_index": 99999, "session_hash": "s"}',
    '{"data": [], "fn_index": -1, "session_hash": "s"}',
    '{"data": null, "fn_index": 1e400, "session_hash": "s"}',
    '{"rating": "up", "answer": {"question": "x", "citations": [{"n": 1e308, "score": 1e400}]}}',
    '{"title": "x", "items": [{"kind": ' + "[" * 50 + "]" * 50 + "}]}",
    "not json at all",
]
POST_ROUTES = [
    *JSON_ROUTES,
    "/gradio_api/queue/join",
    "/embed/gradio_api/queue/join",
    "/gradio_api/call/ask",
    "/gradio_api/run/predict",
]


@pytest.mark.parametrize("path", POST_ROUTES)
def test_hostile_json_on_every_post_route_is_never_a_5xx(http, path):
    for body in HOSTILE_BODIES:
        response = http.post(path, content=body.encode(), headers=JSON)
        assert response.status_code < 500, (path, body[:60], response.status_code, response.text[:200])


@pytest.mark.parametrize("mount", ["", "/embed"])
def test_a_queue_join_naming_no_event_of_the_page_is_a_400(http, mount):
    fn = gradio_http.ask_event_id(http, mount)
    for fn_index in (99_999, -1, str(fn), float(fn), True):
        body = {"data": [FOUR_PILLARS, [], None, [], []], "fn_index": fn_index, "session_hash": uuid.uuid4().hex}
        response = http.post(f"{mount}/gradio_api/queue/join", json=body)
        assert response.status_code == 400, (fn_index, response.text[:200])
        assert "no such event" in response.json()["detail"]
    assert gradio_http.ask_chat(http, FOUR_PILLARS, mount=mount)["success"] is True
