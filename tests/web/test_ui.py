"""The web UI in a real browser: Debian's headless chromium, driven by Playwright, against the real app.

The app is served by uvicorn on a free loopback port (tests/live.py); every request a page makes to a host
other than this machine is aborted and recorded in ``page.external_requests``, and each test ends by asserting
there was none: the page must work on an intranet with no internet. Screenshots of the main steps go to
artifacts/screenshots/ (git-ignored), the measured question→answer time to artifacts/ui-timings.txt.
Helpers and the selectors that work for Gradio 6.31 are in tests/browser.py.
"""

from __future__ import annotations

import html
import json
import re
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Browser, Page, expect
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route

from assistant.feedback import FeedbackStore
from assistant.pipeline.assistant import Assistant
from assistant.web.app import create_app
from tests.browser import (
    ROOT,
    USER,
    ask,
    bot_messages,
    choose,
    last_bot_message,
    message_button,
    new_page,
    open_accordion,
    open_app,
    shot,
    textbox,
    wait_until_idle,
)
from tests.conftest import EARLY_WARNING, FOUR_PILLARS
from tests.live import serve

pytestmark = pytest.mark.integration

TITLE = "WPS Communiqué Assistant"
FOLLOW_UP = "and what about funding for it?"
TIMINGS = ROOT / "artifacts" / "ui-timings.txt"
ANSWER_TIMEOUT = 60_000

SOURCE_CARD = "details.source-card"
UNDERSTOOD_AS = "p.understood-as"


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A new context and page (1280x900); non-local requests are aborted and listed in page.external_requests."""
    context, page = new_page(browser)
    page.set_default_timeout(15_000)
    yield page
    context.close()


def assert_worked_offline(page: Page) -> None:
    """No request left this machine and no script error was thrown."""
    assert page.external_requests == []
    assert page.js_errors == []


# ------------------------------------------------------------------ answering


def test_home_page_answers_a_question_with_cited_sources_and_needs_no_internet(live_app, page):
    open_app(page, live_app + "/")

    expect(page).to_have_title(TITLE)
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    shot(page, "home")

    answer = ask(page, FOUR_PILLARS)

    expect(answer).to_be_visible()
    text = answer.inner_text()
    assert "[1]" in text
    assert "Preamble" in text
    shot(page, "answer")
    assert_worked_offline(page)


def test_answer_shows_citation_markers_and_source_cards_that_open_on_the_highlighted_quote(live_app, page):
    open_app(page, live_app + "/")
    box = textbox(page)
    box.fill(FOUR_PILLARS)

    started = time.perf_counter()
    box.press("Enter")
    first_card = page.locator(f"#chat [data-testid='bot'] {SOURCE_CARD}").first
    expect(first_card).to_be_visible(timeout=ANSWER_TIMEOUT)
    ms = (time.perf_counter() - started) * 1000
    print(f"question→rendered answer: {ms:.0f} ms")
    TIMINGS.parent.mkdir(parents=True, exist_ok=True)
    with TIMINGS.open("a", encoding="utf-8") as f:
        f.write(f"{datetime.now(UTC).isoformat(timespec='seconds')}\tquestion→rendered answer\t{ms:.0f} ms\n")
    wait_until_idle(page, 0)

    answer = last_bot_message(page)
    expect(answer.locator("sup.cite").first).to_be_visible()
    assert answer.locator("sup.cite").first.inner_text() == "[1]"
    mark = first_card.locator("mark")
    expect(mark).to_be_hidden()  # a card starts closed: only its summary shows

    first_card.locator("summary").click()

    expect(first_card).to_have_attribute("open", "")
    expect(mark).to_be_visible()
    quote = mark.inner_text().strip()
    assert quote
    assert quote in first_card.locator("p.paragraph").inner_text()
    expect(page.locator("#plain-answer textarea")).to_have_value(re.compile(r"^References:$", re.M))
    assert quote in page.locator("#plain-answer textarea").input_value()
    shot(page, "answer-source-card-open")
    assert_worked_offline(page)


def test_follow_up_question_is_shown_as_understood_from_the_previous_turn(live_app, page):
    open_app(page, live_app + "/")

    first = ask(page, EARLY_WARNING)
    expect(first.locator(UNDERSTOOD_AS)).to_have_count(0)
    second = ask(page, FOLLOW_UP)

    understood = second.locator(UNDERSTOOD_AS)
    expect(understood).to_be_visible()
    expect(understood).to_contain_text("gender-sensitive early warning")
    shot(page, "follow-up")
    assert_worked_offline(page)


def test_section_filter_limits_every_source_card_to_that_section(live_app, page):
    open_app(page, live_app + "/")
    open_accordion(page, "filters")

    choose(page, "filter-sections", "Protection")
    expect(page.locator("#filter-sections .token")).to_have_text(["Protection"])
    answer = ask(page, "What is recommended on accountability and financing?")

    summaries = answer.locator(f"{SOURCE_CARD} summary")
    assert summaries.count() >= 1
    for summary in summaries.all_inner_texts():
        assert "Protection" in summary, summary
    shot(page, "section-filter")
    assert_worked_offline(page)


# ------------------------------------------------------------------ feedback, new conversation


def test_thumbs_up_is_confirmed_and_appended_to_the_feedback_file(live_app, page, feedback_path):
    open_app(page, live_app + "/")
    records_before = len(FeedbackStore(feedback_path).records())
    ask(page, FOUR_PILLARS)

    message_button(page, "Like").click()

    expect(page.locator("#status")).to_contain_text("feedback was recorded")
    expect(message_button(page, "Liked")).to_be_visible()
    records = FeedbackStore(feedback_path).records()
    assert len(records) == records_before + 1
    last = json.loads(feedback_path.read_text(encoding="utf-8").splitlines()[-1])
    assert last["rating"] == "up"
    assert last["question"] == FOUR_PILLARS
    assert last["citations"] and last["abstained"] is False
    shot(page, "thumbs-up")
    assert_worked_offline(page)


def test_new_conversation_clears_the_chat_and_forgets_the_history(live_app, page):
    open_app(page, live_app + "/")
    ask(page, EARLY_WARNING)

    page.locator("#new-chat").click()

    expect(bot_messages(page)).to_have_count(0)
    expect(page.locator(USER)).to_have_count(0)
    answer = ask(page, FOLLOW_UP)
    expect(bot_messages(page)).to_have_count(1)
    expect(answer.locator(UNDERSTOOD_AS)).to_have_count(0)
    assert_worked_offline(page)


# ------------------------------------------------------------------ document browser


def test_document_browser_shows_a_paragraph_and_asks_about_it_with_a_citation(live_app, page):
    open_app(page, live_app + "/")
    open_accordion(page, "browser")

    choose(page, "browse-doc", "Eighth Capital-Level Meeting")  # the Rome communiqué (2026-06-10)
    choose(page, "browse-section", "Prevention", timeout=5_000)
    choose(page, "browse-paragraph", "¶12", timeout=5_000)

    expect(page.locator("#paragraph-view")).to_contain_text("¶12")
    expect(page.locator("#paragraph-view")).to_contain_text("The increase in military spending")
    page.locator("#ask-paragraph").click()
    expect(textbox(page)).to_have_value("What does paragraph 12 say?")
    expect(page.locator("#filter-sections .token")).to_have_text(["Prevention"])
    shot(page, "document-browser")

    before = bot_messages(page).count()
    textbox(page).press("Enter")
    wait_until_idle(page, before)

    summaries = last_bot_message(page).locator(f"{SOURCE_CARD} summary").all_inner_texts()
    assert any("Prevention, ¶12" in s for s in summaries), summaries
    shot(page, "document-browser-answer")
    assert_worked_offline(page)


# ------------------------------------------------------------------ safety, embedding, isolation


@pytest.mark.parametrize(
    "payload",
    ["<script>window.__xss=1</script>", '<img src="/x.png" onerror="window.__xss=1">'],
    ids=["script", "img-onerror"],
)
def test_html_typed_into_a_question_is_shown_as_text_and_never_runs(live_app, page, payload):
    open_app(page, live_app + "/")

    ask(page, f"{payload} What are the four pillars?")

    assert page.evaluate("() => window.__xss") is None
    assert page.locator("#chat script, #chat [onerror]").count() == 0
    assert payload in page.locator(USER).last.inner_text()
    shot(page, f"escaped-question-{'script' if 'script' in payload else 'img'}")
    assert_worked_offline(page)


@pytest.fixture(scope="module")
def framable_app(shipped: Assistant, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app configured to let any page served from this machine frame it."""
    settings = shipped.settings.model_copy(update={"frame_ancestors": "'self' http://127.0.0.1:*"})
    store = FeedbackStore(tmp_path_factory.mktemp("framed") / "feedback.jsonl")
    with serve(create_app(replace(shipped, settings=settings), store)) as url:
        yield url


@pytest.fixture(scope="module")
def intranet() -> Iterator[str]:
    """Base URL of an 'intranet' on another origin (another port): ``/?src=<url>`` is a page framing ``<url>``."""

    async def framing_page(request):
        src = html.escape(request.query_params["src"])
        return HTMLResponse(
            "<!doctype html><title>Intranet</title><h1 style='font:16px sans-serif;margin:4px'>Intranet</h1>"
            f'<iframe src="{src}" style="width:400px;height:800px;border:0"></iframe>'
        )

    with serve(Starlette(routes=[Route("/", framing_page)])) as url:
        yield url


def framing(intranet: str, src: str) -> str:
    return f"{intranet}/?{urlencode({'src': src})}"


def test_embed_view_answers_inside_an_iframe_on_another_origin(framable_app, intranet, browser):
    context, page = new_page(browser, viewport={"width": 420, "height": 900})
    try:
        page.goto(framing(intranet, framable_app + "/embed/"))
        frame = page.frame_locator("iframe")
        box = frame.locator("#question textarea")
        expect(box).to_be_visible(timeout=30_000)
        expect(frame.locator("#header")).to_have_count(0)
        expect(frame.locator("footer")).to_be_hidden()

        box.fill(FOUR_PILLARS)
        box.press("Enter")

        card = frame.locator(f"#chat [data-testid='bot'] {SOURCE_CARD}").first
        expect(card).to_be_visible(timeout=ANSWER_TIMEOUT)
        card.locator("summary").click()
        expect(card.locator("mark")).to_be_visible()
        shot(page, "embed-iframe-420px", full_page=False)
        assert_worked_offline(page)
    finally:
        context.close()


def test_default_settings_refuse_framing_by_another_origin_and_the_frame_names_the_setting(live_app, intranet, page):
    page.goto(framing(intranet, live_app + "/embed/"), wait_until="load")

    frame = page.frame_locator("iframe")
    expect(frame.locator("#question")).to_have_count(0)  # not the chat
    expect(frame.locator("h1")).to_contain_text("may not be shown in this page")  # not a broken-page icon
    expect(frame.locator("body")).to_contain_text(f"WPS_FRAME_ANCESTORS=\"'self' {intranet}\"")
    assert page.external_requests == []


def test_two_browsers_at_once_keep_separate_conversations(live_app, browser):
    context_a, page_a = new_page(browser)
    context_b, page_b = new_page(browser)
    try:
        open_app(page_a, live_app + "/")
        open_app(page_b, live_app + "/")

        # Both questions are in flight together: A's must never become B's history.
        textbox(page_a).fill(EARLY_WARNING)
        textbox(page_a).press("Enter")
        textbox(page_b).fill(FOLLOW_UP)
        textbox(page_b).press("Enter")
        wait_until_idle(page_a, 0)
        wait_until_idle(page_b, 0)

        expect(last_bot_message(page_b).locator(UNDERSTOOD_AS)).to_have_count(0)
        expect(bot_messages(page_b)).to_have_count(1)
        expect(bot_messages(page_a)).to_have_count(1)
        expect(page_a.locator(USER)).to_have_text([EARLY_WARNING])
        assert_worked_offline(page_a)
        assert_worked_offline(page_b)
    finally:
        context_a.close()
        context_b.close()


def test_question_box_is_reached_with_tab_and_submitted_with_enter(live_app, page):
    open_app(page, live_app + "/")
    page.locator("#header").click()  # the page's first block: Tab navigation starts from here
    page.evaluate("() => document.activeElement?.blur()")

    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement?.closest('#question') !== null"):
            break
    else:
        pytest.fail("40 presses of Tab never reached the question box")

    page.keyboard.type(FOUR_PILLARS)
    page.keyboard.press("Enter")
    wait_until_idle(page, 0)
    expect(last_bot_message(page).locator(SOURCE_CARD).first).to_be_visible()
    assert_worked_offline(page)
