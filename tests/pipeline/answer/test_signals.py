"""Each scoring signal on its own: no model, no store (vectors and texts written by hand)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from assistant.pipeline.answer.signals import (
    distinctiveness,
    enumeration_share,
    expected_answer_type,
    holds_answer_type,
    is_unasked_enumeration,
    lexical_coverage,
    multiword_names,
    name_match,
    similarity,
    unknown_mentions,
)
from assistant.pipeline.terms import Terms
from tests.conftest import CORPUS

pytestmark = pytest.mark.unit

ROME_TEXT = next(CORPUS.glob("*.txt")).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def rome_terms() -> Terms:
    return Terms([ROME_TEXT])


def test_similarity_is_the_cosine_of_unit_vectors():
    q = [1.0, 0.0]
    got = similarity(q, [[1.0, 0.0], [0.0, 1.0], [math.sqrt(0.5), math.sqrt(0.5)]])
    assert np.allclose(got, [1.0, 0.0, math.sqrt(0.5)])


def test_similarity_of_no_sentences_is_empty():
    assert similarity([1.0, 0.0], []).shape == (0,)


def test_lexical_coverage_weighs_rare_words_more_than_common_ones():
    idf = {"fund": 3.0, "women": 1.0}.get
    assert lexical_coverage({"fund", "women"}, ["fund"], idf) == pytest.approx(0.75)
    assert lexical_coverage({"fund", "women"}, ["women"], idf) == pytest.approx(0.25)
    assert lexical_coverage({"fund", "women"}, ["fund", "women", "other"], idf) == pytest.approx(1.0)


def test_lexical_coverage_of_a_question_with_no_informative_words_is_zero():
    assert lexical_coverage(set(), ["fund"], lambda t: 1.0) == 0.0


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How many members does the Network have?", "number"),
        ("what percentage of ODA goes to women?", "number"),
        ("When was the meeting held?", "date"),
        ("which year did the network start", "date"),
        ("Who hosted the meeting?", "name"),
        ("Where was it held?", "name"),
        ("What is recommended on early warning?", None),
    ],
)
def test_question_wording_says_what_kind_of_fact_it_asks_for(question, kind):
    assert expected_answer_type(question) == kind


@pytest.mark.parametrize(
    ("question", "sentence", "fits"),
    [
        ("How many members does the Network have?", "the growth of the Network to 110 members", True),
        ("How much should go to women's groups?", "at least 15 per cent of ODA", True),
        ("How much money did Canada pledge?", "Hosted by Kenya and Canada as 2024 Co-Chairs", False),
        ("When was the meeting held?", "convened in Rome from 9 to 10 June 2026", True),
        ("When was the meeting held?", "We welcome the growth of the Network", False),
        ("What is recommended?", "anything at all", True),
    ],
)
def test_a_sentence_must_hold_the_kind_of_fact_the_question_asks_for(question, sentence, fits):
    assert holds_answer_type(expected_answer_type(question), sentence) is fits


def test_a_currency_the_corpus_never_states_counts_as_an_unknown_number(rome_terms):
    assert unknown_mentions("How many US dollars did members pledge?", rome_terms) == (["dollars"], [])
    assert unknown_mentions("What is the annual budget in euros?", rome_terms) == (["euros"], [])
    assert unknown_mentions("How much funding goes to women's organizations?", rome_terms) == ([], [])


def test_numbers_and_names_the_corpus_never_mentions_are_unknown(rome_terms):
    numbers, names = unknown_mentions("What does Resolution 2250 say about Sudan?", rome_terms)
    assert numbers == ["2250"] and names == ["Sudan"]


def test_names_and_numbers_the_corpus_mentions_are_known(rome_terms):
    assert unknown_mentions("What did Italy and the Philippines say in 2026?", rome_terms) == ([], [])


def test_a_lone_digit_and_the_opening_word_name_nothing(rome_terms):
    assert unknown_mentions("Zebras: see item 1", rome_terms) == ([], [])


def test_an_ordinal_the_corpus_never_uses_is_an_unknown_name(rome_terms):
    assert unknown_mentions("What did the twelfth meeting decide?", rome_terms) == ([], ["twelfth"])


def test_distinctiveness_is_the_z_score_of_the_best_candidate():
    assert distinctiveness([0.9, 0.5, 0.5, 0.5]) == pytest.approx((0.9 - 0.6) / math.sqrt(0.03))


def test_distinctiveness_is_higher_when_one_candidate_stands_out():
    assert distinctiveness([0.9, 0.4, 0.4, 0.4, 0.4]) > distinctiveness([0.9, 0.85, 0.8, 0.8, 0.75])


def test_distinctiveness_needs_four_candidates_that_differ():
    assert distinctiveness([0.9, 0.5, 0.4]) is None
    assert distinctiveness([0.5, 0.5, 0.5, 0.5]) is None


MEMBERS = "Finland, France, Germany, Guatemala, Hungary, Iceland, Ireland, Israel, Italy, Japan, Kazakhstan, Kuwait"


def test_a_list_of_names_is_an_enumeration_and_running_text_is_not():
    assert enumeration_share(MEMBERS) > 0.9
    assert enumeration_share("We recommend that States increase ODA and other funding for women's groups") < 0.3


@pytest.mark.parametrize(
    ("question", "unasked"),
    [
        ("countries checking each others homework on their plans?", True),
        ("What are the four pillars?", True),
        ("is japan one of the members listed", False),  # names one of them
        ("Which countries are members of the Network?", False),  # asks for the list
        ("Who took part?", False),
    ],
)
def test_a_member_list_only_answers_questions_that_ask_for_it_or_name_a_member(question, unasked):
    assert is_unasked_enumeration(question, MEMBERS) is unasked


def test_a_word_of_the_networks_own_name_before_its_members_names_none_of_them():
    members = "We, the members of the Women, Peace and Security (WPS) Focal Points Network, representing " + MEMBERS
    widespread = {"wps", "women", "peace", "security"}  # in most passages of a corpus

    def names_one(word: str) -> bool:
        return word not in widespread

    assert is_unasked_enumeration("What are the four pillars of WPS?", members, names_one=names_one)
    assert not is_unasked_enumeration("Is Japan a member of the WPS network?", members, names_one=names_one)


def test_a_name_of_several_words_the_corpus_never_states_whole_is_unknown(rome_terms):
    question = "What does the communique say about the Women's Peace and Humanitarian Fund?"
    assert unknown_mentions(question, rome_terms) == ([], ["Women's Peace and Humanitarian Fund"])


def test_names_the_corpus_states_joined_by_and_are_known(rome_terms):
    assert unknown_mentions("what do UN Women and the African Union do", rome_terms) == ([], [])


def test_a_sentence_stating_the_questions_name_whole_matches_it():
    assert name_match("what role does UN Women play", "and with UN Women as Secretariat") == 1.0
    assert name_match("what role does UN Women play", "women in the UN system") == 0.0


@pytest.mark.unit
def test_a_name_made_only_of_generic_meeting_words_earns_no_name_bonus():
    generic = frozenset({"the", "capital-level", "meeting"})
    opening = "We met at the Seventh Capital-Level Meeting in Nairobi."
    assert name_match("which countries co-chaired the Seventh Capital-Level Meeting?", opening, generic) == 1.0
    assert name_match("which countries co-chaired the Capital-Level Meeting?", opening) == 1.0
    assert name_match("which countries co-chaired the Capital-Level Meeting?", opening, generic) == 0.0
    assert name_match("What role does UN Women play at the Capital-Level Meeting?", "with UN Women", generic) == 1.0


def test_a_question_in_title_case_has_no_names_to_check():
    assert multiword_names("What Did The Rome Meeting Say About Funding?") == []


def test_a_questions_names_are_read_once_and_a_caller_changing_its_list_changes_no_later_answer():
    question = "What did UN Women tell the Peace and Security Council?"
    first = multiword_names(question)
    assert first == ["UN Women", "Peace and Security Council"]
    first.append("changed")
    assert multiword_names(question) == ["UN Women", "Peace and Security Council"]
    assert multiword_names(question) is not multiword_names(question)
