"""Access rules over real HTTP: API key, trusted proxy header, admin token, signed answer ids, rate limit.

Three servers over the shipped index: ``locked`` (an API key and an admin token), ``proxied`` (a
trusted user header and a limit of 3 questions a minute) and the default ``live_app`` (open reading,
no admin token). The chat's Gradio queue is checked with the same rules as the JSON API.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import httpx
import pytest
from gradio_client import Client
from pydantic import SecretStr

from assistant.pipeline.assistant import Assistant
from tests.conftest import FOUR_PILLARS
from tests.web import gradio_http
from tests.web.servers import serve_with

pytestmark = pytest.mark.integration

KEY, ADMIN, USER_HEADER = "reader-key-123", "admin-token-456", "X-Remote-User"
READING = [("GET", "/"), ("GET", "/embed/"), ("GET", "/config"), ("GET", "/gradio_api/info"), ("GET", "/api/documents")]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def user(name: str) -> dict[str, str]:
    return {USER_HEADER: name}


@pytest.fixture(scope="module")
def locked(shipped: Assistant, tmp_path_factory) -> Iterator[httpx.Client]:
    path = tmp_path_factory.mktemp("locked") / "feedback.jsonl"
    with (
        serve_with(shipped, path, api_key=SecretStr(KEY), admin_token=SecretStr(ADMIN)) as url,
        httpx.Client(base_url=url, timeout=60) as client,
    ):
        yield client


@pytest.fixture(scope="module")
def proxied(shipped: Assistant, tmp_path_factory) -> Iterator[httpx.Client]:
    path = tmp_path_factory.mktemp("proxied") / "feedback.jsonl"
    with (
        serve_with(shipped, path, trusted_user_header=USER_HEADER, rate_limit_per_minute=3) as url,
        httpx.Client(base_url=url, timeout=60) as client,
    ):
        yield client


@pytest.fixture(scope="module")
def elsewhere(shipped: Assistant, tmp_path_factory) -> Iterator[httpx.Client]:
    """The trusted header is configured, but the proxy is another machine: this client is not it."""
    path = tmp_path_factory.mktemp("elsewhere") / "feedback.jsonl"
    with (
        serve_with(
            shipped, path, trusted_user_header=USER_HEADER, forwarded_allow_ips="10.0.0.5", rate_limit_per_minute=3
        ) as url,
        httpx.Client(base_url=url, timeout=60) as client,
    ):
        yield client


@pytest.fixture(scope="module")
def open_app(live_app: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_app, timeout=60) as client:
        yield client


# ------------------------------------------------------------------ reading


@pytest.mark.parametrize(("method", "path"), READING)
def test_with_an_api_key_every_reading_path_needs_it(locked, method, path):
    refused = locked.request(method, path)
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"] == "Bearer"
    assert "API key" in refused.json()["detail"]
    assert locked.request(method, path, headers=bearer("wrong")).status_code == 401
    assert locked.request(method, path, headers=bearer(KEY)).status_code == 200


def test_with_an_api_key_asking_needs_it(locked):
    assert locked.post("/api/ask", json={"question": FOUR_PILLARS}).status_code == 401
    response = locked.post("/api/ask", json={"question": FOUR_PILLARS}, headers=bearer(KEY))
    assert response.status_code == 200 and response.json()["citations"]


def test_health_stays_open_for_load_balancers(locked):
    assert locked.get("/api/health").json()["status"] == "ok"


def test_the_chats_queue_obeys_the_api_key(locked):
    fn = ask_event(locked, bearer(KEY))
    assert gradio_http.join(locked, [FOUR_PILLARS, [], None, [], []], fn).status_code == 401
    client = Client(str(locked.base_url) + "/", headers=bearer(KEY), verbose=False)
    try:
        _chat, _, plain = client.predict(FOUR_PILLARS, [], [], [], api_name="/ask")
    finally:
        client.close()
    assert "References:" in plain


def test_the_trusted_header_admits_the_signed_in_user(proxied):
    assert proxied.get("/").status_code == 401
    assert proxied.get("/", headers=user("alice")).status_code == 200
    assert proxied.post("/api/ask", json={"question": FOUR_PILLARS}, headers=user("alice")).status_code == 200


SPOOFABLE = [
    *READING,
    ("GET", "/gradio_api/queue/data?session_hash=x"),
    ("GET", "/embed/config"),
    ("GET", "/gradio_api/heartbeat/x"),
    ("POST", "/api/ask"),
    ("POST", "/api/feedback"),
    ("POST", "/gradio_api/queue/join"),
    ("POST", "/embed/gradio_api/queue/join"),
    ("POST", "/gradio_api/call/ask"),
    ("GET", "/api/commitments"),
]


@pytest.mark.parametrize(("method", "path"), SPOOFABLE)
def test_the_trusted_header_from_a_client_that_is_not_the_named_proxy_is_refused(elsewhere, method, path):
    body = {"question": FOUR_PILLARS} if method == "POST" else None
    # Streamed: an event stream the spoofer got into would never end.
    with elsewhere.stream(method, path, json=body, headers=user("anyone"), timeout=10) as refused:
        assert refused.status_code == 401
        assert "WPS_FORWARDED_ALLOW_IPS" in json.loads(refused.read())["detail"]


def test_rotating_a_spoofed_user_name_gets_no_answer_and_no_fresh_allowance(elsewhere):
    codes = [
        elsewhere.post("/api/ask", json={"question": FOUR_PILLARS}, headers=user(f"u{n}")).status_code for n in range(6)
    ]
    assert codes == [401] * 6
    # Without the header the client is its address, with its own allowance of 3.
    plain = [elsewhere.post("/api/ask", json={"question": FOUR_PILLARS}).status_code for _ in range(4)]
    assert plain == [401] * 4  # reading is closed: only the proxy's users (or a key) may read


def test_the_rate_limit_follows_the_user_the_proxy_names_not_the_forwarded_address(proxied):
    # From the trusted proxy (127.0.0.1 here): the same user behind changing X-Forwarded-For addresses.
    codes = [
        proxied.post(
            "/api/ask",
            json={"question": FOUR_PILLARS},
            headers={**user("hana"), "X-Forwarded-For": f"192.0.2.{n}"},
        ).status_code
        for n in range(4)
    ]
    assert codes == [200, 200, 200, 429]


# ------------------------------------------------------------------ administration and feedback


def test_the_feedback_export_needs_the_admin_token(locked):
    answer = locked.post("/api/ask", json={"question": FOUR_PILLARS}, headers=bearer(KEY)).json()
    posted = locked.post("/api/feedback", json={"rating": "up", "answer": answer}, headers=bearer(KEY))
    assert posted.status_code == 201

    assert locked.get("/api/feedback").status_code == 401
    reader = locked.get("/api/feedback", headers=bearer(KEY))
    assert reader.status_code == 403 and "admin token" in reader.json()["detail"]
    export = locked.get("/api/feedback", headers=bearer(ADMIN))
    assert export.status_code == 200
    records = [json.loads(line) for line in export.text.splitlines()]
    assert records[-1]["answer_id"] == answer["id"] and records[-1]["rating"] == "up"


def test_without_an_admin_token_administration_is_disabled_even_with_open_reading(open_app):
    refused = open_app.get("/api/feedback", headers=bearer("anything"))
    assert refused.status_code == 403
    assert "Administration is disabled" in refused.json()["detail"]


@pytest.mark.parametrize("path", ["/monitoring", "/monitoring/summary", "/embed/monitoring/summary"])
def test_gradios_monitoring_needs_the_admin_token_even_when_reading_is_open(open_app, locked, path):
    refused = open_app.get(path)
    assert refused.status_code == 403 and "Administration is disabled" in refused.json()["detail"]
    reader = locked.get(path, headers=bearer(KEY))  # a reader is not an administrator
    assert reader.status_code == 403 and "admin token" in reader.json()["detail"]
    admin = locked.get(path, headers=bearer(ADMIN))  # past the rule: Gradio's own answer
    assert admin.status_code != 401 and "admin" not in admin.text.lower()


def test_the_use_via_api_panel_is_hidden_by_default(open_app):
    for mount in ("", "/embed"):
        assert open_app.get(f"{mount}/config").json()["footer_links"] == []


def test_every_answer_carries_an_id_issued_by_the_server(open_app):
    first = open_app.post("/api/ask", json={"question": FOUR_PILLARS}).json()
    second = open_app.post("/api/ask", json={"question": FOUR_PILLARS}).json()
    assert first["id"] and second["id"] and first["id"] != second["id"]


@pytest.mark.parametrize(
    "forge",
    [
        lambda a: {**a, "id": ""},
        lambda a: {**a, "id": "made.up"},
        lambda a: {**a, "answer": "Something this server never said."},
        lambda a: {**a, "question": "A question nobody asked?"},
    ],
    ids=["no-id", "unknown-id", "altered-answer", "altered-question"],
)
def test_feedback_for_an_answer_the_server_did_not_give_is_refused(open_app, feedback_path, forge):
    before = feedback_path.read_text(encoding="utf-8") if feedback_path.exists() else ""
    answer = open_app.post("/api/ask", json={"question": FOUR_PILLARS}).json()

    response = open_app.post("/api/feedback", json={"rating": "down", "answer": forge(answer)})

    assert response.status_code == 403
    assert "only for answers this server gave" in response.json()["detail"]
    assert (feedback_path.read_text(encoding="utf-8") if feedback_path.exists() else "") == before


def test_an_answer_from_a_server_with_another_secret_is_refused(locked, open_app):
    answer = locked.post("/api/ask", json={"question": FOUR_PILLARS}, headers=bearer(KEY)).json()
    assert open_app.post("/api/feedback", json={"rating": "up", "answer": answer}).status_code == 403


# ------------------------------------------------------------------ rate limit


def test_the_rate_limit_refuses_a_fourth_question_a_minute_with_retry_after(proxied):
    for _ in range(3):
        assert proxied.post("/api/ask", json={"question": FOUR_PILLARS}, headers=user("carol")).status_code == 200

    refused = proxied.post("/api/ask", json={"question": FOUR_PILLARS}, headers=user("carol"))

    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 20
    assert "Too many questions: at most 3 a minute" in refused.json()["detail"]
    assert proxied.post("/api/ask", json={"question": FOUR_PILLARS}, headers=user("dave")).status_code == 200


def test_the_chat_counts_questions_against_the_same_allowance_and_says_so_in_the_conversation(proxied):
    with httpx.Client(base_url=proxied.base_url, headers=user("erin"), timeout=60) as erin:
        assert erin.post("/api/ask", json={"question": FOUR_PILLARS}).status_code == 200
        assert gradio_http.ask_chat(erin, FOUR_PILLARS)["success"] is True
        assert gradio_http.ask_chat(erin, FOUR_PILLARS, mount="/embed")["success"] is True

        refused = gradio_http.ask_chat(erin, FOUR_PILLARS)

        assert refused["success"] is True  # an answer in the conversation, not Gradio's error state
        chat = refused["output"]["data"][0]
        assert "Too many questions: at most 3 a minute" in json.dumps(chat)
        assert erin.post("/api/ask", json={"question": FOUR_PILLARS}).status_code == 429


def test_a_client_flooding_the_chats_queue_gets_429_with_retry_after(proxied):
    # The page's own questions are refused in the conversation; past twice the allowance of joins,
    # the queue itself refuses (a client that is not the page, or one that never stops).
    headers = user("gina")
    fn, embed_fn = ask_event(proxied, headers), ask_event(proxied, headers, "/embed")
    data = [FOUR_PILLARS, [], None, [], []]
    for n in range(6):
        mount, event = ("", fn) if n % 2 else ("/embed", embed_fn)
        joined = proxied.post(f"{mount}/gradio_api/queue/join", json=_join(data, event, n), headers=headers)
        assert joined.status_code == 200

    for path, body in [
        ("/gradio_api/queue/join", _join(data, fn, 7)),
        ("/embed/gradio_api/queue/join", _join(data, embed_fn, 8)),
        ("/gradio_api/call/ask", {"data": [FOUR_PILLARS, [], [], []]}),
    ]:
        refused = proxied.post(path, json=body, headers=headers)
        assert refused.status_code == 429, path
        assert int(refused.headers["retry-after"]) >= 1
        assert "Too many questions" in refused.json()["detail"]


def test_page_interactions_on_the_queue_are_not_counted_as_questions(proxied):
    headers = user("fay")
    fn = ask_event(proxied, headers)
    config = proxied.get("/config", headers=headers).json()
    # A page interaction: not the question box, the Ask button or an example (each runs ``respond``).
    other = next(
        d["id"] for d in config["dependencies"] if not (d.get("api_name") or "").startswith(("ask", "respond"))
    )
    for n in range(6):
        proxied.post("/gradio_api/queue/join", json=_join([FOUR_PILLARS, [], None, [], []], fn, n), headers=headers)
    assert (
        proxied.post("/gradio_api/call/ask", json={"data": [FOUR_PILLARS, [], [], []]}, headers=headers).status_code
        == 429
    )
    response = proxied.post("/gradio_api/queue/join", json=_join([None], other, 99), headers=headers)
    assert response.status_code != 429


def test_feedback_through_the_chats_thumbs_shares_the_apis_feedback_limit(proxied):
    headers = user("ivan")
    answer = proxied.post("/api/ask", json={"question": FOUR_PILLARS}, headers=headers).json()
    config = proxied.get("/config", headers=headers).json()
    like = next(d["id"] for d in config["dependencies"] if any(t[1] == "like" for t in d["targets"]))
    like_data = {"index": [1, 0], "value": "x", "liked": True}
    codes = [
        proxied.post("/gradio_api/queue/join", json=_join([None, None], like, n) | {"event_data": like_data},
                     headers=headers).status_code
        for n in range(4)
    ]  # fmt: skip
    assert codes == [200, 200, 200, 429]
    refused = proxied.post("/api/feedback", json={"rating": "up", "answer": answer}, headers=headers)
    assert refused.status_code == 429 and "Too many feedback records" in refused.json()["detail"]


def ask_event(client: httpx.Client, headers: dict[str, str], mount: str = "") -> int:
    with httpx.Client(base_url=client.base_url, headers=headers, timeout=60) as authorised:
        return gradio_http.ask_event_id(authorised, mount)


def _join(data: list, fn: int, n: int = 0) -> dict:
    return {"data": data, "fn_index": fn, "session_hash": f"s{fn}-{n}-{uuid.uuid4().hex}", "trigger_id": None}
