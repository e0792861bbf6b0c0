"""The access rules and the rate limit as a browser user meets them (Debian's chromium, Playwright).

The app runs with a trusted user header and a limit of 1 question a minute; the browser sends the
header itself, standing in for the reverse proxy that would add it after sign-on.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from assistant.pipeline.assistant import Assistant
from tests.browser import ask, bot_messages, last_bot_message, new_page, open_app, shot
from tests.conftest import FOUR_PILLARS
from tests.web.servers import serve_with

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def limited(shipped: Assistant, tmp_path_factory) -> Iterator[str]:
    path = tmp_path_factory.mktemp("ui-limited") / "feedback.jsonl"
    with serve_with(shipped, path, trusted_user_header="X-Remote-User", rate_limit_per_minute=1) as url:
        yield url


def test_without_the_sign_in_header_the_page_is_refused_with_a_message(browser, limited):
    context, page = new_page(browser)
    try:
        response = page.goto(limited + "/")
        assert response.status == 401
        expect(page.locator("body")).to_contain_text("needs")
    finally:
        context.close()


def test_a_question_over_the_rate_limit_shows_the_message_in_the_chat(browser, limited):
    context, page = new_page(browser)
    context.set_extra_http_headers({"X-Remote-User": "browser-user"})
    try:
        open_app(page, limited + "/")
        first = ask(page, FOUR_PILLARS)
        expect(first).to_contain_text("prevention, participation, protection")

        ask(page, "What does the communiqué recommend on early warning systems?")

        expect(last_bot_message(page)).to_contain_text("Too many questions: at most 1 a minute", timeout=30_000)
        expect(bot_messages(page)).to_have_count(2)  # the first answer is still shown
        expect(bot_messages(page).first).to_contain_text("prevention, participation, protection")
        shot(page, "rate-limited")
        assert page.external_requests == []
    finally:
        context.close()
