"""Screenshots of every tab of the page at a desk (1280×800) and a phone (390×844) size, in
artifacts/screens/ (git-ignored): the chat after one question, each other tab as it opens.

    python scripts/screens.py                 # serves the app over tests/data/corpus itself
    python scripts/screens.py --url URL       # or shoots an app already running at URL

Debian's chromium through Playwright (never Playwright's own browser download); nothing leaves the
machine. The README and docs/chat.md show two of these (``--readme`` writes them to docs/).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from contextlib import contextmanager, nullcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser import ask, launch, new_page, open_app  # noqa: E402

SIZES = {"desk": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
TABS = ["start", "chat", "commitments", "topics", "documents", "glossary", "quiz", "note"]
QUESTION = "What did Rome say about artificial intelligence?"
OUT = ROOT / "artifacts" / "screens"
README_SHOTS = ROOT / "docs"
LABELS = {"start": "Start here", "chat": "Chat"}


@contextmanager
def served():
    """The app over the four-communiqué test corpus, indexed into a temporary folder."""
    from assistant.pipeline.factory import build_assistant
    from assistant.settings import Settings
    from assistant.web.app import create_app
    from tests.live import serve

    folder = Path(tempfile.mkdtemp(prefix="wps-screens-"))
    try:
        settings = Settings(
            corpus_dir=ROOT / "tests" / "data" / "corpus",
            index_dir=folder / "index",
            feedback_path=folder / "feedback.jsonl",
        )
        built, _ = build_assistant(settings, ingest=True)
        with serve(create_app(built)) as url:
            yield url
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def open_tab(page, tab: str) -> None:
    """Click the tab's button (on a phone too: every tab has a visible, labelled button)."""
    page.get_by_role("tab", name=LABELS.get(tab, tab.capitalize()), exact=True).click()
    page.wait_for_timeout(500)


def shoot(url: str, readme: bool = False) -> list[Path]:
    OUT.mkdir(parents=True, exist_ok=True)
    written = []
    playwright, browser = launch()
    try:
        for size, viewport in SIZES.items():
            context, page = new_page(browser, viewport)
            page.set_default_timeout(20_000)
            open_app(page, url + "/")
            ask(page, QUESTION)
            for tab in TABS:
                open_tab(page, tab)
                path = OUT / f"{size}-{tab}.png"
                page.screenshot(path=str(path), full_page=False)
                written.append(path)
                if readme and tab == "chat":
                    README_SHOTS.mkdir(exist_ok=True)
                    page.screenshot(path=str(README_SHOTS / f"web-{size}.png"), full_page=False)
            context.close()
    finally:
        browser.close()
        playwright.stop()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="an app already running (else one is served over tests/data/corpus)")
    parser.add_argument("--readme", action="store_true", help="also write docs/web-desk.png and docs/web-phone.png")
    args = parser.parse_args()
    with nullcontext(args.url.rstrip("/")) if args.url else served() as url:
        for path in shoot(url, args.readme):
            print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
