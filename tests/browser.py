"""Helpers for the real-browser tests: Debian's chromium driven by Playwright (no Playwright browser download).

Selectors found by reading the live DOM of Gradio 6.31 (``page.content()``):

- question box: ``#question textarea`` (the Textbox has ``elem_id="question"``); fallback: the first ``textarea``.
  Enter submits it (the box has one line); the button next to it is ``#ask-btn``.
- chat: ``#chat`` (the Chatbot has ``elem_id="chat"``); inside it ``[role="log"]``. ``.chatbot`` is no container in
  Gradio 6 (it is the class of each message's markdown span), so without ``#chat`` messages are found page-wide.
- messages: ``[data-testid="bot"]`` and ``[data-testid="user"]``; each has the aria-label ``"bot's message: …"``
  or ``"user's message: …"``. The text is in ``.message-content``.
- under each bot message, beside it in the DOM (not inside ``[data-testid="bot"]``), there are buttons whose
  aria-labels are ``"Copy message"``, ``"Dislike"`` and ``"Like"`` (``.message-buttons-left button[aria-label=…]``);
  use :func:`message_button`. Once clicked, a button's aria-label becomes ``"Liked"`` / ``"Disliked"`` (clicking
  the other one turns it back). The app's reply to a rating appears in ``#status``.
- dropdowns (``gr.Dropdown``): ``#<elem_id> input[role="combobox"]``; clicking it opens a listbox inside the same
  block whose items are ``[role="option"]`` (text = the choice's label). Typing a label into a multiselect's input
  and pressing Enter selects it too; a multiselect shows its choices as ``.token``. Use :func:`choose`.
  A single-select Dropdown created without ``value=None`` starts on its first choice (Gradio 5+ default), and
  choosing the current value again fires no ``change`` event.
- accordions: ``#<elem_id> > button.label-wrap`` toggles; the button has the class ``open`` when open, and the
  content of a closed accordion is not rendered. Use :func:`open_accordion`.
- busy: a ``[data-testid="status-tracker"]`` loses its ``hide`` class and shows ``.progress-text`` (e.g. "0.4s")
  while an event runs. A chatbot that already shows the user's turn instead shows ``[aria-label="Loading
  response"]``, and a streaming output has ``.generating``. On an error the tracker shows ``span.error`` and a toast
  ``.toast-body.error`` appears.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, FrameLocator, Locator, Page, Playwright

ROOT = Path(__file__).parents[1]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1280, "height": 900}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}

TEXTBOX = ("#question textarea", "textarea")
CHAT = "#chat"
BOT = '[data-testid="bot"]'
USER = '[data-testid="user"]'
SUBMIT_BUTTON = "#ask-btn"

# True once the newest bot message is there and nothing on the page is still working; "error: …" on an error.
_ANSWER_DONE_JS = """
([botSelector, before]) => {
  const failed = document.querySelector('.toast-body.error, [data-testid="status-tracker"] .error');
  if (failed) return "error: " + (failed.closest('.toast-body') || failed).innerText.trim();
  if (document.querySelectorAll(botSelector).length <= before) return false;
  if (document.querySelector('[aria-label="Loading response"], .generating')) return false;
  for (const t of document.querySelectorAll('[data-testid="status-tracker"]')) {
    if (!t.classList.contains('hide')) return false;
  }
  return true;
}
"""

# Busy: an event running (a visible status tracker, a pending or generating output, a chat awaiting its
# answer) or a CSS transition under way (Gradio fades an updated output in from opacity 0.2).
_BUSY_JS = """
() => [...document.querySelectorAll('[data-testid="status-tracker"]')].some((t) => !t.classList.contains('hide'))
  || document.querySelector('.pending, .generating, [aria-label="Loading response"]') !== null
  || document.getAnimations().some((a) => a instanceof CSSTransition && a.playState === 'running')
"""


# ------------------------------------------------------------------ browser


class BrowserUnavailable(RuntimeError):
    pass


def launch() -> tuple[Playwright, Browser]:
    """Start Playwright and a headless Debian chromium; raises BrowserUnavailable with what to do if missing."""
    if not CHROMIUM.exists():
        raise BrowserUnavailable(
            f"{CHROMIUM} is missing: the browser tests need Debian's chromium. Run scripts/test.sh (it installs it), "
            "or `apt-get install -y chromium`. Never `playwright install`: it downloads a browser, which fails here."
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise BrowserUnavailable(
            "The Python package playwright is missing: run scripts/test.sh (it installs the [test] extra)."
        ) from exc
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    except Exception:
        playwright.stop()
        raise
    return playwright, browser


def is_local(url: str) -> bool:
    """Whether a request stays on this machine (data:, blob: and about: never touch the network)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https", "ws", "wss"):
        return True
    return parts.hostname in LOCAL_HOSTS


def new_page(browser: Browser, viewport: dict | None = None) -> tuple[BrowserContext, Page]:
    """A fresh context and page that abort every non-local request and record it in ``page.external_requests``.

    Uncaught JavaScript exceptions are recorded in ``page.js_errors``. The route covers every frame of the
    context, so requests made by an ``<iframe>`` are checked too.
    """
    context = browser.new_context(viewport=viewport or VIEWPORT)
    external: list[str] = []

    def handle(route) -> None:
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            external.append(url)
            route.abort()

    context.route("**/*", handle)
    page = context.new_page()
    page.external_requests = external
    page.js_errors = []
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    return context, page


# ------------------------------------------------------------------ page helpers


def first_present(page: Page, selectors: tuple[str, ...], timeout: float = 15_000) -> Locator:
    """The first element matching the first selector that matches anything (waiting up to ``timeout`` ms)."""
    combined = ", ".join(selectors)
    page.wait_for_selector(combined, state="attached", timeout=timeout)
    for selector in selectors:
        locator = page.locator(selector)
        if locator.count():
            return locator.first
    raise AssertionError(f"none of {selectors} on the page")


def open_app(page: Page, url: str) -> Page:
    """Load the app and wait until Gradio has rendered the question box."""
    page.goto(url)
    first_present(page, TEXTBOX).wait_for(state="visible")
    return page


def textbox(page: Page) -> Locator:
    return first_present(page, TEXTBOX)


def bot_selector(page: Page) -> str:
    """Bot messages inside ``#chat`` if the page has it, else anywhere on the page.

    (``.chatbot`` is no fallback container in Gradio 6: it is the class of each message's markdown span.)
    """
    return f"{CHAT} {BOT}" if page.locator(CHAT).count() else BOT


def bot_messages(page: Page) -> Locator:
    return page.locator(bot_selector(page))


def last_bot_message(page: Page) -> Locator:
    return bot_messages(page).last


def message_button(page: Page, label: str, index: int = -1) -> Locator:
    """A button under a bot message by aria-label ("Like", "Dislike", "Copy message"; "Liked"/"Disliked" once
    clicked); ``index`` counts bot messages (-1: the newest)."""
    rows = page.locator(".message-buttons-left")
    row = rows.nth(index) if index >= 0 else rows.nth(rows.count() + index)
    return row.locator(f'button[aria-label="{label}"]')


def wait_until_idle(page: Page, bots_before: int, timeout: float = 60_000) -> None:
    """Wait for more than ``bots_before`` bot messages and nothing pending; fails fast on a Gradio error."""
    selector = bot_selector(page)
    handle = page.wait_for_function(_ANSWER_DONE_JS, arg=[selector, bots_before], timeout=timeout)
    result = handle.json_value()
    if isinstance(result, str) and result.startswith("error"):
        raise AssertionError(f"the page reported an error: {result}")
    # Markdown is rendered after the message appears: wait until the newest message stops changing.
    last, html = page.locator(selector).last, None
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        current = last.inner_html()
        if current == html:
            return
        html = current
        page.wait_for_timeout(100)


def settle(page: Page, quiet_ms: float = 250, timeout: float = 20_000) -> None:
    """Until the page has been idle for ``quiet_ms``: no event running, no output fading in, no CSS
    transition, for that long without a break (a click's event may start a moment after the click).
    Waits on the page's own state, checked each animation frame, instead of a fixed pause."""
    page.evaluate("() => { window.__quietSince = performance.now(); }")
    page.wait_for_function(
        f"""(quietMs) => {{
          const now = performance.now();
          if (({_BUSY_JS.strip()})()) window.__quietSince = now;
          return now - window.__quietSince >= quietMs;
        }}""",
        arg=quiet_ms,
        polling="raf",
        timeout=timeout,
    )


def ask(page: Page, question: str, timeout: float = 60_000) -> Locator:
    """Type a question, submit it with Enter and wait for the answer; returns the new bot message."""
    before = bot_messages(page).count()
    box = textbox(page)
    box.fill(question)
    box.press("Enter")
    wait_until_idle(page, before, timeout)
    return last_bot_message(page)


def open_accordion(page: Page | FrameLocator, elem_id: str) -> None:
    """Open the accordion ``#elem_id`` unless it is open already."""
    toggle = page.locator(f"#{elem_id} > button.label-wrap")
    if "open" not in (toggle.get_attribute("class") or "").split():
        toggle.click()
    page.locator(f"#{elem_id} [data-testid='accordion-content']").wait_for(state="visible")


def choose(page: Page | FrameLocator, elem_id: str, label: str, timeout: float | None = None) -> None:
    """Pick the option whose label contains ``label`` in the Dropdown ``#elem_id`` (then close its listbox);
    ``timeout`` (ms) bounds the wait for that option to be listed."""
    box = page.locator(f'#{elem_id} input[role="combobox"]')
    box.click()
    page.locator(f'#{elem_id} [role="option"]').filter(has_text=label).first.click(timeout=timeout)
    box.press("Escape")


def shot(page: Page, name: str, full_page: bool = True) -> Path:
    """Save a PNG screenshot to artifacts/screenshots/<name>.png (git-ignored) and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name.removesuffix('.png')}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
