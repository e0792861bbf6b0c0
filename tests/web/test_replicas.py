"""App replicas sharing one real ``chroma run`` server: they follow an ingest together, and a server
outage gives 503 with a plain message (API, chat, health) until the server is back, then answers again.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from contextlib import ExitStack

import httpx
import pytest
from gradio_client import Client

from assistant.feedback import FeedbackStore
from assistant.ingest.parse import parse_file
from assistant.ingest.pipeline import ingest_corpus
from assistant.pipeline.host import AssistantHost
from assistant.settings import Settings
from assistant.web.app import create_app
from tests import formats
from tests.conftest import CORPUS, EARLY_WARNING, FOUR_PILLARS
from tests.lifecycle import ChromaServer, Traffic, cli
from tests.live import serve

pytestmark = pytest.mark.integration

OBSIDIAN = "What does the obsidian protocol set out?"


@pytest.fixture()
def server(tmp_path) -> Iterator[ChromaServer]:
    chroma = ChromaServer(tmp_path / "chroma").start()
    yield chroma
    chroma.stop()


@pytest.fixture()
def settings(tmp_path, server, embed_model) -> Settings:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    settings = Settings(
        corpus_dir=corpus,
        index_dir=tmp_path / "index",
        chroma_host="127.0.0.1",
        chroma_port=server.port,
        index_check_seconds=0.5,
        chroma_timeout_seconds=5,
    )
    ingest_corpus(settings, embed_model, show_progress=False)
    return settings


def _replica(stack: ExitStack, settings: Settings, embed_model, tmp_path, n: int) -> tuple[AssistantHost, str]:
    host = AssistantHost(settings, embed_model).start()
    stack.callback(host.stop)
    url = stack.enter_context(serve(create_app(host, FeedbackStore(tmp_path / f"feedback{n}.jsonl"))))
    return host, url


def test_two_replicas_on_one_chroma_server_follow_an_ingest_with_no_failed_question(settings, embed_model, tmp_path):
    with ExitStack() as stack:
        urls = [_replica(stack, settings, embed_model, tmp_path, n)[1] for n in (1, 2)]
        markdown = parse_file(formats.write_markdown(settings.corpus_dir)).doc_id
        traffic = [stack.enter_context(Traffic(url, [EARLY_WARNING, FOUR_PILLARS], clients=2)) for url in urls]

        ingest = cli(settings, "ingest", "--quiet")  # from "elsewhere": another process, same server
        out, err = ingest.communicate(timeout=600)
        assert ingest.returncode == 0, err
        assert "1 added" in out
        for url in urls:
            _until(lambda url=url: markdown in {d["doc_id"] for d in httpx.get(f"{url}/api/documents").json()})
        time.sleep(1)
        for t in traffic:
            t.__exit__()

        assert all(t.errors == [] and t.codes[200] > 0 for t in traffic), [t.errors[:3] for t in traffic]
        for url in urls:
            answer = httpx.post(f"{url}/api/ask", json={"question": OBSIDIAN}, timeout=60).json()
            assert answer["citations"][0]["doc_id"] == markdown
            assert httpx.get(f"{url}/api/health").json()["generation"] == 2


def test_a_chroma_outage_gives_503_with_a_message_and_answers_resume_when_it_is_back(
    settings, server, embed_model, tmp_path
):
    with ExitStack() as stack:
        _, url = _replica(stack, settings, embed_model, tmp_path, 1)
        http = stack.enter_context(httpx.Client(base_url=url, timeout=60))
        assert http.post("/api/ask", json={"question": FOUR_PILLARS}).status_code == 200

        server.stop()
        ask = http.post("/api/ask", json={"question": FOUR_PILLARS})
        health = http.get("/api/health")
        chat = Client(url + "/", verbose=False)
        reply = chat.predict(FOUR_PILLARS, [], [], [], api_name="/ask")[0][-1]["content"]
        chat.close()

        assert ask.status_code == 503 and "cannot be reached" in ask.json()["detail"]
        assert ask.json()["state"] == "unreachable" and ask.headers["retry-after"]
        assert health.status_code == 503
        assert health.json()["store"] == "unreachable" and "cannot be reached" in health.json()["detail"]
        text = reply if isinstance(reply, str) else "".join(part.get("text", "") for part in reply)
        assert "cannot be reached" in text and "Traceback" not in text

        server.start()
        _until(lambda: http.post("/api/ask", json={"question": FOUR_PILLARS}).status_code == 200)
        health = http.get("/api/health")
        assert health.status_code == 200 and health.json()["store"] == "ok"


def _until(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.3)
