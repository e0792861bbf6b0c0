"""Questions that name a meeting, a year or a place are steered to that document."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.pipeline.plan.steer import DocumentSteering, RelativeStep, is_demonym_of, relative_step

pytestmark = pytest.mark.unit

DOCS = [
    {"doc_id": "rome", "meeting": "Eighth Capital-Level Meeting", "date": "2026-06-10", "place": "Rome, Italy"},
    {"doc_id": "nairobi", "meeting": "Seventh Capital-Level Meeting", "date": "2024-03-13", "place": "Nairobi, Kenya"},
    {"doc_id": "ny", "meeting": "Ministerial Meeting", "date": "2019-09-25", "place": "New York, United States"},
]
steer = DocumentSteering(DOCS)


def test_year_place_or_meeting_names_one_document():
    assert steer.named("What did the 2024 meeting recommend on financing?") == ["nairobi"]
    assert steer.named("What did the Rome communiqué say about early warning?") == ["rome"]
    assert steer.named("What did the seventh meeting say about mediation?") == ["nairobi"]
    assert steer.named("What did the ministerial meeting in New York agree?") == ["ny"]


def test_two_named_documents_are_both_returned_for_a_comparison():
    assert set(steer.named("How did the 2019 and 2026 meetings differ on financing?")) == {"ny", "rome"}


def test_unnamed_or_unknown_facts_steer_nothing():
    assert steer.named("What are the four pillars?") == []
    assert steer.named("What did the 2025 meetings in Tokyo and Oslo decide?") == []
    assert steer.named("What should States do about early warning?") == []  # "States" is no place cue


def test_words_naming_the_document_leave_the_question_possessives_included():
    docs = [*DOCS, {"doc_id": "summary", "title": "Chair's Summary", "date": "2021-01-01", "place": "Oslo, Norway"}]
    stripped = DocumentSteering(docs).without_cues(
        "What does the 2021 Chair’s Summary say about AI in a war?", ["summary"]
    )
    assert stripped == "What does the say about AI in a war?"


TODAY = date(2026, 12, 1)
timed = DocumentSteering(DOCS, today=TODAY)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("how big is the network now?", ["rome"]),
        ("What is the latest count of members?", ["rome"]),
        ("when was the network first set up?", ["ny"]),
        ("What did the first meeting say?", ["ny"]),
        ("what did last year's meeting say?", ["nairobi"]),  # no 2025 document: the one before this year's
        ("what has been said since 2019 about funding?", ["ny", "nairobi", "rome"]),
        ("who has chaired the network over the years?", ["ny", "nairobi", "rome"]),
    ],
)
def test_meetings_named_by_time_are_chosen_by_the_documents_dates(question, expected):
    assert timed.named(question) == expected


def test_last_year_means_last_years_document_when_there_is_one():
    assert DocumentSteering(DOCS, today=date(2025, 3, 1)).named("last year's meeting on mediation") == ["nairobi"]


@pytest.mark.parametrize(
    "question",
    ["the first face-to-face one after covid", "what is the current security landscape?", "What is recommended?"],
)
def test_words_that_are_no_time_reference_steer_nothing(question):
    assert timed.named(question) == []


def test_a_single_document_is_never_steered_by_time():
    assert DocumentSteering(DOCS[:1], today=TODAY).named("how big is the network now?") == []


@pytest.mark.parametrize(
    ("word", "place", "is_adjective"),
    [
        ("Kenyan", "kenya", True),
        ("Chilean", "chile", True),
        ("Italian", "italy", True),
        ("Japanese", "japan", True),
        ("Swedish", "sweden", True),
        ("German", "germany", True),
        ("Kenya", "kenya", False),  # the name itself is matched as a place, not as its adjective
        ("Roman", "rome", False),  # too short a stem to tell
        ("States", "statesboro", False),
        ("Norwegian", "norway", False),  # irregular: not caught, never wrongly caught either
    ],
)
def test_the_adjective_of_a_place_is_told_by_its_ending(word, place, is_adjective):
    assert is_demonym_of(word, place) is is_adjective


def test_an_adjective_qualifying_a_meeting_names_the_meeting_held_there():
    assert steer.named("What did the Kenyan meeting say about youth?") == ["nairobi"]
    assert steer.named("what about the Italian communique") == ["rome"]
    assert steer.without_cues("What did the Kenyan meeting say about youth?", ["nairobi"]) == (
        "What did the meeting say about youth?"
    )


@pytest.mark.parametrize(
    ("question", "left"),
    [
        ("theme of the nairobi one?", "theme of the meeting?"),
        ("what did the 2024 one say?", "what did the meeting say?"),
        ("which one of the nairobi recommendations", "which one of the recommendations"),
    ],
)
def test_the_one_a_cue_named_is_the_meeting_once_the_cue_has_left(question, left):
    assert steer.without_cues(question, ["nairobi"]) == left


def test_an_adjective_qualifying_no_meeting_names_none():
    docs = [
        *DOCS,
        {"doc_id": "pretoria", "meeting": "Ninth Meeting", "date": "2027-05-01", "place": "Pretoria, South Africa"},
    ]
    assert DocumentSteering(docs).named("What did the African Union commit to?") == []


@pytest.mark.parametrize(
    ("question", "step"),
    [
        ("and the previous meeting?", RelativeStep(meetings=-1, phrase="previous meeting")),
        ("and the one before that?", RelativeStep(meetings=-1, phrase="one before that")),
        ("what did the next one say?", RelativeStep(meetings=1, phrase="next one")),
        ("and two years later?", RelativeStep(years=2, phrase="two years later")),
        ("and five years earlier?", RelativeStep(years=-5, phrase="five years earlier")),
        ("What did the Nairobi meeting say?", None),
        ("members adopted plans one after another", None),
    ],
)
def test_a_meeting_named_relative_to_another_is_read_as_a_step_in_time(question, step):
    assert relative_step(question) == step


def test_a_step_in_time_moves_from_the_discussed_meeting_in_date_order():
    assert steer.shifted(["nairobi"], RelativeStep(meetings=-1)) == ["ny"]
    assert steer.shifted(["nairobi"], RelativeStep(meetings=1)) == ["rome"]
    assert steer.shifted(["rome"], RelativeStep(meetings=1)) == []  # no meeting after the last one
    assert steer.shifted(["ny"], RelativeStep(years=3)) == ["nairobi"]  # 2022: none; the first after
    assert steer.shifted(["rome"], RelativeStep(years=-2)) == ["nairobi"]


def test_a_place_read_as_meeting_words_does_not_name_its_document_by_meeting():
    # The virtual meeting's place comes from its file name: "Virtual Meeting". Every question about "the
    # meeting" used to name it, so it took over every corpus it was in.
    docs = [*DOCS, {"doc_id": "online", "meeting": "Virtual Meeting", "date": "2020-12-03", "place": "Virtual Meeting"}]
    steering = DocumentSteering(docs)
    assert steering.named("who co-chaired the Nairobi meeting?") == ["nairobi"]
    assert steering.named("what did the virtual meeting decide?") == ["online"]


def test_a_country_names_the_meeting_held_in_one_of_its_cities():
    docs = [*DOCS, {"doc_id": "windhoek", "meeting": "Third Meeting", "date": "2019-04-11", "place": "Windhoek"}]
    steering = DocumentSteering(docs, country_of={"Windhoek": "Namibia"}.get)
    assert steering.named("what climate thing was decided in namibia?") == ["windhoek"]
    assert steering.without_cues("what was decided in namibia?", ["windhoek"]) == "what was decided in ?"


FORMATS = [
    {
        "doc_id": "online",
        "meeting": "Virtual Meeting",
        "date": "2020-12-03",
        "place": "Virtual Meeting",
        "format": "online",
    },
    {
        "doc_id": "valletta",
        "meeting": "Fourth Meeting",
        "date": "2021-05-06",
        "place": "Valletta, Malta",
        "format": "hybrid",
    },
    {"doc_id": "manila", "meeting": "Thematic Meeting", "date": "2025-11-14", "place": "Manila, Philippines"},
    *DOCS,
]
by_format = DocumentSteering(FORMATS, today=TODAY)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("membership count at the online meeting?", ["online"]),
        ("who co-chaired the virtual one?", ["online"]),
        ("what came out of the meeting held online?", ["online"]),
        ("online abuse - what came out of the hybrid meeting?", ["valletta"]),
    ],
)
def test_a_meeting_named_by_how_it_was_held_is_the_one_held_that_way(question, expected):
    assert by_format.named(question) == expected


def test_a_format_word_that_qualifies_no_meeting_names_none_and_stays_in_the_query():
    assert by_format.named("what has been said about online abuse?") == []
    question = "what did the 2020 meeting say about online abuse?"
    assert by_format.without_cues(question, by_format.named(question)) == "what did the meeting say about online abuse?"
    assert by_format.without_cues("who co-chaired the online meeting?", ["online"]) == "who co-chaired the meeting?"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("I'm drafting our 2021 workplan - what did last year's meeting say about funding?", ["online"]),
        ("it's 2026 and I'm prepping for rome: what did last year's thematic meeting set?", ["manila"]),
    ],
)
def test_last_year_is_counted_from_the_present_the_question_states(question, expected):
    assert by_format.named(question) == expected


@pytest.mark.parametrize(
    ("question", "from_named"),
    [
        ("What did the meeting before Nairobi say?", True),
        ("and the one before that?", False),
        ("what did the next one say?", False),
        ("back in 2017, who offered to host the next meeting?", False),
    ],
)
def test_only_a_meeting_before_or_after_a_name_steps_from_that_name(question, from_named):
    assert relative_step(question).from_named is from_named
