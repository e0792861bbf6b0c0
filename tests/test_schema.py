"""The address of a passage: written once onto node metadata and read back through one accessor."""

from __future__ import annotations

import pytest

from assistant.schema import Address, Citation, Filters, passage_metadata, sentence_metadata

pytestmark = pytest.mark.unit

ADDRESS = Address("rome", "Joint Communiqué", "Eighth", "2026-06-10", "Rome, Italy", "Prevention", 13, "", 10, 90)


def test_an_address_survives_the_round_trip_through_node_metadata():
    assert Address.of(passage_metadata(ADDRESS, 1)) == ADDRESS
    assert Address.of(sentence_metadata(ADDRESS, 0, 20, 0)) == ADDRESS


def test_passages_and_sentences_of_a_paragraph_share_its_key():
    assert passage_metadata(ADDRESS, 2)["para_key"] == sentence_metadata(ADDRESS, 5, 9, 1)["para_key"] == "rome#p13"


def test_filters_match_by_document_section_and_paragraph():
    assert Filters().matches(ADDRESS) and not Filters()
    assert Filters(doc_ids=("rome",), sections=("Prevention",), paragraphs=(13,)).matches(ADDRESS)
    assert not Filters(sections=("Protection",)).matches(ADDRESS)


def test_a_citation_keeps_its_score_breakdown_out_of_what_users_see():
    c = Citation.at(1, ADDRESS, "abc", "b", 1, 0.5, {"similarity": 0.4, "lexical": 0.1})
    assert c.breakdown == {"similarity": 0.4, "lexical": 0.1}
    assert "breakdown" not in c.model_dump_json() and "similarity" not in c.model_dump_json()
    assert c.where == "Prevention, ¶13"
