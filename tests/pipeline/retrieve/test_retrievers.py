"""Hybrid retrieval as a llama-index BaseRetriever over the real index (real model, real Chroma)."""

from __future__ import annotations

import numpy as np
import pytest
from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.llms import MockLLM
from llama_index.core.query_engine import RetrieverQueryEngine
from llama_index.core.schema import QueryBundle
from llama_index.core.vector_stores import VectorStoreQuery

from assistant.pipeline.retrieve.retrievers import PassageIndex, metadata_filters, unique_ids
from assistant.schema import PASSAGE, SENTENCE, Address, Filters, para_key

pytestmark = pytest.mark.integration

QUESTION = "What does the communiqué recommend on gender-sensitive early warning?"


def test_the_retriever_is_a_llama_index_retriever_returning_candidate_k_candidates(shipped):
    assert isinstance(shipped.retriever, BaseRetriever)
    found = shipped.retriever.retrieve(QUESTION)  # no embedding given: the index's model computes it
    assert len(found) == shipped.settings.candidate_k
    assert any("early warning" in n.node.get_content() for n in found[:3])


def test_a_llama_index_query_engine_runs_our_retriever_and_post_processors(shipped):
    engine = RetrieverQueryEngine.from_args(
        shipped.retriever, llm=MockLLM(), node_postprocessors=shipped.postprocessors
    )
    sources = engine.query(QUESTION).source_nodes
    keys = [para_key(n.node) for n in sources]
    assert 0 < len(keys) <= shipped.settings.top_k and len(set(keys)) == len(keys)


def test_a_scoped_retriever_only_returns_passages_of_its_scope(shipped):
    scoped = shipped.retriever.scoped(Filters(sections=("Protection",)))
    assert {Address.of(n.node).section for n in scoped.retrieve(QUESTION)} == {"Protection"}


def test_the_store_reports_cosine_similarity_not_chromas_distance_transform(shipped):
    emb = shipped.embed_model.get_query_embedding(QUESTION)
    result = shipped.store.vector_store.query(
        VectorStoreQuery(query_embedding=emb, similarity_top_k=3, filters=metadata_filters(Filters()))
    )
    got = shipped.store.collection.get(ids=result.ids, include=["embeddings"])
    vectors = dict(zip(got["ids"], got["embeddings"], strict=True))
    expected = [float(np.dot(vectors[i], emb)) for i in result.ids]
    assert result.similarities == pytest.approx(expected, abs=1e-4)


def test_candidates_carry_e5s_cosine_of_every_passage_in_scope_for_the_abstain_signals(shipped):
    emb = shipped.embed_model.get_query_embedding(QUESTION)
    found = shipped.retriever.candidates(QueryBundle(query_str=QUESTION, embedding=emb))
    assert len(found.e5_similarities) == len(shipped.retriever.shared.passages)
    assert all(-1 <= s <= 1 for s in found.e5_similarities)


def test_a_french_question_retrieves_the_english_passage_through_e5(shipped):
    found = shipped.retriever.retrieve("Que recommande le communiqué sur les systèmes d'alerte précoce ?")
    assert any("early warning" in n.node.get_content() for n in found[:3])


def test_each_citation_carries_its_score_breakdown_for_the_evaluation(shipped):
    answer = shipped.ask(QUESTION)
    c = answer.citations[0]
    assert set(c.breakdown) == {"similarity", "lexical", "answer_type", "unknown", "name", "enumeration"}
    assert sum(c.breakdown.values()) == pytest.approx(c.score, abs=1e-3)
    assert "breakdown" not in answer.model_dump_json()


def test_a_paragraph_beyond_64_bits_filters_to_nothing_instead_of_failing(shipped):
    emb = shipped.embed_model.get_query_embedding(QUESTION)
    filters = metadata_filters(Filters(paragraphs=(2**63, -(2**70))))
    found = shipped.store.vector_store.query(VectorStoreQuery(query_embedding=emb, similarity_top_k=3, filters=filters))
    assert found.nodes == []


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(sections=("Protection", "Prevention")),
        Filters(paragraphs=(3, 7, 21)),
        Filters(paragraphs=(2**63,)),
    ],
)
@pytest.mark.parametrize("kind", [PASSAGE, SENTENCE])
def test_the_nearest_records_in_memory_are_chromas_with_the_same_cosines(shipped, filters, kind):
    shared = shipped.retriever.shared
    assert kind in shared.vectors  # the default, WPS_DENSE_SEARCH=memory
    store_side = PassageIndex(shared.index, shared.passages, shipped.settings)  # no vectors: Chroma's query
    for question in (QUESTION, "Who hosted the meeting?", "youth participation in peace processes"):
        emb = shipped.embed_model.get_query_embedding(question)
        in_memory = shared.nearest(emb, filters, kind, 12)
        chroma = store_side.nearest(emb, filters, kind, 12)
        assert [i for i, _, _ in in_memory] == [i for i, _, _ in chroma]
        assert [s for _, _, s in in_memory] == pytest.approx([s for _, _, s in chroma], abs=1e-6)
        if kind == SENTENCE:
            assert [k for _, k, _ in in_memory] == [k for _, k, _ in chroma]


def test_bm25_read_without_instrumentation_gives_what_its_retrieve_gives(shipped):
    bm25 = shipped.retriever.shared.bm25(Filters())
    for question in (QUESTION, "Who hosted the meeting?"):
        bundle = QueryBundle(question)
        direct = unique_ids(bm25._retrieve(bundle))
        assert [(r.node.node_id, r.score) for r in direct] == [(r.node.node_id, r.score) for r in bm25.retrieve(bundle)]
