"""The views over a real index (real model, real Chroma): one document (the shipped corpus) and four.

What needs the embeddings is checked here: centrality stored at ingest (document guides), the topic
view (retrieval and the answer threshold per meeting), and the chat questions the views answer.
"""

from __future__ import annotations

import pytest

from assistant.pipeline.assistant import Assistant
from assistant.schema import Filters
from assistant.views.topic import NOT_ADDRESSED

pytestmark = pytest.mark.integration

AI = "artificial intelligence"
FUNDING_CHANGE = "How did the Network's language on funding for women peacebuilders change between 2024 and 2026?"


@pytest.fixture(params=["shipped", "multi"])
def corpus(request) -> Assistant:
    return request.getfixturevalue(request.param)


def test_every_section_of_every_document_has_a_guide_of_its_most_central_sentences(corpus):
    for doc in corpus.views.table.documents:
        guide = corpus.views.guides.guide(doc["doc_id"])
        assert [s.name for s in guide.sections] == [s["name"] for s in doc["sections"]]
        for section in guide.sections:
            assert 1 <= len(section.summary) <= corpus.settings.guide_sentences
            scores = [c.score for c in section.summary]
            assert all(0 < s <= 1 for s in scores)
            for c in section.summary:
                assert c.text[c.quote_start :].startswith(c.quote) and c.section == section.name
            # the quoted sentences are the section's most central ones
            others = [
                x.facts.centrality
                for x in corpus.views.table.by_doc[doc["doc_id"]]
                if x.address.section == section.name
            ]
            assert min(scores) >= sorted(others, reverse=True)[len(scores) - 1] - 1e-4


def test_a_topic_is_shown_for_each_meeting_in_date_order_and_not_addressed_where_it_is_not(multi):
    result = multi.views.topic.across(AI)
    assert [m.meeting for m in result.meetings] == ["New York 2019", "Santiago 2022", "Nairobi 2024", "Rome 2026"]
    assert [m.addressed for m in result.meetings] == [False, False, False, True]
    assert all(m.note == NOT_ADDRESSED and not m.citations for m in result.meetings[:3])
    (rome,) = result.meetings[3:]
    assert AI in rome.citations[0].quote and rome.citations[0].n == 1


def test_a_topic_the_meetings_all_address_cites_each_in_order(multi):
    result = multi.views.topic.across("online harassment of women peacebuilders")
    assert all(m.addressed for m in result.meetings)
    numbers = [c.n for m in result.meetings for c in m.citations]
    assert numbers == list(range(1, len(numbers) + 1))
    assert (
        len(multi.views.topic.across(AI, ("2026-06-10_rome_eighth-capital-level-meeting_joint-communique",)).meetings)
        == 1
    )


def test_over_one_document_the_topic_view_has_one_meeting(shipped):
    (only,) = shipped.views.topic.across(AI).meetings
    assert only.addressed and only.meeting == "Rome 2026"


def test_the_chat_answers_how_language_changed_with_the_topic_view_over_those_years(multi):
    answer = multi.ask(FUNDING_CHANGE)
    assert answer.mode == "topic" and not answer.abstained
    assert {c.date[:4] for c in answer.citations} <= {"2024", "2026"}
    assert answer.answer.index("Nairobi 2024") < answer.answer.index("Rome 2026")
    for c in answer.citations:
        assert f"[{c.n}]" in answer.answer and c.quote in c.text


def test_the_chat_answers_which_meeting_first_addressed_a_topic_with_the_earliest_that_does(multi):
    answer = multi.ask("Which meeting first mentioned artificial intelligence?")
    assert answer.mode == "topic" and not answer.abstained
    assert answer.answer.startswith("Of the indexed communiqués, the first to address “artificial intelligence”")
    assert [c.date[:4] for c in answer.citations] == ["2026"] and AI in answer.citations[0].quote
    everywhere = multi.ask(
        "When did the Network first talk about online harassment of women peacebuilders, and what came after?"
    )
    assert everywhere.answer.startswith("Of the indexed communiqués, the first to address “online harassment")
    assert [c.date[:4] for c in everywhere.citations] == ["2019", "2022", "2024", "2026"]  # then each later one
    assert "It is addressed again later:" in everywhere.answer
    for c in everywhere.citations:
        assert f"[{c.n}]" in everywhere.answer and c.quote in c.text
    assert multi.ask("Which meeting first mentioned maritime security?").abstained


def test_over_one_meeting_which_first_mentioned_is_an_ordinary_question(shipped):
    assert shipped.ask("Which meeting first mentioned artificial intelligence?").mode == "extractive"


def test_the_chat_answers_what_an_acronym_stands_for_from_the_glossary(corpus):
    answer = corpus.ask("What does NAP stand for?")
    assert answer.mode == "glossary" and answer.answer.startswith("NAP stands for National Action Plans.")
    assert "(NAPs)" in answer.citations[0].quote
    assert corpus.ask("What does XYZQ stand for?").mode == "extractive"  # not in the glossary: the usual answer


def test_other_questions_keep_the_extractive_answer(multi):
    assert multi.ask("What did the 2024 meeting recommend on early warning?").mode == "extractive"


def test_every_example_question_and_tour_question_is_answered(corpus):
    questions = [q for group in corpus.views.examples.questions().values() for q in group]
    questions += [step.question for step in corpus.views.examples.tour().steps]
    assert len(questions) >= 8
    refused = [q for q in questions if corpus.ask(q).abstained]
    assert refused == []


def test_commitments_and_quiz_over_one_document_and_four(shipped, multi):
    assert len(shipped.views.commitments.rows) == 20 and len(multi.views.commitments.rows) == 62
    assert "meeting" not in {q.kind for q in shipped.views.quiz.make(8, 1).questions}
    assert "meeting" in {q.kind for q in multi.views.quiz.make(8, 1).questions}


def test_a_question_restricted_by_filters_is_answered_from_its_passages_not_a_view(multi):
    rome = ("2026-06-10_rome_eighth-capital-level-meeting_joint-communique",)
    answer = multi.ask("What does NAP stand for?", filters=Filters(doc_ids=rome))
    assert answer.mode == "extractive" and all(c.doc_id == rome[0] for c in answer.citations)


def test_on_the_shipped_corpus_each_glossary_term_is_defined_by_a_long_form_or_said_to_be_undefined(shipped):
    entries = shipped.views.glossary.entries
    assert entries
    for e in entries:
        c = e.definition or e.first_mention
        assert c.text[c.quote_start :].startswith(c.quote) and c.doc_id == shipped.views.table.documents[0]["doc_id"]
        if e.definition is not None:  # Rome defines only acronyms, by their long form
            assert e.kind == "acronym" and e.defined_by == "long form" and e.expansion in e.definition.quote
            assert e.definition_note == f"Defined in the Rome 2026 communiqué, {e.definition.where}"
        else:
            assert e.definition_note == (
                f"Not defined in the communiqués; first mentioned in the Rome 2026 communiqué, {e.first_mention.where}"
            )
    mediators = shipped.views.glossary.lookup("women mediators")
    assert mediators.definition is None and mediators.first_mention.paragraph == 8
    assert shipped.views.glossary.lookup("NAP").definition.paragraph == 19
