"""A page loaded after an ingest shows the live generation: a document removed from the corpus is gone
from Start here, the chat's examples, Commitments and Documents — not only from the API.

The real app over a following :class:`AssistantHost`, served by uvicorn; the page is loaded as the
browser loads it: its configuration, then its load events through Gradio's queue.
"""

from __future__ import annotations

import json
import shutil
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest

from assistant.feedback import FeedbackStore
from assistant.ingest.pipeline import ingest_corpus
from assistant.pipeline.host import AssistantHost
from assistant.settings import Settings
from assistant.web.app import create_app
from tests import formats
from tests.conftest import ROOT
from tests.live import serve
from tests.web import gradio_http

pytestmark = pytest.mark.integration

GENEVA = next((ROOT / "tests" / "data" / "hostile").glob("*.txt"))


@pytest.fixture()
def app(tmp_path, embed_model) -> Iterator[tuple[Settings, str]]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(GENEVA, corpus)
    formats.write_numbered_txt(corpus)
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", index_check_seconds=0.5, e5="off")
    ingest_corpus(settings, embed_model, show_progress=False)
    host = AssistantHost(settings, embed_model).start()
    with serve(create_app(host, FeedbackStore(tmp_path / "feedback.jsonl"))) as url:
        yield settings, url
    host.stop()


def loaded_page(http: httpx.Client) -> str:
    """What a freshly loaded page shows: every component's properties as the configuration lays them
    out, with what the page's load events (run through the queue, as the browser does) set on them."""
    config = http.get("/config").json()
    shown = {c["id"]: dict(c.get("props", {})) for c in config["components"]}
    loads = [
        d
        for d in config["dependencies"]
        if any(t[1] == "load" for t in d["targets"]) and d.get("backend_fn", True)  # not the page's own scripts
    ]
    assert loads
    for dependency in loads:
        session = uuid.uuid4().hex
        # A fresh browser: whatever it keeps (gr.BrowserState) is empty on its first load.
        inputs = [None] * len(dependency.get("inputs", []))
        assert gradio_http.join(http, inputs, dependency["id"], session=session).status_code == 200
        message = gradio_http.completed(http, session)
        assert message["success"] is True, message
        for target, value in zip(dependency["outputs"], message["output"]["data"], strict=True):
            if isinstance(value, dict) and value.get("__type__") == "update":
                shown[target].update({k: v for k, v in value.items() if k != "__type__"})
            elif isinstance(value, dict) and "samples" in value:  # a Dataset returned whole
                shown[target].update(value)
            else:
                shown[target]["value"] = value
    return json.dumps(shown, ensure_ascii=False)


def test_a_removed_document_is_gone_from_a_freshly_loaded_page(app, embed_model):
    settings, url = app
    with httpx.Client(base_url=url, timeout=60) as http:
        before = loaded_page(http)
        assert "Geneva 2025" in before and "women human rights defenders" in before
        generation = http.get("/api/health").json()["generation"]

        (settings.corpus_dir / GENEVA.name).unlink()
        ingest_corpus(settings, embed_model, show_progress=False)
        deadline = time.monotonic() + 60
        while http.get("/api/health").json().get("generation") == generation:
            assert time.monotonic() < deadline, "the app did not follow the ingest"
            time.sleep(0.3)
        assert "Geneva" not in http.get("/api/commitments").text  # the API was already clean

        after = loaded_page(http)
        stale = {k: str(v)[:300] for k, v in json.loads(after).items() if "Geneva" in json.dumps(v)}
        assert not stale, stale
        assert "women human rights defenders" not in after
        assert "Nairobi" in after  # the document still indexed is shown
