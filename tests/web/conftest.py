"""The real browser of the page tests: Debian's chromium through Playwright, one for the session."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.browser import BrowserUnavailable, launch

if TYPE_CHECKING:
    from playwright.sync_api import Browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    try:
        playwright, browser = launch()
    except BrowserUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)
    yield browser
    browser.close()
    playwright.stop()
