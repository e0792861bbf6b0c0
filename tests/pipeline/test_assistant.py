"""The assistant over several communiqués: a conversation stays on the document it is about."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration

SANTIAGO = "2022-10-20_santiago_sixth-capital-level-meeting_joint-communique"
NAIROBI = "2024-03-13_nairobi_seventh-capital-level-meeting_joint-communique"


def _docs(answer) -> set[str]:
    return {c.doc_id for c in answer.citations}


def test_a_follow_up_stays_on_the_document_of_the_previous_turn(multi):
    history = ["What did the Santiago communiqué say about climate security?"]
    answer = multi.ask("Which groups of women did it single out?", history)
    assert not answer.abstained and _docs(answer) == {SANTIAGO}
    assert any("Indigenous and rural women" in c.quote for c in answer.citations)


def test_that_meeting_means_the_previous_turns_meeting_not_a_year_named_in_the_question(multi):
    history = ["Which meeting was hosted by Chile and Spain?"]
    named = multi.planner.named_documents
    assert named("Which countries did that meeting say would co-chair in 2024?", history) == [SANTIAGO]
    assert named("Which countries did the 2024 meeting say would co-chair?", []) == [NAIROBI]


def test_a_follow_up_naming_another_meeting_moves_to_that_meeting(multi):
    history = ["What did the Santiago communiqué say about climate security?"]
    assert multi.planner.named_documents("And what did the Nairobi meeting say about it?", history) == [NAIROBI]


def test_a_comparison_cites_each_document_it_names(multi):
    answer = multi.ask("How did the Santiago and Nairobi meetings differ on women mediators?")
    assert not answer.abstained and _docs(answer) == {SANTIAGO, NAIROBI}


def test_best_supported_citation_comes_first(multi):
    answer = multi.ask("What did the 2024 meeting recommend on financing?")
    scores = [c.score for c in answer.citations]
    assert scores[0] == max(scores) and {c.doc_id for c in answer.citations} == {NAIROBI}


def test_a_question_about_a_whole_document_is_answered_from_it_not_refused(multi):
    answer = multi.ask("Summarise the Santiago communiqué")
    assert not answer.abstained and _docs(answer) == {SANTIAGO}


def test_a_meeting_the_corpus_neither_holds_nor_mentions_is_not_addressed_and_says_why(multi):
    answer = multi.ask("What did the 2031 meeting in Berlin agree on funding for women mediators?")
    assert answer.tier == "not_addressed" and answer.abstained and not answer.citations
    assert "2031 meeting in berlin" in answer.notice
    assert answer.related  # the closest passages are still offered, labelled as related
    held = multi.ask("What did the Nairobi meeting say about funding for women mediators?")
    assert held.tier != "not_addressed" and not held.notice
