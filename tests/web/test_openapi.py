"""The API's OpenAPI schema for the documentation, built without a model, an index or a server."""

from __future__ import annotations

import pytest

from assistant.index import embeddings
from assistant.settings import Settings
from assistant.web.openapi import api_schema

pytestmark = pytest.mark.unit


def test_the_schema_is_the_apis_and_needs_no_model_or_index(tmp_path, monkeypatch):
    def no_model(*args, **kwargs):
        raise AssertionError("building the schema loaded the embedding model")

    monkeypatch.setattr(embeddings.MiniLMEmbedding, "from_settings", no_model)
    index = tmp_path / "index"
    schema = api_schema(Settings(index_dir=index, corpus_dir=tmp_path / "corpus"))
    assert {"/ask", "/ask/stream", "/health", "/documents", "/feedback", "/commitments", "/glossary"} <= set(
        schema["paths"]
    )
    assert schema["paths"]["/ask"]["post"]["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Answer"
    }
    assert schema["servers"] == [{"url": "/api"}]
    assert not index.exists()  # nothing opened or written


def test_the_server_url_follows_the_root_path(tmp_path):
    schema = api_schema(Settings(index_dir=tmp_path, root_path="/wps"))
    assert schema["servers"] == [{"url": "/wps/api"}]
