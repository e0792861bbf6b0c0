"""What every tab shares: cited cards (text, never HTML from the corpus), the "Add to note" buttons
inside HTML views, and adding an item to the session's note.

A card's button carries a key (``data-key``); :data:`BUTTONS_JS` turns a click (or Enter/Space, as on
any button) into the HTML component's ``click`` event with that key, read by the tab's handler as
``evt.key``.
"""

from __future__ import annotations

from html import escape

from assistant.pipeline.answer.compose import document_name
from assistant.schema import Citation
from assistant.views.briefing import NoteItem
from assistant.web.render import highlighted

BUTTONS_JS = """
element.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-key]');
  if (button) trigger('click', {key: button.dataset.key, action: button.dataset.action || 'add'});
});
"""


def name(c: Citation) -> str:
    """'The Rome 2026 communiqué'."""
    text = document_name(c)
    return text[0].upper() + text[1:]


def button(key: str, label: str = "Add to note", action: str = "add") -> str:
    return (
        f'<button type="button" class="view-btn" data-key="{escape(key, quote=True)}" '
        f'data-action="{escape(action, quote=True)}">{escape(label)}</button>'
    )


def card(c: Citation, summary: str, key: str | None = None, extra: str = "", open_: bool = False) -> str:
    """A closed card: ``summary`` (already HTML) on top; opened, the paragraph with the quote highlighted."""
    where = f"{escape(name(c))} · {escape(c.where)}" + (f" · {escape(c.date)}" if c.date else "")
    actions = (button(key) if key else "") + extra
    return (
        f'<details class="view-card"{" open" if open_ else ""}><summary>{summary}</summary>'
        f'<p class="where">{where}</p><p class="paragraph">{highlighted(c)}</p>'
        f'<p class="actions">{actions}</p></details>'
    )


def note_status(note: list[dict]) -> str:
    items = f"{len(note)} item{'s' if len(note) != 1 else ''}"
    return f"Added to the note ({items}): open the Note tab to edit or download it."


def add(note: list[dict] | None, item: NoteItem) -> list[dict]:
    return [*(note or []), item.model_dump()]


def empty(text: str) -> str:
    return f'<p class="view-empty">{escape(text)}</p>'
