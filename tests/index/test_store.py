"""The store against a real ``chroma run`` server: WPS_CHROMA_HOST/PORT switch to Chroma's HTTP client."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from assistant.pipeline.factory import build_assistant
from assistant.settings import Settings
from tests.conftest import CORPUS

pytestmark = pytest.mark.integration


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    """A real Chroma server (the `chroma` CLI that ships with chromadb) on a free loopback port."""
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    assert chroma, "the chroma CLI (installed with chromadb) is missing"
    port = _free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    process = subprocess.Popen(
        [chroma, "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, "chroma run exited"
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "chroma run did not answer within 60 s"
            time.sleep(0.3)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_assistant_over_a_chroma_server_ingests_answers_and_restarts_without_re_embedding(
    chroma_server, embed_model, tmp_path
):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    settings = Settings(
        corpus_dir=corpus, index_dir=tmp_path / "index", chroma_host="127.0.0.1", chroma_port=chroma_server
    )
    first, report = build_assistant(settings, ingest=True, embed_model=embed_model)
    assert report.added and report.nodes_embedded > 0
    assert not list((tmp_path / "index").glob("*.sqlite3"))  # vectors live on the server, not locally
    answer = first.ask("What are the four pillars of the WPS agenda?")
    assert not answer.abstained and answer.citations[0].section == "Preamble"

    # A restart against the same server: nothing to embed, same answer. (The ingest bookkeeping, the
    # docstore, stays in index_dir: replicas that share the server should not each ingest.)
    second, report = build_assistant(settings, ingest=True, embed_model=embed_model)
    assert report.nodes_embedded == 0
    assert second.ask("What are the four pillars of the WPS agenda?").citations == answer.citations
