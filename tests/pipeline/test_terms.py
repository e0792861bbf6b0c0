"""Stemmed informative words and IDF: what lexical scoring counts with."""

from __future__ import annotations

import pytest

from assistant.pipeline.terms import Terms, lemma

pytestmark = pytest.mark.unit


def test_framing_words_are_left_out_and_the_rest_stemmed():
    terms = Terms([])
    assert terms.terms("What does the text say about funding women's organisations?") == [
        "fund",
        "women",
        "organ",
    ]


def test_british_and_american_spellings_meet():
    terms = Terms([])
    assert terms.terms("organisation") == terms.terms("organization")


def test_rarer_terms_weigh_more_and_unknown_ones_most():
    terms = Terms(["women fund", "women peace", "women security"])
    assert terms.idf("fund") > terms.idf("women")
    assert terms.idf("unseen") > terms.idf("fund")


def test_a_word_is_known_when_every_stem_of_it_is():
    terms = Terms(["the General Assembly"])
    assert terms.known("General") and terms.known("the")
    assert not terms.known("Secretary-General")


def test_a_words_share_is_the_part_of_the_passages_that_use_it():
    terms = Terms(["women fund", "women peace", "women security", "Colombia"])
    assert terms.share("Women") == 0.75
    assert terms.share("Colombia") == 0.25
    assert terms.share("Sweden") == 0.0


def test_lemma_gives_an_irregular_forms_dictionary_form_that_the_stemmer_leaves_apart():
    assert [lemma(w) for w in ("grew", "took", "Held", "convened")] == ["grow", "take", "hold", "convene"]
