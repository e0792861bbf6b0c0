"""Accessibility of every tab at a desk (1280×800) and on a phone (390×844), light and dark: axe-core
(the npm package, installed by scripts/install.sh --test into .cache/axe) injected into the real page
in Debian's chromium must report no serious or critical violation. Labels and names are asserted too.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser import ROOT, ask, new_page, open_app, settle, textbox

pytestmark = pytest.mark.integration

AXE = ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SIZES = {"desk": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
TABS = ["Start here", "Chat", "Commitments", "Topics", "Documents", "Glossary", "Quiz", "Note"]


@pytest.fixture(scope="module")
def app_url(multi_app: str) -> str:
    return multi_app


def open_page(browser: Browser, url: str, viewport: dict, scheme: str = "light", path: str = "/") -> tuple:
    context, page = new_page(browser, viewport)
    page.emulate_media(color_scheme=scheme)
    page.set_default_timeout(20_000)
    open_app(page, url + path + ("?__theme=dark" if scheme == "dark" else ""))
    return context, page


def serious(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is, one line each."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run scripts/install.sh --test (it installs axe-core)", pytrace=False)
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async () => JSON.stringify((await axe.run(document, {resultTypes: ['violations']})).violations)"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:4]}"
        for v in json.loads(result)
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize(
    ("size", "scheme", "path"),
    [(size, scheme, "/") for size in SIZES for scheme in ("light", "dark")] + [("phone", "light", "/embed/")],
)
def test_every_tab_has_no_serious_or_critical_axe_violation(browser, app_url, size, scheme, path):
    context, page = open_page(browser, app_url, SIZES[size], scheme, path)
    try:
        ask(page, "What did Rome say about artificial intelligence?")
        found = {}
        for tab in TABS:
            page.get_by_role("tab", name=tab, exact=True).click()
            settle(page)
            if tab == "Quiz":
                page.locator("#q-start").click()
                page.locator("#q-question .quiz-progress").wait_for()
                page.locator("#q-choices input[type=radio]").first.check()
                page.locator("#q-check").click()
                page.locator("#q-feedback .quiz-verdict").wait_for()
                settle(page)
            if tab == "Glossary":  # a defined term and an undefined one, open: the definition and the note
                for term in ("NAP", "women mediators"):
                    page.locator("#g-entries details.glossary-entry", has_text=term).first.locator("> summary").click()
            problems = serious(page)
            if problems:
                found[tab] = problems
        assert found == {}
    finally:
        context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_every_tab_has_a_visible_labelled_button_and_the_question_box_a_name(browser, app_url, size):
    context, page = open_page(browser, app_url, SIZES[size])
    try:
        for tab in TABS:
            expect(page.get_by_role("tab", name=tab, exact=True)).to_be_visible()
        expect(page.get_by_role("textbox", name="Your question")).to_be_visible()
        box = textbox(page).bounding_box()
        assert box["y"] + box["height"] <= SIZES[size]["height"]  # seen on load, phone included
        labels = page.eval_on_selector_all("[aria-label]", "(els) => els.map((e) => e.getAttribute('aria-label'))")
        assert not [label for label in labels if "<" in label]  # no raw HTML read out
    finally:
        context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_messages_are_named_by_their_text_and_the_first_tab_stop_skips_to_the_question(browser, app_url, size):
    context, page = open_page(browser, app_url, SIZES[size])
    try:
        ask(page, "What did Rome say about artificial intelligence?")
        answer = page.locator("#chat [data-testid='bot']").last
        expect(answer).to_have_attribute("aria-label", re.compile(r"^Answer: Answered The Rome 2026 communiqué"))
        labels = page.eval_on_selector_all("[aria-label]", "(els) => els.map((e) => e.getAttribute('aria-label'))")
        assert not [label for label in labels if "<" in label]

        page.evaluate("() => { document.activeElement?.blur(); window.scrollTo(0, 0); }")
        page.locator("body").click(position={"x": 2, "y": 2})
        page.keyboard.press("Tab")
        expect(page.locator(":focus")).to_have_text("Skip to the question box")
        page.keyboard.press("Enter")
        expect(page.locator("#question textarea")).to_be_focused()
    finally:
        context.close()
