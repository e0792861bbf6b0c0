"""Our fusion of already-retrieved results gives what llama-index's QueryFusionRetriever gives."""

from __future__ import annotations

import math
import random

import pytest
from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.llms import MockLLM
from llama_index.core.retrievers import QueryFusionRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from assistant.pipeline.retrieve.retrievers import cosine_of, fuse, fusion_weights, unique_ids

pytestmark = pytest.mark.unit


class _Given(BaseRetriever):
    def __init__(self, results: list[NodeWithScore]) -> None:
        super().__init__()
        self._results = results

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        return [NodeWithScore(node=r.node, score=r.score) for r in self._results]


def _results(rng: random.Random, nodes: list[TextNode], n: int, ties: bool) -> list[NodeWithScore]:
    picked = rng.sample(nodes, n)
    scores = [round(rng.random(), 1) if ties else rng.uniform(-0.2, 1.0) for _ in picked]
    return [NodeWithScore(node=node, score=score) for node, score in zip(picked, scores, strict=True)]


def _llama(results: list[list[NodeWithScore]], weights: list[float], mode: str, top_k: int) -> list[NodeWithScore]:
    """The fusion ``HybridRetriever.candidates`` used to build every question."""
    return QueryFusionRetriever(
        [_Given(r) for r in results],
        mode=mode,
        retriever_weights=[w / sum(weights) for w in weights] if sum(weights) else None,
        num_queries=1,
        use_async=False,
        similarity_top_k=top_k,
        llm=MockLLM(),
    ).retrieve(QueryBundle("q"))


@pytest.mark.parametrize("mode", ["relative_score", "dist_based_score"])
@pytest.mark.parametrize("seed", range(12))
def test_fuse_ranks_and_scores_exactly_as_llama_index_fusion(mode, seed):
    rng = random.Random(seed)
    nodes = [TextNode(id_=f"n{i}", text=f"passage {i}") for i in range(30)]
    results = [_results(rng, nodes, rng.randint(0, 12), ties=seed % 3 == 0) for _ in range(rng.randint(1, 3))]
    weights = [rng.choice([0.0, 0.2, 0.8, 1.0]) for _ in results]
    top_k = rng.randint(1, 12)
    expected = _llama(results, weights, mode, top_k)
    copies = [[NodeWithScore(node=r.node, score=r.score) for r in found] for found in results]
    got = fuse(copies, weights, mode, top_k)
    assert [(r.node.node_id, r.score) for r in got] == [(r.node.node_id, r.score) for r in expected]


def test_fuse_refuses_a_mode_it_does_not_compute():
    with pytest.raises(ValueError, match="reciprocal_rerank"):
        fuse([], [1.0], "reciprocal_rerank", 3)


def test_fusion_weights_are_normalised_twice_like_the_retriever_does_and_equal_when_all_zero():
    assert fusion_weights([0.8, 0.8, 0.2]) == [w / sum(s) for s in [[x / 1.8 for x in (0.8, 0.8, 0.2)]] for w in s]
    assert fusion_weights([0.0, 0.0]) == [0.5, 0.5]


def test_unique_ids_keeps_the_first_result_of_each_node():
    a, b = TextNode(id_="a", text="x"), TextNode(id_="b", text="y")
    kept = unique_ids([NodeWithScore(node=a, score=0.9), NodeWithScore(node=b, score=0.5), NodeWithScore(node=a)])
    assert [(r.node.node_id, r.score) for r in kept] == [("a", 0.9), ("b", 0.5)]


def test_cosine_of_a_chroma_distance_is_one_minus_it_through_the_stores_own_steps():
    assert cosine_of(0.0) == 1.0
    assert cosine_of(0.25) == 1 + math.log(math.exp(-0.25))
    assert cosine_of(1e6) == -1.0  # exp underflows to 0: the store reports -1
