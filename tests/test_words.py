"""Word lists are data: one file a purpose, each saying what it is for."""

from __future__ import annotations

from importlib import resources

import pytest

from assistant import words

pytestmark = pytest.mark.unit

LISTS = sorted(p.name.removesuffix(".txt") for p in resources.files(words).iterdir() if p.name.endswith(".txt"))


@pytest.mark.parametrize("name", LISTS)
def test_every_list_opens_with_a_comment_saying_what_it_is_for(name):
    text = resources.files(words).joinpath(f"{name}.txt").read_text(encoding="utf-8")
    assert text.startswith("# ") and words.load(name)


def test_entries_are_read_without_comments_or_blank_lines():
    assert "percent" in words.load("number_words") and not any(w.startswith("#") for w in words.load("units"))


def test_follow_up_words_and_scoring_words_are_separate_files():
    # Editing what the answerer scores must not change which questions count as follow-ups.
    assert {"framing_words", "followup_words"} <= set(LISTS)


def test_a_list_of_pairs_reads_as_a_mapping():
    assert words.pairs("number_values")["four"] == "4"
