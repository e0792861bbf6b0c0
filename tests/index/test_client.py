"""Chroma's client for the settings: readers never create the embedded store's files."""

from __future__ import annotations

import pytest

from assistant.index.client import make_client
from assistant.index.errors import IndexMissingError
from assistant.index.store import Store
from assistant.settings import Settings

pytestmark = pytest.mark.unit


def test_a_reader_on_an_empty_index_folder_is_told_there_is_no_index_and_creates_nothing(tmp_path):
    settings = Settings(index_dir=tmp_path / "index", corpus_dir=tmp_path / "corpus")
    with pytest.raises(IndexMissingError, match="no index yet"):
        make_client(settings, create=False)
    with pytest.raises(IndexMissingError, match="no index yet"):
        Store.live(settings)
    assert not (tmp_path / "index").exists()


def test_a_writer_creates_the_store_and_a_reader_then_opens_it(tmp_path):
    settings = Settings(index_dir=tmp_path / "index", corpus_dir=tmp_path / "corpus")
    make_client(settings).get_or_create_collection("probe", embedding_function=None)
    assert (tmp_path / "index" / "chroma.sqlite3").exists()
    reader = make_client(settings, create=False)
    assert [c.name for c in reader.list_collections()] == ["probe"]
