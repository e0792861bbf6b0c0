"""The chat with a language model configured, in a real browser (Debian's headless chromium, Playwright).

The model is the scripted OpenAI-compatible server of tests/fake_llm.py (a fake: no capable model runs
here; real HTTP through the real llama-index client), scripted per question in tests/scripted_cases.py.
For each scripted behaviour the test reads what a person sees: the answer text, its notice, its source
cards; for a slow stream, the text appearing while it is written, each sentence marked once checked,
and the checked answer replacing it; the status line naming the model and its speed.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from assistant.web.render import TIER_LABELS
from tests.browser import (
    ask,
    bot_messages,
    last_bot_message,
    new_page,
    open_app,
    shot,
    textbox,
    wait_until_idle,
)
from tests.scripted_cases import CASES, Case

pytestmark = pytest.mark.integration


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context, page = new_page(browser)
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(scope="module")
def case_page(browser: Browser, generative_app: str) -> Iterator[Page]:
    """One page for all the scripted cases: a page load costs more than a case (~2 s of the browser's CPU)."""
    context, page = new_page(browser)
    page.set_default_timeout(15_000)
    open_app(page, generative_app + "/")
    yield page
    context.close()


@pytest.fixture
def chat(case_page: Page) -> Page:
    """``case_page`` in a new conversation (the chat's own button, proven in tests/web/test_ui.py), with
    nothing recorded yet of what it requested or raised."""
    if case_page.locator("#chat [data-testid='user']").count():
        case_page.locator("#new-chat").click()
        expect(case_page.locator("#chat [data-testid='user']")).to_have_count(0)
        expect(bot_messages(case_page)).to_have_count(0)
    case_page.external_requests.clear()
    case_page.js_errors.clear()
    return case_page


def assert_worked_offline(page: Page) -> None:
    assert page.external_requests == [] and page.js_errors == []


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_chat_shows_what_the_checker_let_through_with_its_notice(chat, case: Case):
    page = chat
    message = ask(page, case.question)

    text = " ".join(message.locator("p.answer-text").all_inner_texts())
    assert all(s in text for s in case.shows), text
    assert not any(h in text for h in case.hides), text
    notice = message.locator("p.notice")
    if case.notice:
        expect(notice).to_contain_text(case.notice)
    else:
        expect(notice).to_have_count(0)
    expect(message.locator("details.source-card").first).to_be_visible()
    if case.tier != "answered":  # a declined question's passages are labelled, never shown as the answer
        expect(message.locator("p.lead .tier-badge")).to_have_text(TIER_LABELS[case.tier])
    expect(message.locator("p.streaming-text")).to_have_count(0)  # the checked answer replaced the stream
    shot(page, f"generative-{case.name.replace(' ', '-').replace('[', '').replace(']', '')}")
    assert_worked_offline(page)


def test_a_slow_stream_is_shown_as_it_is_written_each_sentence_marked_then_replaced_by_the_checked_answer(
    generative_app, page
):
    slow = next(c for c in CASES if c.name == "streams slowly")
    open_app(page, generative_app + "/")
    before = bot_messages(page).count()
    box = textbox(page)
    box.fill(slow.question)
    box.press("Enter")

    streaming = page.locator("#chat [data-testid='bot'] p.streaming-text").last
    expect(streaming).to_be_visible(timeout=30_000)
    expect(page.locator("#chat [data-testid='bot'] p.checking").last).to_be_visible()
    # The first sentence is marked checked, with where its source stands, while the second is written.
    mark = page.locator("#chat [data-testid='bot'] .sentence-kept .check-mark").last
    expect(mark).to_contain_text("✓ Rome 2026, ", timeout=30_000)
    partial = streaming.inner_text()
    shot(page, "generative-streaming")
    wait_until_idle(page, before)

    final = last_bot_message(page)
    expect(final.locator("p.streaming-text")).to_have_count(0)
    expect(final.locator("p.checking")).to_have_count(0)
    text = final.locator("p.answer-text").inner_text()
    assert partial and len(partial) < len(text)  # seen part-written, before the whole answer
    assert "repository of skilled expertise" in text and "[1]" in text
    expect(final.locator("details.source-card")).to_have_count(1)
    assert_worked_offline(page)


def test_the_status_line_names_the_model_and_after_an_answer_how_fast_it_wrote(generative_app, page):
    open_app(page, generative_app + "/")
    status = page.locator("#model-status")
    expect(status).to_contain_text("Answers are written by the language model scripted-model")
    ask(page, next(c for c in CASES if c.name == "correct and cited").question)
    expect(status).to_contain_text("first words after")
    expect(status).to_contain_text("tokens a second")
    assert_worked_offline(page)
