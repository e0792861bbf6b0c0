"""Terms a sentence defines, and the pillar a sentence belongs to."""

from __future__ import annotations

import pytest

from assistant.ingest.definitions import definitions
from assistant.ingest.pillars import pillar_of, pillars, section_pillar
from assistant.schema import Definition

pytestmark = pytest.mark.unit


def test_acronyms_are_spelled_by_the_words_before_them_whatever_their_case():
    found = definitions(
        "the Organization for Security and Co-operation in Europe (OSCE), reductions in official development "
        "assistance (ODA), and National Action Plans (NAPs)"
    )
    assert found == [
        Definition("OSCE", "Organization for Security and Co-operation in Europe", "acronym"),
        Definition("ODA", "official development assistance", "acronym"),
        Definition("NAP", "National Action Plans", "acronym"),
    ]


def test_an_acronym_of_a_names_head_keeps_the_whole_name_as_its_long_form():
    found = definitions(
        "We welcome the Global Acceleration Instrument for Women, Peace and Security and Humanitarian Action "
        "(GAI), launched in 2016."
    )
    assert found == [
        Definition(
            "GAI", "Global Acceleration Instrument for Women, Peace and Security and Humanitarian Action", "acronym"
        )
    ]
    assert definitions("the Network of African Women in Conflict Prevention and Mediation (FWA)") == []


def test_parentheses_that_spell_nothing_are_no_definition():
    assert definitions("the Network (founded in 2016) and the Chair (Namibia)") == []


def test_resolutions_carry_their_year_and_the_subject_they_are_on():
    found = definitions(
        "welcomed Security Council resolution 2467 (2019) on conflict-related sexual violence and called"
    )
    assert found == [
        Definition(
            "Resolution 2467 (2019)",
            "Security Council resolution 2467 (2019) on conflict-related sexual violence",
            "resolution",
        )
    ]
    both = definitions("as set out in Security Council resolutions 2250 (2015) and 2419 (2018), and")
    assert [d.term for d in both] == ["Resolution 2250 (2015)", "Resolution 2419 (2018)"]


def test_a_pillar_heading_is_the_pillar_and_elsewhere_the_words_decide():
    assert pillars() == ["Participation", "Protection", "Prevention", "Relief and Recovery"]
    assert section_pillar("Relief and Recovery") == "Relief and Recovery"
    assert (
        pillar_of("Main text", "members to include indicators in their national early warning systems") == "Prevention"
    )
    assert pillar_of("Main text", "a survivor-centred approach to conflict-related sexual violence") == "Protection"
    assert pillar_of("Main text", "This summary is issued under the responsibility of the Chair.") == ""
