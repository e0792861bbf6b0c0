"""The question path's query embedding is llama-index's, without its instrumentation."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration


def test_embed_query_gives_the_vector_get_query_embedding_gives(embed_model):
    for question in ("Who hosted the meeting?", "¿Qué dice sobre las mujeres mediadoras?"):
        assert embed_model.embed_query(question) == embed_model.get_query_embedding(question)
