"""Reading a generated answer as claims: sentences, their [n] markers, and the facts each states."""

from __future__ import annotations

import pytest

from assistant.pipeline.llm import claims

pytestmark = pytest.mark.unit


def test_an_answer_splits_into_sentences_each_with_the_markers_it_carries():
    found = claims.split_claims("States should increase ODA [1]. Women mediators must be included [2][3].")
    assert [c.plain for c in found] == ["States should increase ODA.", "Women mediators must be included."]
    assert [c.markers for c in found] == [(1,), (2, 3)]


def test_markers_written_after_the_full_stop_stay_with_their_sentence():
    found = claims.split_claims("States should increase ODA. [1] It also names early warning. [2]")
    assert [c.markers for c in found] == [(1,), (2,)]
    assert found[1].plain == "It also names early warning."


def test_markers_on_a_line_of_their_own_after_a_blank_line_belong_to_the_sentence_before():
    found = claims.split_claims("The meeting was held on 9 to 10 June 2026 in Rome, Italy.\n\n[1][2]")
    assert [(c.plain, c.markers) for c in found] == [
        ("The meeting was held on 9 to 10 June 2026 in Rome, Italy.", (1, 2))
    ]


def test_one_marker_at_a_paragraphs_end_covers_its_earlier_sentences_but_not_the_next_paragraph():
    found = claims.split_claims(
        "The increase in military spending was noted with concern. States should increase ODA [1].\n\n"
        "Women lead the talks. Mediators help them [2, 3]. Nothing else is said."
    )
    assert [c.markers for c in found] == [(1,), (1,), (2, 3), (2, 3), ()]


def test_markers_before_or_after_the_full_stop_and_grouped_are_read_alike():
    written = [
        "States act [1][2]. Women lead [3].",
        "States act. [1, 2] Women lead. [3]",
        "States act [1; 2]. Women lead.[3]",
    ]
    for answer in written:
        assert [(c.plain, c.markers) for c in claims.split_claims(answer)] == [
            ("States act.", (1, 2)),
            ("Women lead.", (3,)),
        ], answer


def test_markers_alone_are_never_a_sentence():
    assert claims.split_claims("[1][2]") == []


def test_comma_separated_markers_are_read_once_each():
    assert claims.markers_in("… as agreed [1, 2] and again [2].") == (1, 2)


def test_markdown_bullets_and_emphasis_are_taken_off_and_paragraphs_kept_apart():
    found = claims.split_claims("**Funding**: more ODA [1].\n\n- Early warning [2].")
    assert [c.plain for c in found] == ["Funding: more ODA.", "Early warning."]
    assert [c.block for c in found] == [0, 1]


def test_a_sentence_without_markers_has_none():
    assert claims.split_claims("The communiqué says many things.")[0].markers == ()


def test_numbers_are_normalised_and_number_words_read_as_digits():
    assert claims.numbers("from 45 founding members to 1,100 members") == {"45", "1100"}
    assert claims.numbers("the four pillars") == claims.numbers("the 4 pillars") == {"4"}
    assert claims.numbers("the tenth anniversary") == {"10th"}


def test_ordinals_in_digits_and_words_are_read_as_ordinals_apart_from_cardinals():
    assert claims.numbers("the 9th Capital-Level Meeting") == {"9th"}
    assert claims.numbers("the Eighth Capital-Level Meeting") == claims.numbers("the 8th meeting") == {"8th"}
    assert claims.numbers("the twenty-fifth anniversary") == {"25th"}
    assert claims.numbers("the eighty-first session") == claims.numbers("the 81st session") == {"81th"}
    assert claims.numbers("from 9 to 10 June") == {"9", "10"}  # "9 June" is no "9th"


def test_a_spoken_number_has_its_value_and_compounds_add_up():
    assert claims.spoken_number("twenty-five") == "25"
    assert claims.spoken_number("tenth") == "10th"
    assert claims.spoken_number("network") is None


def test_a_count_is_read_with_the_noun_it_counts():
    assert claims.counts("The four pillars of the agenda") == {"4": {"pillar"}}
    assert claims.counts("hosted by two Co-Chairs") == {"2": {"co-chair"}}
    assert claims.counts("from 45 founding members to 110 members")["110"] == {"member"}


def test_the_items_listed_after_a_counted_noun_are_counted():
    passage = (
        "stronger integration of the foundational pillars of the women, peace and security agenda – prevention, "
        "participation, protection, and relief and recovery – into defence and security decision-making."
    )
    assert claims.listed_count(passage, "pillar") == 4
    assert claims.listed_count("The pillars are prevention, participation and protection.", "pillar") == 3
    assert (
        claims.listed_count("Hosted by Italy and the Philippines as 2026 Co-Chairs, and with UN Women", "co-chair")
        is None
    )


def test_what_a_sentence_says_a_thing_is_is_read_as_a_fact():
    assert claims.classified_as("National Action Plans (NAPs) are documents that outline commitment.") == ["documents"]
    assert claims.classified_as("The four pillars are prevention, participation and protection.") == []


def test_names_leave_out_the_sentence_opener_and_framing_words_but_keep_acronyms():
    assert claims.names("The Network met in Rome with UN Women and Sweden.") == {"Rome", "UN", "Women", "Sweden"}
    assert claims.names("UNICEF leads.") == {"UNICEF"}
    assert claims.names("The Network's Co-Chairs met.") == {"Co", "Chairs"}


def test_months_and_quoted_phrases_are_facts_too():
    assert claims.months("It met on 10 June 2026.") == {"june"}
    assert claims.quoted("Its theme was “Delivering on WPS”.") == ["Delivering on WPS"]
    assert claims.quoted('It said "silence is not an option".') == ["silence is not an option"]


def test_negation_and_stance_words_are_recognised():
    assert claims.negated("Silence and inaction are not an option.")
    assert not claims.negated("Silence and inaction are an option.")
    assert claims.stances("States should cut ODA") == {"reduce"}
    assert claims.stances("the growth of the Network") == {"increase"}
    assert claims.stances("It will be mandatory") == {"require"}


def test_a_reasoning_models_thinking_is_no_part_of_the_answer():
    found = claims.split_claims("<think>The user wants ODA. Maybe [2]?</think>States should increase ODA [1].")
    assert [c.plain for c in found] == ["States should increase ODA."]


@pytest.mark.unit
def test_the_head_of_what_a_sentence_says_a_thing_is_stops_before_its_qualifier():
    assert claims.classified_heads("Networks are a repository of skilled expertise that can help.") == ["repository"]
    assert claims.classified_heads("Gender equality is a core pillar that should be embedded.") == ["core", "pillar"]
    assert claims.classified_heads("Most members have adopted plans.") == []
