"""Which meeting a question names, and whether the corpus holds or mentions it (no model, no index)."""

from __future__ import annotations

import pytest

from assistant.pipeline.plan.meetings import KnownMeetings, MeetingFacts, MeetingReference, can_be, meeting_references

pytestmark = pytest.mark.unit

PLACES = {"oslo", "berlin", "rome", "tokyo", "nairobi", "alicante", "york"}


def is_place(word: str) -> bool:
    return word in PLACES


def facts(question: str) -> list[set[str]]:
    return [set(r.ordinals | r.years | r.months | r.places | r.kinds) for r in meeting_references(question, is_place)]


def test_a_meeting_is_read_with_the_facts_next_to_it_before_and_after():
    assert facts("what was the theme of the oslo meeting in 2025?") == [{"oslo", "2025"}]
    assert facts("what did the September 2017 ministerial meeting conclude?") == [{"september", "2017", "ministerial"}]
    assert facts("who's hosting the ninth capital level meeting?") == [{"ninth", "capital-level"}]
    assert facts("the Network's 8th meeting in Rome") == [{"eighth", "rome"}]


def test_a_meeting_word_with_no_fact_or_a_relative_one_names_no_meeting():
    assert facts("what did the meeting decide?") == []
    assert facts("what did the next meeting decide in 2025?") == []
    assert facts("which meeting was hosted by Chile?") == []


def test_words_after_the_meeting_count_only_behind_in_at_or_of():
    assert facts("did the 2020 meeting say anything on online abuse") == [{"2020"}]
    # "in the first half of 2018": the reading stops at "first", no ordinal of the meeting
    assert facts("the Second Meeting of the Network in Berlin in the first half of 2018") == [{"second", "berlin"}]
    assert facts("the 2025 meetings in Tokyo and Oslo") == [{"2025", "tokyo", "oslo"}]


def test_a_shown_phrase_is_the_meeting_and_its_facts_only():
    (ref,) = meeting_references("What was agreed at the Oslo meeting in 2025 on funding?", is_place)
    assert ref.phrase == "oslo meeting in 2025"


def test_a_document_that_does_not_state_a_fact_may_still_be_the_meeting():
    unnumbered = MeetingFacts(years=frozenset({"2020"}))
    fifth = MeetingReference("fifth meeting", ordinals=frozenset({"fifth"}))
    assert can_be(fifth, unnumbered)
    assert not can_be(fifth, unnumbered, partial=True)  # a mention must agree on something
    assert not can_be(MeetingReference("2025 meeting", years=frozenset({"2025"})), unnumbered)


ROME = {
    "doc_id": "2026-06-10_rome_eighth-capital-level-meeting",
    "date": "2026-06-10",
    "place": "Rome, Italy",
    "meeting": "Eighth Capital-Level Meeting",
    "title": "Joint Communiqué",
}
NAIROBI = {
    "doc_id": "2024-03-13_nairobi_seventh",
    "date": "2024-03-13",
    "place": "Nairobi, Kenya",
    "meeting": "Seventh Capital-Level Meeting",
    "title": "Joint Communiqué",
}
PASSAGES = [
    "Building on the outcomes of the 2025 meetings in Tokyo and Oslo, we recognize …",
    "We welcome the offer of Germany to host the Second Meeting of the Network in Berlin.",
]


@pytest.fixture
def known() -> KnownMeetings:
    return KnownMeetings([ROME, NAIROBI], PASSAGES, is_place)


def test_a_meeting_neither_held_as_a_document_nor_mentioned_is_absent(known):
    absent = known.absent("what did the 2031 meeting in Oslo agree on funding?")
    assert absent is not None and absent.phrase == "2031 meeting in oslo"
    assert known.absent("what did the sixth meeting decide?") is not None


def test_a_meeting_the_corpus_has_or_mentions_is_not_absent(known):
    assert known.absent("what did the Rome meeting say about AI?") is None
    assert known.absent("what did the 8th meeting say about AI?") is None
    assert known.absent("what did the 2024 meeting recommend?") is None
    assert known.absent("what was the theme of the Oslo meeting in 2025?") is None  # mentioned in Rome's text
    assert known.absent("what did the second meeting in Berlin agree?") is None  # mentioned: the tier model judges


def test_facts_that_contradict_every_document_make_the_meeting_absent(known):
    assert known.absent("what did the Nairobi meeting in 2026 say?") is not None  # Nairobi was 2024, Rome 2026
