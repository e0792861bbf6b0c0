"""Quotes a staff member can paste: whole sentences, or the answering clause with its context."""

from __future__ import annotations

import pytest

from assistant.pipeline.answer.citations import ScoredSentence, cite, quote_span
from assistant.pipeline.answer.compose import framed_quote
from assistant.schema import Address, Citation, Sentence

pytestmark = pytest.mark.unit


def _units(text: str, pieces: list[str]) -> list[Sentence]:
    address = Address("d", "T", "", "", "", "S", 1, "", 0, len(text))
    out, at = [], 0
    for p in pieces:
        start = text.index(p, at)
        out.append(Sentence(address, start, start + len(p), p, [1.0]))
        at = start + len(p)
    return out


TEXT = "We act now. Recalling the past, we recommend that States fund women's groups, and other things. Last."
UNITS = _units(
    TEXT,
    [
        "We act now.",
        "Recalling the past,",
        "we recommend that States fund women's groups,",
        "and other things.",
        "Last.",
    ],
)


def test_a_clause_is_quoted_with_its_whole_sentence_when_that_is_short():
    assert quote_span(UNITS, 2, max_words=70) == (1, 3)


def test_a_clause_of_a_long_sentence_grows_by_its_neighbours_within_the_limit():
    first, last = quote_span(UNITS, 2, max_words=10)
    assert first <= 2 <= last and (first, last) != (1, 3)
    assert sum(len(u.text.split()) for u in UNITS[first : last + 1]) <= 10


def test_a_clause_ending_with_a_colon_takes_what_follows():
    text = "They met under the theme: Delivering on WPS in a fragmented world, with others present and more."
    units = _units(
        text, ["They met under the theme:", "Delivering on WPS in a fragmented world,", "with others present and more."]
    )
    assert quote_span(units, 0, max_words=12) == (0, 1)


def test_two_clauses_of_one_sentence_make_one_quote():
    chosen = [ScoredSentence(UNITS[1], 0.5), ScoredSentence(UNITS[2], 0.9)]
    citations = cite(chosen, UNITS)
    assert len(citations) == 1 and citations[0].quote == TEXT[UNITS[1].start : UNITS[3].end]
    assert citations[0].score == 0.9


def _citation(text: str, quote: str) -> Citation:
    return Citation.at(
        1, Address("d", "T", "", "", "", "S", 1, "", 0, len(text)), text, quote, text.index(quote), 1, {}
    )


def test_a_quote_is_marked_where_it_starts_or_stops_inside_a_sentence():
    assert framed_quote(_citation(TEXT, "Recalling the past, we recommend")) == "Recalling the past, we recommend…"
    assert framed_quote(_citation(TEXT, "we recommend that States")) == "…we recommend that States…"
    assert framed_quote(_citation(TEXT, "We act now.")) == "We act now."
