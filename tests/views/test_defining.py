"""Defining sentences: the shapes that say what a term is, and the look-alikes that only use it."""

from __future__ import annotations

import pytest

from assistant.views.defining import how_defined, inside_longer_name, instrument_names, is_named

pytestmark = pytest.mark.unit


def defined(sentence: str, term: str, named: bool | None = None) -> str:
    start = sentence.index(term)
    return how_defined(sentence, start, start + len(term), is_named(term) if named is None else named)


@pytest.mark.parametrize(
    ("sentence", "term", "how"),
    [
        (
            "9. We decide to establish the Alicante Roster of Women Mediators, a shared register of women with "
            "proven experience in mediation.",
            "Alicante Roster of Women Mediators",
            "apposition",
        ),
        (
            "We welcome the launch of the NAP Academy, a training course for national NAP coordinators.",
            "NAP Academy",
            "apposition",
        ),
        (
            "We request the Secretariat to establish a secure online platform, to be known as the WPS Focal "
            "Points Exchange, through which Focal Points may share their plans.",
            "WPS Focal Points Exchange",
            "known as",
        ),
        ("Members of the Network (the WPS Focal Points Network) met in Rome.", "Network", "gloss"),
        ("A National Action Plan is a national strategy for the agenda.", "National Action Plan", "copula"),
        ("Localization means shifting power and resources to local actors.", "Localization", "copula"),
        (
            "We recall that women peacebuilders are the women who lead peace work in their communities.",
            "women peacebuilders",
            "copula",
        ),
        (
            "5 The Elsie Initiative Fund was launched in 2019 to support the meaningful participation of "
            "uniformed women in United Nations peace operations.",
            "Elsie Initiative Fund",
            "purpose",
        ),
        (
            "We decide to establish a Working Group on Digital Safety, co-led by Estonia and the Republic of "
            "Korea and open to all members, to map threats of technology-facilitated violence.",
            "Working Group on Digital Safety",
            "established",
        ),
        (
            "We adopt the Terms of Reference, which establish the Network as an informal, cross-regional forum.",
            "Network",
            "established",
        ),
        (
            "We welcome the launch of the Connected Mediators Programme, led jointly by Canada and Uruguay, which "
            "will train 250 women mediators.",
            "Connected Mediators Programme",
            "relative",
        ),
        (
            "Participants welcomed the adoption of Security Council resolution 2419 (2018), which calls for the "
            "meaningful inclusion of young people.",
            "resolution 2419",
            "relative",
        ),
        (
            "Participants welcomed the adoption of Security Council resolution 2467 (2019) on conflict-related "
            "sexual violence.",
            "resolution 2467",
            "subject",
        ),
    ],
)
def test_each_shape_that_says_what_a_term_is_is_recognised(sentence, term, how):
    assert defined(sentence, term) == how


@pytest.mark.parametrize(
    ("sentence", "term"),
    [
        # a use, however prominent
        ("We recommend that women mediators be fully included at all stages of peace processes.", "women mediators"),
        # a judgement, not what it is
        (
            "We recognize that conflict prevention remains the least resourced pillar of the agenda.",
            "conflict prevention",
        ),
        ("Gender equality is a precondition for durable peace.", "Gender equality"),
        ("Conflict prevention is the least resourced pillar.", "Conflict prevention"),
        # the apposition sums up the clause before it
        (
            "Participants suggested a financing goal ahead of the anniversary of resolution 1325, a proposal that "
            "the Chair undertook to bring to the ministerial meeting.",
            "resolution 1325",
        ),
        # ", a …" after a list item or an opening phrase
        ("We support shelters, hotlines, a network of safe houses and legal aid.", "hotlines"),
        (
            "Through the Elsie Initiative Fund, a number of police services deployed more women.",
            "Elsie Initiative Fund",
        ),
        # a relative clause on a common noun says nothing of what it is
        (
            "Members have adopted national action plans, which indicate strong commitment from Member States.",
            "national action plans",
        ),
        # the clause may be about the phrase before the preposition
        (
            "We welcome the Women Negotiators Support Facility, to be administered through the Rapid Response "
            "Window of the Fund, which will cover the costs of travel.",
            "Rapid Response Window of the Fund",
        ),
        # when and where, not what
        ("The Second Capital Forum, which will be held in Windhoek, is open to all.", "Second Capital Forum"),
        # mentioned, established elsewhere
        (
            "We welcome the first report of the Working Group on Climate, Gender and Security, established at the "
            "Third Meeting.",
            "Working Group on Climate, Gender and Security",
        ),
    ],
)
def test_sentences_that_only_use_a_term_define_nothing(sentence, term):
    assert defined(sentence, term) == ""


def test_a_relative_clause_or_an_establishing_verb_defines_a_name_but_not_a_common_noun():
    sentence = "We welcome the launch of the regional platform, which will train 250 women mediators."
    assert defined(sentence, "regional platform", named=False) == ""
    assert defined(sentence, "regional platform", named=True) == "relative"


def test_a_common_noun_written_inside_a_name_is_not_the_term():
    sentence = "We establish the Alicante Roster of Women Mediators, a shared register of women."
    start = sentence.index("Women Mediators")
    assert inside_longer_name(sentence, start, start + len("Women Mediators"))
    assert how_defined(sentence, start, start + len("Women Mediators"), named=False) == ""


def test_instrument_names_are_capitalised_runs_headed_by_an_instrument_noun():
    sentence = (
        "We welcome the launch by Malta of the Mediterranean Young Women Peacebuilders Fellowship and the Working "
        "Group on Climate, Gender and Security, but not the Second Meeting of the Network or the Ministry of Gender "
        "Equality."
    )
    names = [sentence[s:e] for s, e in instrument_names(sentence)]
    assert names == [
        "Mediterranean Young Women Peacebuilders Fellowship",
        "Working Group on Climate, Gender and Security",
    ]
    footnote = "5 The Elsie Initiative Fund was launched."
    assert [footnote[s:e] for s, e in instrument_names(footnote)] == ["Elsie Initiative Fund"]


def test_names_and_common_nouns_are_told_apart():
    assert is_named("Women's Situation Rooms") and is_named("Resolution 1325 (2000)")
    assert not is_named("women peacebuilders") and not is_named("early warning")
