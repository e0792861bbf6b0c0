"""Which questions a view answers: the topic across meetings and the glossary; every other one is left alone."""

from __future__ import annotations

import json

import pytest

from assistant.pipeline.plan.route import FIRST, GLOSSARY, TOPIC, ViewRouter
from tests.conftest import MULTI_QUESTIONS, QUESTIONS

pytestmark = pytest.mark.unit

DOCS = [
    {"doc_id": "ny", "date": "2019-09-25"},
    {"doc_id": "santiago", "date": "2022-10-20"},
    {"doc_id": "nairobi", "date": "2024-03-13"},
    {"doc_id": "rome", "date": "2026-06-10"},
]
DEFINED = {"NAP", "WPS", "ODA", "RESOLUTION 1325"}


@pytest.fixture
def router() -> ViewRouter:
    return ViewRouter(DOCS, defined)


def defined(term: str) -> bool:
    term = term.strip("“”").upper()
    return term in DEFINED or term.removesuffix("S") in DEFINED


def test_how_the_language_on_a_topic_changed_between_two_years_covers_the_meetings_between(router):
    route = router.route(
        "How did the Network's language on funding for women peacebuilders change between 2024 and 2026?"
    )
    assert (route.name, route.subject, route.doc_ids) == (TOPIC, "funding for women peacebuilders", ("nairobi", "rome"))


@pytest.mark.parametrize(
    ("question", "subject", "docs"),
    [
        ("How has the wording on early warning evolved since 2022?", "early warning", ("santiago", "nairobi", "rome")),
        ("how did the ask on young women change between 2019 and 2022?", "young women", ("ny", "santiago")),
        (
            "How has funding for women mediators changed over time?",
            "funding for women mediators",
            ("ny", "santiago", "nairobi", "rome"),
        ),
        (
            "What did the communiqués say about reparations across the meetings?",
            "reparations",
            ("ny", "santiago", "nairobi", "rome"),
        ),
    ],
)
def test_other_wordings_of_a_topic_across_meetings(router, question, subject, docs):
    route = router.route(question)
    assert (route.name, route.subject, route.doc_ids) == (TOPIC, subject, docs)


@pytest.mark.parametrize(
    "question",
    [
        "What does NAP stand for?",
        "what does ODA mean",
        "What is WPS?",
        "Define the acronym NAPs",
        "What is the meaning of “WPS”?",
    ],
)
def test_what_a_defined_acronym_stands_for_goes_to_the_glossary(router, question):
    route = router.route(question)
    assert route.name == GLOSSARY and defined(route.subject)


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("Which meeting first mentioned artificial intelligence?", "artificial intelligence"),
        ("which communique was the first to address youth?", "youth"),
        ("When did the Network first talk about climate security?", "climate security"),
        ("When was feminist foreign policy first mentioned?", "feminist foreign policy"),
        ("In which meeting did peer review first come up?", "peer review"),
        ("when did the network first raise online abuse, and how did the asks develop?", "online abuse"),
    ],
)
def test_which_meeting_first_addressed_a_topic_goes_to_the_topic_view_over_every_meeting(router, question, subject):
    route = router.route(question)
    assert route.name == FIRST and route.subject == subject
    assert route.doc_ids == ("ny", "santiago", "nairobi", "rome")


def test_with_one_meeting_there_is_no_first_to_tell(router):
    assert ViewRouter(DOCS[-1:], defined).route("Which meeting first mentioned youth?") is None


@pytest.mark.parametrize(
    "question",
    [
        "What does XYZ stand for?",  # not defined by the corpus: the usual answer says so
        "when was the network first set up?",  # the earliest document (steering), not a topic's first mention
        "how many members were there when the network first started?",
        "What is the theme of the meeting?",
        "What does the communiqué say about NAPs?",
        "How did the 2022 and 2026 meetings differ on ODA targets?",  # a comparison the extractive answerer cites
        "How did the language change between 2024 and 2026?",  # no topic
        "How did the language on ODA change between 2010 and 2012?",  # no meeting in those years
    ],
)
def test_other_questions_are_not_routed(router, question):
    assert router.route(question) is None


def test_no_question_of_the_evaluation_sets_is_routed(router):
    """The held-out behaviour stays the extractive answerer's (the shared eval set routes two, on purpose)."""
    for path in (QUESTIONS, MULTI_QUESTIONS):
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            for text in [item["question"], *item.get("history", [])]:
                assert router.route(text) is None, text
