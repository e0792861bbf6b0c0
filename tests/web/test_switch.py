"""An ingest in another process while the app serves questions: no question fails, and the app
follows the new generation (answers, /api/documents, /api/health) without a restart.

The app is the real one (``create_app`` over an :class:`AssistantHost`) served by uvicorn; the ingest
is the real command line in a child process, as an operator would run it next to ``serve``.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator

import httpx
import pytest

from assistant.feedback import FeedbackStore
from assistant.ingest.parse import parse_file
from assistant.ingest.pipeline import ingest_corpus
from assistant.pipeline.host import AssistantHost
from assistant.settings import Settings
from assistant.web.app import create_app
from tests import formats
from tests.conftest import CORPUS, EARLY_WARNING
from tests.lifecycle import Traffic, cli
from tests.live import serve

pytestmark = pytest.mark.integration

ROME = next(CORPUS.glob("*.txt"))
QUOKKA = "What does the quokka charter do?"
OBSIDIAN = "What does the obsidian protocol set out?"


@pytest.fixture()
def app(tmp_path, embed_model) -> Iterator[tuple[Settings, str]]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ROME, corpus)
    formats.write_numbered_txt(corpus)
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", index_check_seconds=0.5)
    ingest_corpus(settings, embed_model, show_progress=False)
    host = AssistantHost(settings, embed_model).start()
    with serve(create_app(host, FeedbackStore(tmp_path / "feedback.jsonl"))) as url:
        yield settings, url
    host.stop()


def test_an_ingest_while_serving_switches_the_index_with_no_failed_question(app):
    settings, url = app
    http = httpx.Client(base_url=url, timeout=60)
    before = http.get("/api/health").json()
    numbered = parse_file(next(p for p in settings.corpus_dir.glob("*.txt") if p.name != ROME.name)).doc_id
    # The change: one document added, one removed, one edited.
    markdown = parse_file(formats.write_markdown(settings.corpus_dir)).doc_id
    next(p for p in settings.corpus_dir.glob("*.txt") if p.name != ROME.name).unlink()
    rome = settings.corpus_dir / ROME.name
    rome.write_text(
        rome.read_text(encoding="utf-8") + "\n\nWe welcome the quokka charter, which pairs coastal mediators "
        "with women peacebuilders.\n",
        encoding="utf-8",
    )

    with Traffic(url, [EARLY_WARNING, "What will the quince ledger make comparable?"]) as traffic:
        ingest = cli(settings, "ingest", "--quiet")
        out, err = ingest.communicate(timeout=600)
        assert ingest.returncode == 0, err
        deadline = time.monotonic() + 60
        while http.get("/api/health").json().get("generation") == before["generation"]:
            assert time.monotonic() < deadline, "the app did not follow the new generation"
            time.sleep(0.2)
        switched_at = sum(traffic.codes.values())
        time.sleep(2)  # questions keep coming after the switch too

    assert traffic.errors == []
    assert traffic.codes[200] > switched_at > 0
    assert "1 added, 1 updated, 0 unchanged, 1 removed" in out

    health = http.get("/api/health").json()
    assert health["status"] == "ok" and health["generation"] == before["generation"] + 1
    assert health["documents"] == 2
    documents = {d["doc_id"] for d in http.get("/api/documents").json()}
    assert markdown in documents and numbered not in documents
    for question, doc_id in ((OBSIDIAN, markdown), (QUOKKA, parse_file(rome).doc_id)):
        answer = http.post("/api/ask", json={"question": question}).json()
        assert not answer["abstained"] and answer["citations"][0]["doc_id"] == doc_id
    assert http.get(f"/api/documents/{markdown}/paragraphs").status_code == 200


@pytest.fixture()
def browser_page(browser) -> Iterator:
    from tests.browser import new_page

    context, page = new_page(browser)
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_the_page_says_the_index_is_being_built_then_lists_its_documents_on_reload(tmp_path, embed_model, browser_page):
    from tests.browser import ask, choose, open_accordion, open_app, shot

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", index_check_seconds=0.5)
    host = AssistantHost(settings, embed_model).start()  # no index at all yet
    page = browser_page
    with serve(create_app(host, FeedbackStore(tmp_path / "feedback.jsonl"))) as url:
        open_app(page, url + "/")
        notice = page.locator("#index-status")
        expect_text = "There is no index yet"
        assert expect_text in notice.inner_text() and "run wps-assistant ingest" in notice.inner_text()
        assert expect_text in ask(page, OBSIDIAN).inner_text()
        shot(page, "lifecycle-no-index")

        markdown = formats.write_markdown(corpus)
        ingest_corpus(settings, embed_model, show_progress=False)
        deadline = time.monotonic() + 30
        while host.status().generation != 1:
            assert time.monotonic() < deadline, "the host did not follow the first generation"
            time.sleep(0.2)

        open_app(page, url + "/")
        # The page is laid out with the notice of start-up; its load event hides it once it has asked
        # the host, which can land after the question box shows (a race one full run here met).
        page.locator("#index-status").wait_for(state="hidden", timeout=15_000)
        open_accordion(page, "filters")
        choose(page, "filter-docs", formats.TITLE)  # the new document is offered on the reloaded page
        answer = ask(page, OBSIDIAN)
        assert "obsidian protocol" in answer.inner_text()
        assert parse_file(markdown).title in answer.inner_text() or "Nairobi" in answer.inner_text()
        shot(page, "lifecycle-after-first-ingest")
        assert page.external_requests == []
    host.stop()


def test_serve_on_an_empty_index_says_it_is_being_built_while_its_start_up_ingest_runs(tmp_path, embed_model):
    from assistant.web.app import start_host

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ROME, corpus)
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", index_check_seconds=0.5)
    host = start_host(settings, embed_model)  # as `serve` does: the ingest runs in the background
    with serve(create_app(host, FeedbackStore(tmp_path / "feedback.jsonl"))) as url:
        http = httpx.Client(base_url=url, timeout=60)
        health = http.get("/api/health")
        ask = http.post("/api/ask", json={"question": EARLY_WARNING})
        assert health.status_code == 503 and health.json()["status"] == "building"
        assert "being built" in health.json()["detail"] and "being built" in ask.json()["detail"]
        deadline = time.monotonic() + 300
        while http.get("/api/health").status_code != 200:
            assert time.monotonic() < deadline, "the start-up ingest never finished"
            time.sleep(0.3)
        assert not http.post("/api/ask", json={"question": EARLY_WARNING}).json()["abstained"]
    host.stop()
