"""The views' tabs in a real browser (Debian's headless chromium via Playwright) over the real app
indexing the four test documents; every request to another host is aborted and must not happen.

Each tab end to end: the tracker filtered and a row opened (and exported), a topic across the four
meetings, a document guide, a glossary lookup, a quiz of five answered with the score shown, two items
added to a note and downloaded as DOCX (read back with python-docx), the tour, and the tabs at 400 px
in /embed/. Screenshots go to artifacts/screenshots/views-*.png.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator

import pytest
from docx import Document
from playwright.sync_api import Browser, Page, expect

from assistant.views.commitments import CommitmentFilter
from tests.browser import ask, bot_messages, choose, new_page, open_app, settle, shot, textbox, wait_until_idle
from tests.conftest import EARLY_WARNING

pytestmark = pytest.mark.integration

MEETINGS = ["New York 2019", "Santiago 2022", "Nairobi 2024", "Rome 2026"]
CARD = "details.view-card"


@pytest.fixture(scope="module")
def app_url(multi_app: str) -> str:
    return multi_app


@pytest.fixture
def page(browser: Browser, app_url: str) -> Iterator[Page]:
    context, page = new_page(browser)
    page.set_default_timeout(20_000)
    open_app(page, app_url + "/")
    yield page
    context.close()


def open_tab(page: Page, name: str) -> None:
    """Click a tab; in a narrow page the ones that do not fit are under the "More tabs" menu."""
    tab = page.get_by_role("tab", name=name, exact=True)
    if not tab.count():
        page.get_by_role("button", name="More tabs").click()
        page.locator(".overflow-dropdown button", has_text=name).click()
    else:
        tab.click()
    expect(page.get_by_role("tab", name=name, exact=True)).to_have_attribute("aria-selected", "true")


def assert_worked_offline(page: Page) -> None:
    assert page.external_requests == []
    assert page.js_errors == []


def test_tracker_filters_by_type_and_meeting_opens_a_row_on_its_sentence_and_exports_it(page, multi):
    open_tab(page, "Commitments")
    expect(page.locator("#c-count")).to_contain_text("62 commitments")

    choose(page, "c-type", "call")
    choose(page, "c-meeting", "Rome 2026")

    expect(page.locator("#c-count")).to_contain_text("3 commitments")
    rows = page.locator(f"#c-rows {CARD}")
    expect(rows).to_have_count(3)
    expected = multi.views.commitments.filter(CommitmentFilter(meetings=("Rome 2026",), types=("call",)))
    first = rows.first
    expect(first.locator("mark")).to_be_hidden()
    first.locator("summary").click()
    expect(first.locator("mark")).to_have_text(expected[0].sentence)
    expect(first.locator(".where")).to_contain_text("National Action Plans, ¶20")
    rows.nth(1).locator("summary").focus()  # a row opens from the keyboard too
    page.keyboard.press("Enter")
    expect(rows.nth(1).locator("mark")).to_have_text(expected[1].sentence)
    shot(page, "views-commitments-filtered-row-open")

    with page.expect_download() as download:
        page.locator("#c-exports a", has_text="CSV").click()
    with open(download.value.path(), encoding="utf-8") as f:
        exported = list(csv.DictReader(f))
    assert [r["sentence"] for r in exported] == [c.sentence for c in expected]
    assert_worked_offline(page)


def test_topic_across_the_four_meetings_in_date_order_says_where_it_is_not_addressed(page):
    open_tab(page, "Topics")
    box = page.locator("#t-topic textarea")
    box.fill("artificial intelligence")
    box.press("Enter")

    meetings = page.locator("#t-view section.meeting")
    expect(meetings).to_have_count(4)
    expect(meetings.locator("h4")).to_have_text([f"{m} {d}" for m, d in zip(MEETINGS, DATES, strict=True)])
    for i in range(3):
        expect(meetings.nth(i).locator(".not-addressed")).to_have_text("Not addressed at this meeting.")
    rome = meetings.nth(3)
    expect(rome.locator(".not-addressed")).to_have_count(0)
    rome.locator(f"{CARD} summary").first.click()
    expect(rome.locator("mark").first).to_contain_text("artificial intelligence")
    shot(page, "views-topic-across-meetings")
    assert_worked_offline(page)


DATES = ["2019-09-25", "2022-10-20", "2024-03-13", "2026-06-10"]


def test_document_guide_shows_facts_sections_and_central_sentences_that_open_on_their_paragraph(page):
    open_tab(page, "Documents")
    expect(page.locator("#d-guide")).to_contain_text("Italy and the Philippines")  # the latest meeting first

    choose(page, "d-doc", "Nairobi 2024")

    guide = page.locator("#d-guide")
    expect(guide.locator("dl.facts")).to_contain_text("Kenya and Canada")
    expect(guide.locator("dl.facts")).to_contain_text("From Commitments to Communities")
    heads = guide.locator(".guide-section h4")
    expect(heads.first).to_contain_text("Preamble · 3 paragraphs")
    expect(heads.nth(1)).to_contain_text("Participation · 3 paragraphs, 3 commitments")
    card = guide.locator(f".guide-section:nth-of-type(2) {CARD}").first
    card.locator("summary").click()
    expect(card.locator("mark")).to_be_visible()
    expect(card.locator(".where")).to_contain_text("Nairobi 2024 communiqué · Participation")
    shot(page, "views-document-guide")
    assert_worked_offline(page)


def test_glossary_lookup_says_what_an_acronym_stands_for_and_where_it_is_used(page):
    open_tab(page, "Glossary")
    page.locator("#g-term textarea").fill("NAP")

    entry = page.locator("#g-entries details.glossary-entry").first
    expect(entry).to_have_attribute("open", "")
    expect(entry.locator("> summary")).to_contain_text("NAP — National Action Plans")
    expect(entry.locator("ul.uses li")).to_have_count(4)
    expect(entry.locator("blockquote.definition mark")).to_have_text("National Action Plans (NAPs)")
    entry.locator(f"{CARD} summary").click()
    expect(entry.locator(f"{CARD} mark")).to_contain_text("National Action Plans (NAPs)")
    shot(page, "views-glossary-lookup")

    page.locator("#g-term textarea").fill("women mediators")  # a term the communiqués use, never define
    entry = page.locator("#g-entries details.glossary-entry").first
    expect(entry.locator("> summary b.term")).to_have_text("women mediators")
    expect(entry.locator("blockquote.definition")).to_have_count(0)
    expect(entry.locator("p.no-definition")).to_have_text(
        "Not defined in the communiqués; first mentioned in the New York 2019 communiqué, Main text, ¶5."
    )
    shot(page, "views-glossary-undefined")
    assert_worked_offline(page)


def test_a_quiz_of_five_questions_gives_feedback_with_the_cited_paragraph_and_a_score(page, multi):
    open_tab(page, "Quiz")
    expect(page.locator("#q-seed")).to_have_count(0)  # no developer field
    page.locator("#q-n input").fill("5")
    page.locator("#q-start").click()
    seed = page.locator("#q-question .quiz-progress").get_attribute("data-seed")
    quiz = multi.views.quiz.make(5, int(seed))

    right = 0
    for i, question in enumerate(quiz.questions):
        expect(page.locator("#q-question")).to_contain_text(f"Question {i + 1} of 5")
        expect(page.locator("#q-question .quiz-text")).to_have_text(question.text)
        correct = i % 2 == 0  # right, wrong, right, wrong, right
        wrong = next(c for c in question.choices if c != question.choices[question.answer])
        page.get_by_role("radio", name=question.choices[question.answer] if correct else wrong, exact=True).check()
        page.locator("#q-check").click()
        verdict = page.locator("#q-feedback .quiz-verdict")
        expect(verdict).to_be_visible()
        right += correct
        expect(verdict).to_contain_text("Right." if correct else "Not quite")
        expect(page.locator("#q-feedback mark")).to_have_text(question.citation.quote)
        expect(page.locator("#q-score")).to_contain_text(f"Score: {right} / {i + 1}")
        if i == 2:
            shot(page, "views-quiz-feedback")
        page.locator("#q-next").click()

    assert right == 3
    expect(page.locator("#q-question")).to_contain_text("Quiz finished: 3 of 5 right.")
    expect(page.locator("#q-score")).to_contain_text("Score: 3 / 5")
    shot(page, "views-quiz-score")
    assert_worked_offline(page)


def test_two_items_added_to_the_note_download_as_docx_with_their_numbered_references(page, multi, tmp_path):
    answer = ask(page, EARLY_WARNING)
    expect(answer.locator("details.source-card").first).to_be_visible()
    page.locator("#add-answer").click()
    expect(page.locator("#status")).to_contain_text("1 item")

    open_tab(page, "Commitments")
    row = page.locator(f"#c-rows {CARD}").first
    row.locator("summary").click()
    row.get_by_role("button", name="Add to note").click()
    expect(page.locator("#c-status")).to_contain_text("2 items")

    open_tab(page, "Note")
    expect(page.locator("#n-view section.note-item")).to_have_count(2)
    choose(page, "n-item", "1.")
    page.locator("#n-heading textarea").fill("Early warning")
    page.locator("#n-save").click()
    expect(page.locator("#n-view section.note-item h4").first).to_have_text("1. Early warning")
    shot(page, "views-note")
    with page.expect_download() as download:
        page.locator("#n-docx").click()
    path = tmp_path / "note.docx"
    download.value.save_as(path)

    paragraphs = [p.text for p in Document(str(path)).paragraphs]
    assert paragraphs[0] == "Briefing note" and "Early warning" in paragraphs
    references = paragraphs[paragraphs.index("References") + 1 :]
    first_answer = multi.ask(EARLY_WARNING)
    commitment = multi.views.commitments.rows[0]
    cited = list(dict.fromkeys((c.doc_id, c.paragraph) for c in [*first_answer.citations, commitment.citation]))
    assert [r.split(" ", 1)[0] for r in references] == [f"[{n}]" for n in range(1, len(cited) + 1)]
    assert references[-1] == f"[{len(cited)}] {commitment.citation.reference}"
    assert any(f"“{commitment.sentence}” [{len(cited)}]" in p for p in paragraphs)
    assert_worked_offline(page)


def test_start_here_walks_the_pillars_and_a_step_button_asks_its_question_in_the_chat(page, multi):
    open_tab(page, "Start here")
    steps = page.locator("#s-tour .step-head")
    expect(steps.first).to_contain_text("1. Participation")
    expect(steps.nth(3)).to_contain_text("4. Relief and Recovery")
    expect(page.locator(f"#s-tour .tour {CARD}").first.locator("mark")).to_be_visible()  # the first step starts open
    intro = page.locator("#s-tour .intro .intro-head")  # the agenda from the corpus, each line cited
    expect(intro).to_contain_text(["The Network", "Resolution 1325", "The four pillars"])
    expect(intro.first).to_contain_text(re.compile(r"communiqué, \w[\w ]*, ¶\d+"))
    shot(page, "views-start-here")

    before = bot_messages(page).count()
    page.locator("#s-tour button[data-action='ask']").first.click()

    expect(page.get_by_role("tab", name="Chat", exact=True)).to_have_attribute("aria-selected", "true")
    wait_until_idle(page, before)  # asked on click: no second step in the chat
    question = multi.views.examples.tour().steps[0].question
    expect(page.locator("#chat [data-testid='user']").last).to_contain_text(question)
    expect(textbox(page)).to_have_value("")
    assert_worked_offline(page)


def test_glossary_terms_in_a_chat_answer_are_explained_on_hover_or_focus(page):
    answer = ask(page, "What does NAP stand for?")
    term = answer.locator("abbr.term").first
    expect(term).to_have_attribute("title", "National Action Plans")
    expect(term).to_have_attribute("tabindex", "0")
    expect(answer).to_contain_text("NAP stands for National Action Plans.")
    assert_worked_offline(page)


def test_every_tab_is_readable_at_400_px_in_the_embed_view(browser, app_url):
    context, page = new_page(browser, viewport={"width": 400, "height": 900})
    try:
        page.set_default_timeout(20_000)
        page.goto(app_url + "/embed/")
        textbox(page).wait_for(state="visible")
        for name in ("Start here", "Commitments", "Topics", "Documents", "Glossary", "Quiz", "Note", "Chat"):
            open_tab(page, name)
            settle(page)
            assert page.evaluate("() => document.documentElement.scrollWidth") <= 400, name
            shot(page, f"views-embed-400-{name.lower().replace(' ', '-')}", full_page=False)
        assert_worked_offline(page)
    finally:
        context.close()
