"""Document facts, example questions and the tour, made from whatever documents are indexed (no model)."""

from __future__ import annotations

import pytest

from assistant.ingest.pillars import pillars
from tests import formats
from tests.views.tables import four, parts, table_of

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def views():
    return parts(four())


def test_guide_states_co_chairs_theme_and_secretariat_with_the_sentence_saying_so(views):
    guides = views[2]
    table = guides.table
    nairobi = next(d["doc_id"] for d in table.documents if "nairobi" in d["doc_id"])
    facts = {f.label: f for f in guides.guide(nairobi).facts}
    assert facts["Co-chairs"].value == "Kenya and Canada"
    assert facts["Theme"].value.startswith("From Commitments to Communities")
    assert facts["Co-chairs"].citation.quote in facts["Co-chairs"].citation.text
    new_york = table.documents[0]["doc_id"]
    assert {f.label: f.value for f in guides.guide(new_york).facts}["Chair"] == "Namibia"
    sections = guides.guide(nairobi).sections
    assert [(s.name, s.paragraphs) for s in sections][:2] == [("Preamble", 3), ("Participation", 3)]
    assert guides.guide("no-such-document") is None


def test_example_questions_come_from_the_corpus_sections_and_terms(views):
    questions = views[4].questions()
    groups = list(questions)
    assert groups[0] == "The meetings" and groups[1:5] == pillars()
    assert "What does WPS stand for?" in questions["The meetings"]
    assert any("change between 2019 and 2026" in q for q in questions["The meetings"])
    assert all(q.endswith("?") for qs in questions.values() for q in qs)


def test_examples_of_another_communique_name_its_own_themes(tmp_path):
    formats.write_markdown(tmp_path)
    _, _, _, _, examples = parts(table_of(tmp_path.iterdir()))
    text = " ".join(q for qs in examples.questions().values() for q in qs)
    assert "Rome" not in text and "Eighth" not in text
    assert text  # something to ask, whatever the document


def test_the_tour_walks_the_pillars_in_order_with_one_commitment_each(views):
    steps = views[4].tour().steps
    assert [s.theme for s in steps if s.pillar] == pillars()
    assert all(s.commitment.pillar == s.theme or s.commitment.section == s.theme for s in steps)
    assert all(s.question.startswith("What do the communiqués recommend on") for s in steps)


def test_only_questions_the_assistant_answers_are_offered():
    examples = parts(four())[4]
    everything = [q for qs in examples.questions().values() for q in qs]
    refused = set(everything[1::2])
    examples.offer_only(lambda question: question not in refused)
    offered = [q for qs in examples.questions().values() for q in qs]
    assert offered and not refused & set(offered)
    steps = examples.tour().steps
    assert all(s.question not in refused for s in steps)
    # every pillar keeps its step: one the assistant would half answer asks about its commitment instead
    assert [s.theme for s in steps if s.pillar] == pillars()
    pointed = [s for s in steps if s.question.startswith("What does paragraph")]
    assert all(f"paragraph {s.commitment.paragraph} of the {s.commitment.meeting}" in s.question for s in pointed)


def test_the_introduction_quotes_the_corpus_on_the_network_1325_and_the_pillars():
    from assistant.views.guide import introduction
    from tests.views.tables import four

    table = four()
    lines = {x.topic: x.citation for x in introduction(table)}
    assert list(lines) == ["The Network", "Resolution 1325", "The four pillars"]
    assert "Network" in lines["The Network"].quote and "1325" in lines["Resolution 1325"].quote
    assert "pillar" in lines["The four pillars"].quote
    assert all(c.quote in c.text for c in lines.values())  # quoted, never written by the app
