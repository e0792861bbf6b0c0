"""The glossary: acronyms and resolutions the corpus defines, agenda terms it uses (no model)."""

from __future__ import annotations

import pytest

from assistant.views.glossary import Glossary, find_term
from tests.views.tables import four, rome

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return Glossary(four())


def test_an_acronym_is_found_however_it_is_asked_for(glossary):
    for asked in ("NAP", "NAPs", "nap", "National Action Plans", "national action plans"):
        entry = glossary.lookup(asked)
        assert entry is not None and entry.term == "NAP", asked
    assert glossary.lookup("ODA").expansion == "official development assistance"  # a lower-case definition


def test_the_first_definition_by_date_introduces_the_term_and_every_using_document_is_listed(glossary):
    nap = glossary.lookup("NAP")
    assert "National Action Plans (NAPs)" in nap.introduced.quote
    assert nap.introduced.date == "2019-09-25"
    assert [u.meeting for u in nap.documents] == ["New York 2019", "Santiago 2022", "Nairobi 2024", "Rome 2026"]
    assert nap.mentions == sum(u.mentions for u in nap.documents)
    for use in nap.documents:
        assert find_term(nap, use.first.quote) or "National Action Plan" in use.first.quote


def test_resolutions_are_listed_with_their_year_and_subject(glossary):
    entry = glossary.lookup("resolution 2467")
    assert entry.term == "Resolution 2467 (2019)"
    assert entry.expansion == "Security Council resolution 2467 (2019) on conflict-related sexual violence"
    assert glossary.lookup("Resolution 1325 (2000)").mentions >= 3  # "resolution 1325" without its year counts


@pytest.mark.parametrize("asked", ["resolution ", "Resolution on youth", "resolution x9"])
def test_a_resolution_without_a_number_is_looked_up_as_words_not_an_error(glossary, asked):
    # schemathesis found it: GET /api/glossary/resolution%20x answered 500
    assert glossary.lookup(asked) is None


def test_agenda_terms_are_listed_only_when_the_corpus_uses_them(glossary):
    assert glossary.lookup("conflict-related sexual violence").kind == "term"
    assert glossary.lookup("feminist foreign policy").documents[0].meeting == "Santiago 2022"
    assert glossary.lookup("Women's Situation Rooms") is not None  # written with a curly apostrophe
    assert Glossary(rome()).lookup("feminist foreign policy") is None
    assert not glossary.defines("early warning") and glossary.defines("NAP")


def test_search_and_explanations(glossary):
    assert {e.term for e in glossary.search("violence")} >= {"gender-based violence", "Resolution 2467 (2019)"}
    assert glossary.explanations()["WPS"] == "Women, Peace and Security"
    assert len(glossary.search("")) == len(glossary.entries)


def test_an_agenda_term_is_found_by_its_acronym_too(glossary):
    from assistant.views.glossary import acronym_of

    assert acronym_of("disarmament, demobilization and reintegration") == "DDR"
    assert acronym_of("conflict-related sexual violence") == "CRSV"
    assert acronym_of("women mediators") == ""
    assert glossary.lookup("DDR").term == "disarmament, demobilization and reintegration"
    assert glossary.lookup("crsv").term == "conflict-related sexual violence"
    assert glossary.lookup("NAP").kind == "acronym"  # a defined acronym keeps its own entry
