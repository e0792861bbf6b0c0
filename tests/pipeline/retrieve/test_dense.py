"""MiniLM's nearest passages and sentences found in memory, exactly, scored as the store scores them."""

from __future__ import annotations

import math

import numpy as np
import pytest

from assistant.pipeline.retrieve.retrievers import DenseVectors, cosine_of

pytestmark = pytest.mark.unit


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def _vectors(n: int = 40, seed: int = 3) -> DenseVectors:
    matrix = _unit(np.random.default_rng(seed).normal(size=(n, 16)))
    return DenseVectors([f"id{i}" for i in range(n)], [f"d#p{i // 4}" for i in range(n)], matrix)


def test_the_nearest_rows_are_the_highest_cosines_in_order_with_their_ids_and_paragraphs():
    vectors = _vectors()
    query = vectors.matrix[7] * 0.9 + vectors.matrix[12] * 0.1
    found = vectors.nearest(query.tolist(), np.arange(40), 5)
    cosines = vectors.matrix @ (query / np.linalg.norm(query))
    assert [i for i, _, _ in found] == [f"id{i}" for i in np.argsort(-cosines)[:5]]
    assert found[0][:2] == ("id7", "d#p1")
    assert all(math.isclose(s, float(cosines[int(i[2:])]), abs_tol=1e-6) for i, _, s in found)


def test_only_the_rows_in_scope_are_searched_and_fewer_than_k_give_fewer_results():
    vectors = _vectors()
    rows = np.asarray([3, 20, 33], dtype=np.intp)
    found = vectors.nearest(vectors.matrix[7].tolist(), rows, 12)
    assert sorted(i for i, _, _ in found) == ["id20", "id3", "id33"]
    assert vectors.nearest(vectors.matrix[7].tolist(), np.asarray([], dtype=np.intp), 12) == []


def test_the_score_is_the_cosine_through_the_stores_distance():
    vectors = _vectors()
    query = vectors.matrix[5].tolist()
    (_, _, score), *_ = vectors.nearest(query, np.arange(40), 1)
    assert score == cosine_of(float(np.float32(1) - np.float32(vectors.matrix[5] @ vectors.matrix[5])))
    assert math.isclose(score, 1.0, abs_tol=1e-6)


def test_equal_vectors_keep_their_row_order():
    matrix = _unit(np.asarray([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]]))
    vectors = DenseVectors(["a", "b", "c"], ["p1", "p2", "p3"], matrix)
    assert [i for i, _, _ in vectors.nearest([1.0, 0.0], np.arange(3), 3)] == ["a", "c", "b"]
