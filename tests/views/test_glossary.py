"""The glossary: acronyms and resolutions the corpus defines, agenda terms it uses (no model)."""

from __future__ import annotations

import pytest

from assistant.views.glossary import Glossary, find_term
from tests.views.tables import four, rome, table_of

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
    assert "National Action Plans (NAPs)" in nap.introduced.quote and nap.introduced == nap.definition
    assert nap.introduced.date == "2019-09-25" and nap.defined_by == "long form"
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


ALICANTE = """WOMEN, PEACE AND SECURITY FOCAL POINTS NETWORK

FIRST MEETING OF THE NETWORK

Alicante, Spain, 26 and 27 April 2017

JOINT COMMUNIQUÉ

PARTICIPATION

1. We note that women mediators remain under-represented in peace processes.

2. We decide to establish the Alicante Roster of Women Mediators, a shared register of women with proven \
experience in mediation, nominated by members.

3. We welcome the Global Acceleration Instrument for Women, Peace and Security and Humanitarian Action (GAI), \
launched in 2016, and encourage members to contribute to it.

4. We welcome the first report of the Working Group on Digital Safety, established at the last meeting.

5. We recall the anniversary of resolution 1325 (2000), a proposal that the Chair will take forward.
"""


@pytest.fixture(scope="module")
def alicante(tmp_path_factory) -> Glossary:
    path = tmp_path_factory.mktemp("alicante") / "2017-04-27_alicante_first-meeting_joint-communique.txt"
    path.write_text(ALICANTE, encoding="utf-8")
    return Glossary(table_of([path]))


def test_a_term_with_a_defining_sentence_shows_it_cited(alicante):
    roster = alicante.lookup("Alicante Roster of Women Mediators")
    assert roster.kind == "name" and roster.defined_by == "apposition"
    assert roster.definition.quote.startswith(
        "2. We decide to establish the Alicante Roster of Women Mediators, a shared"
    )
    assert roster.definition.paragraph == 2 and roster.introduced == roster.definition
    assert roster.definition_note == "Defined in the Alicante 2017 communiqué, Participation, ¶2"
    start, end = roster.defined_at
    assert roster.definition.quote[start:end] == "Alicante Roster of Women Mediators"


def test_a_term_no_sentence_defines_says_so_and_where_it_is_first_mentioned(alicante):
    mediators = alicante.lookup("women mediators")  # its words inside the roster's name are no definition
    assert mediators.definition is None and mediators.defined_by == ""
    assert mediators.first_mention.paragraph == 1 and mediators.introduced == mediators.first_mention
    assert mediators.definition_note == (
        "Not defined in the communiqués; first mentioned in the Alicante 2017 communiqué, Participation, ¶1"
    )
    resolution = alicante.lookup("resolution 1325")  # ", a proposal that …" is about the clause, not 1325
    assert resolution.definition is None


def test_a_named_instrument_enters_the_glossary_only_when_a_sentence_defines_it(alicante):
    assert alicante.lookup("Working Group on Digital Safety") is None  # only mentioned
    assert [e.term for e in alicante.entries if e.kind == "name"] == ["Alicante Roster of Women Mediators"]
    assert not alicante.defines("Alicante Roster of Women Mediators")  # the chat answers it from passages


def test_an_acronym_of_a_names_head_is_defined_by_its_long_form(alicante):
    gai = alicante.lookup("GAI")
    assert gai.expansion == "Global Acceleration Instrument for Women, Peace and Security and Humanitarian Action"
    assert gai.defined_by == "long form" and gai.definition.paragraph == 3
    start, end = gai.defined_at
    assert gai.definition.quote[start:end] == f"{gai.expansion} (GAI)"


def test_on_the_four_documents_every_shown_definition_is_a_long_form_or_a_resolutions_subject(glossary):
    shown = {e.term: e.defined_by for e in glossary.entries if e.definition}
    assert set(shown.values()) <= {"long form", "subject"}
    assert shown["Resolution 2467 (2019)"] == "subject"
    assert glossary.lookup("Resolution 1325 (2000)").definition is None  # named, never said what it is
    assert all(e.definition is None for e in glossary.entries if e.kind == "term")
