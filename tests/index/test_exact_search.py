"""Dense search from vectors held in memory: the same nodes, in the same order, as Chroma's own search."""

from __future__ import annotations

import numpy as np
import pytest
from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode
from llama_index.core.vector_stores.types import (
    FilterOperator,
    MetadataFilter,
    MetadataFilters,
    VectorStoreQuery,
    VectorStoreQueryMode,
)

from assistant.index.store import CosineChromaVectorStore, ExactChromaVectorStore, exact_plan
from assistant.schema import DOC_ID, KIND, PARAGRAPH, PASSAGE, SENTENCE


def _filters(kind: str = PASSAGE, **more) -> MetadataFilters:
    out = [MetadataFilter(key=KIND, value=kind)]
    for key, values in more.items():
        out.append(MetadataFilter(key=key, value=list(values), operator=FilterOperator.IN))
    return MetadataFilters(filters=out)


@pytest.mark.unit
def test_a_kind_with_membership_conditions_is_searched_exactly_and_anything_else_goes_to_chroma():
    vector = [0.1] * 4
    plan = exact_plan(VectorStoreQuery(query_embedding=vector, filters=_filters(SENTENCE, doc_id=["a", "b"])))
    assert plan == (SENTENCE, ((DOC_ID, frozenset({"a", "b"})),))
    assert exact_plan(VectorStoreQuery(query_embedding=vector)) is None  # no kind: every kind, Chroma
    assert exact_plan(VectorStoreQuery(query_embedding=None, filters=_filters())) is None
    assert (
        exact_plan(VectorStoreQuery(query_embedding=vector, filters=_filters(), mode=VectorStoreQueryMode.MMR)) is None
    )
    other = MetadataFilters(filters=[MetadataFilter(key=KIND, value=PASSAGE), MetadataFilter(key="title", value="x")])
    assert exact_plan(VectorStoreQuery(query_embedding=vector, filters=other)) is None
    nested = MetadataFilters(filters=[MetadataFilter(key=KIND, value=PASSAGE), _filters()])
    assert exact_plan(VectorStoreQuery(query_embedding=vector, filters=nested)) is None


@pytest.fixture()
def collection(tmp_path):
    """An embedded Chroma collection of 300 random nodes of two kinds over six documents."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    client = chromadb.PersistentClient(path=str(tmp_path), settings=ChromaSettings(anonymized_telemetry=False))
    col = client.create_collection("exact-search", metadata={"hnsw:space": "cosine"})
    rng = np.random.default_rng(3)
    nodes = []
    for i in range(300):
        v = rng.standard_normal(16)
        nodes.append(
            TextNode(
                id_=f"n{i}",
                text=f"node {i}",
                metadata={KIND: PASSAGE if i % 3 else SENTENCE, DOC_ID: f"doc{i % 6}", PARAGRAPH: i % 7},
                embedding=(v / np.linalg.norm(v)).tolist(),
                # llama-index stores the source's id as doc_id, as ingest's nodes have it
                relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=f"doc{i % 6}")},
            )
        )
    CosineChromaVectorStore(chroma_collection=col).add(nodes)
    return col


@pytest.mark.integration
def test_exact_search_returns_chromas_nodes_and_cosines_for_every_filter(collection):
    chroma = CosineChromaVectorStore(chroma_collection=collection)
    exact = ExactChromaVectorStore(chroma_collection=collection)
    rng = np.random.default_rng(5)
    cases = [_filters(), _filters(SENTENCE), _filters(doc_id=["doc1", "doc4"]), _filters(SENTENCE, paragraph=[2, 3])]
    for filters in cases:
        for _ in range(5):
            q = VectorStoreQuery(query_embedding=rng.standard_normal(16).tolist(), similarity_top_k=8, filters=filters)
            want, got = chroma.query(q), exact.query(q)
            assert got.ids == want.ids and got.ids
            assert np.allclose(got.similarities, want.similarities, atol=1e-5)
            assert [n.get_content() for n in got.nodes] == [n.get_content() for n in want.nodes]
            assert [n.metadata for n in got.nodes] == [n.metadata for n in want.nodes]


@pytest.mark.integration
def test_a_filter_nothing_matches_finds_nothing_and_a_small_scope_finds_all_of_it(collection):
    exact = ExactChromaVectorStore(chroma_collection=collection)
    none = exact.query(VectorStoreQuery(query_embedding=[1.0] * 16, filters=_filters(doc_id=["absent"])))
    assert none.ids == [] and none.nodes == []
    few = exact.query(
        VectorStoreQuery(query_embedding=[1.0] * 16, similarity_top_k=50, filters=_filters(SENTENCE, doc_id=["doc0"]))
    )
    assert len(few.ids) == 50 and all(n.metadata[DOC_ID] == "doc0" for n in few.nodes)  # 50 of doc0's sentences
    assert few.similarities == sorted(few.similarities, reverse=True)


@pytest.mark.integration
def test_sentences_fetched_by_id_are_those_chromas_where_finds(shipped):
    from assistant.index.store import Store

    exact = shipped.store
    assert isinstance(exact.vector_store, ExactChromaVectorStore)
    chroma = Store(exact.settings.model_copy(update={"store_search": "chroma"}), exact.collection, exact.generation)
    keys = sorted({n.metadata["para_key"] for n in exact.passages()})
    for scope in (keys[:3], keys[5:17], keys, ["no-such-paragraph"]):
        got, want = exact.sentences(scope), chroma.sentences(scope)
        assert [(s.para_key, s.start, s.text, s.embedding) for s in got] == [
            (s.para_key, s.start, s.text, s.embedding) for s in want
        ]
        assert got or scope == ["no-such-paragraph"]
