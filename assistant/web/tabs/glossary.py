"""The Glossary tab: look a term up (or browse them all) — what it stands for, the sentence that
defines it (or, plainly, that none does and where it is first mentioned), and every document using it."""

from __future__ import annotations

from html import escape

import gradio as gr

from assistant.views import Views
from assistant.views.briefing import item_from_citation
from assistant.views.glossary import GlossaryEntry
from assistant.web.tabs.common import BUTTONS_JS, add, card, empty, note_status

EXCERPT_WORDS = 24  # a long defining sentence (a member list) is shown this many words either side of the term


def definition_html(e: GlossaryEntry) -> str:
    """The defining sentence, escaped, the term in it marked; a sentence of over three times
    ``EXCERPT_WORDS`` words is cut to the words around the term ("… the African Union (AU) …")."""
    quote = e.definition.quote if e.definition else ""
    if e.defined_at is None:
        return escape(quote)
    start, end = e.defined_at
    before, term, after = quote[:start], quote[start:end], quote[end:]
    if len(quote.split()) > 3 * EXCERPT_WORDS:
        head, tail = before.split(" "), after.split(" ")
        before = ("… " if len(head) > EXCERPT_WORDS else "") + " ".join(head[-EXCERPT_WORDS:])
        after = " ".join(tail[: EXCERPT_WORDS + 1]) + (" …" if len(tail) > EXCERPT_WORDS + 1 else "")
    return f"{escape(before)}<mark>{escape(term)}</mark>{escape(after)}"


def entry_html(e: GlossaryEntry, open_: bool = False) -> str:
    meaning = f" — {escape(e.expansion)}" if e.expansion else ""
    uses = "".join(
        f"<li>{escape(u.meeting)} ({escape(u.date)}): {u.mentions} use{'s' if u.mentions != 1 else ''}, "
        f"first in {escape(u.first.where)}</li>"
        for u in e.documents
    )
    if e.definition is not None:  # the defining sentence in view; its paragraph one click away
        said = f'<blockquote class="definition">{definition_html(e)}</blockquote>'
        introduced = said + card(e.definition, escape(e.definition_note), key=e.term)
    else:
        said = f'<p class="no-definition">{escape(e.definition_note)}.</p>'
        introduced = said + card(e.first_mention, "First mention", key=e.term)
    head = (
        f'<summary><b class="term">{escape(e.term)}</b>{meaning} <span class="count">· {escape(e.kind)}, '
        f"{e.mentions} use{'s' if e.mentions != 1 else ''} in {len(e.documents)} document"
        f"{'s' if len(e.documents) != 1 else ''}</span></summary>"
    )
    return (
        f'<details class="glossary-entry"{" open" if open_ else ""}>{head}{introduced}'
        f'<p class="uses-title">Used in:</p><ul class="uses">{uses}</ul></details>'
    )


class GlossaryTab:
    def __init__(self, views: Views) -> None:
        self.views = views

    def show(self, text: str) -> str:
        text = (text or "").strip()
        exact = self.views.glossary.lookup(text) if text else None
        found = self.views.glossary.search(text)
        if exact is not None:
            found = [exact, *(e for e in found if e.term != exact.term)]
        if not found:
            return empty(f"“{text}” is not in the glossary.")
        return "".join(entry_html(e, open_=e is exact or len(found) == 1) for e in found)

    def add_entry(self, note: list[dict], evt: gr.EventData) -> tuple[list[dict], str]:
        entry = self.views.glossary.lookup(getattr(evt, "key", ""))
        if entry is None:
            return note, ""
        heading = f"{entry.term}" + (f": {entry.expansion}" if entry.expansion else "")
        note = add(note, item_from_citation(entry.definition or entry.first_mention, heading, kind="passage"))
        return note, note_status(note)

    def refresh(self) -> str:
        """On each page load: the live generation's glossary."""
        return self.show("")

    def build(self, note: gr.State) -> None:
        private = {"api_visibility": "private"}
        lookup = gr.Textbox(
            label="Look up a term or acronym", placeholder="e.g. NAP, ODA, early warning", elem_id="g-term"
        )
        status = gr.Markdown("", elem_id="g-status")
        view = gr.HTML(self.show(""), elem_id="g-entries", js_on_load=BUTTONS_JS)
        self.refresh_outputs = [view]
        lookup.change(self.show, [lookup], [view], **private)
        view.click(self.add_entry, [note], [note, status], **private)
