"""The store against a real ``chroma run`` server: WPS_CHROMA_HOST/PORT switch to Chroma's HTTP client."""

from __future__ import annotations

import shutil

import pytest

from assistant.pipeline.factory import build_assistant
from assistant.settings import Settings
from tests.conftest import CORPUS
from tests.lifecycle import chroma_server as chroma_server_at

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    """A real Chroma server (the `chroma` CLI that ships with chromadb) on a free loopback port."""
    with chroma_server_at(tmp_path_factory.mktemp("chroma-server")) as server:
        yield server.port


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

    # A restart against the same server: nothing to embed, same answer. What is indexed is read from
    # the server itself (the nodes' file hashes), so this holds from any machine.
    second, report = build_assistant(settings, ingest=True, embed_model=embed_model)
    assert report.nodes_embedded == 0
    assert second.ask("What are the four pillars of the WPS agenda?").citations == answer.citations


class _DroppedSystemClient:
    """A chromadb client whose path's ``System`` another thread dropped (``forget_client``): its
    ``_system`` property raises ``KeyError``, though the client itself still works."""

    @property
    def _system(self):
        raise KeyError("/index")


def test_a_client_whose_system_was_dropped_by_another_thread_is_not_read_as_replaced_files(tmp_path):
    from assistant.index.client import files_replaced

    assert files_replaced(_DroppedSystemClient(), Settings(index_dir=tmp_path)) is False
