"""The pointer and the generation collections in a real (embedded) Chroma: switch, resume, clean-up."""

from __future__ import annotations

import pytest

from assistant.index.errors import IndexBuildingError, IndexMissingError
from assistant.index.generations import Generations, Pointer
from assistant.index.client import make_client
from assistant.settings import Settings

pytestmark = pytest.mark.unit


@pytest.fixture()
def generations(tmp_path) -> Generations:
    settings = Settings(index_dir=tmp_path / "index", collection="test_index")
    return Generations(settings, make_client(settings))


def _fill(generations: Generations, number: int) -> None:
    collection = generations.begin(number, "sig", "test:1")
    collection.add(ids=[f"g{number}"], embeddings=[[1.0, 0.0]], metadatas=[{"g": number}])


def test_pointer_survives_a_round_trip_through_collection_metadata():
    pointer = Pointer(live=3, previous=2, building=4, building_since=1.5, writer="h:1", switched_at=2.5, retired={2: 9.0})
    assert Pointer.of(pointer.metadata()) == pointer


def test_no_pointer_means_no_index_with_a_message_naming_the_command(generations):
    with pytest.raises(IndexMissingError, match="run `wps-assistant ingest`"):
        generations.open_live()


def test_a_generation_being_built_is_not_served_and_says_so(generations):
    _fill(generations, 1)

    with pytest.raises(IndexBuildingError, match="being built .* by test:1"):
        generations.open_live()


def test_a_switch_makes_the_new_generation_live_and_the_old_one_previous(generations):
    _fill(generations, 1)
    generations.switch(1)
    _fill(generations, 2)
    assert generations.open_live()[0] == 1  # building 2 changes nothing for readers

    pointer = generations.switch(2)

    assert (pointer.live, pointer.previous, pointer.building) == (2, 1, 0)
    number, collection = generations.open_live()
    assert number == 2 and collection.get()["ids"] == ["g2"]
    assert 1 in pointer.retired


def test_cleanup_keeps_live_and_previous_and_drops_older_ones_only_after_the_grace_period(generations):
    for number in (1, 2, 3):
        _fill(generations, number)
        generations.switch(number)
    retired_2 = generations.pointer().retired[1]

    assert generations.cleanup(grace_seconds=60, now=retired_2 + 1) == []  # readers may still be on 1
    assert generations.cleanup(grace_seconds=60, now=retired_2 + 61) == [1]
    assert generations.numbers() == [2, 3]
    assert 1 not in generations.pointer().retired


def test_cleanup_drops_an_abandoned_unfinished_generation_at_once(generations):
    _fill(generations, 1)
    generations.switch(1)
    _fill(generations, 2)
    generations.abandon()

    assert generations.cleanup(grace_seconds=3600) == [2]
    assert generations.open_live()[0] == 1


def test_frequent_ingests_leave_at_most_three_generations_on_disk(generations):
    for number in range(1, 9):  # eight ingests, a few seconds apart: all well within the grace period
        _fill(generations, number)
        generations.switch(number)
        generations.cleanup(grace_seconds=300)
        assert len(generations.numbers()) <= 3, generations.numbers()
    assert generations.numbers() == [6, 7, 8]  # the live one, the previous one, and one more
