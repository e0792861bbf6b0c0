"""Fixtures of the ingest tests."""

from __future__ import annotations

import pytest

from assistant.settings import Settings
from tests import formats


@pytest.fixture()
def small_corpus(tmp_path) -> Settings:
    """Settings over a corpus of two small documents (Markdown, numbered text) and an empty index."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    formats.write_markdown(corpus)
    formats.write_numbered_txt(corpus)
    return Settings(corpus_dir=corpus, index_dir=tmp_path / "index")
