"""The Documents tab: a document's guide — its facts, sections with paragraph counts, and the most
central sentences of each section, each cited and openable on its paragraph."""

from __future__ import annotations

from html import escape

import gradio as gr

from assistant.views import Views
from assistant.views.briefing import item_from_citation
from assistant.views.guide import DocumentGuide
from assistant.web.tabs.common import BUTTONS_JS, add, card, empty, note_status


def guide_html(guide: DocumentGuide) -> str:
    facts = "".join(
        f"<dt>{escape(f.label)}</dt><dd>{escape(f.value)}"
        + (f' <span class="cited">({escape(f.citation.where)})</span>' if f.citation else "")
        + "</dd>"
        for f in guide.facts
    )
    sections = []
    for s in guide.sections:
        count = f"{s.paragraphs} paragraph{'s' if s.paragraphs != 1 else ''}"
        if s.commitments:
            count += f", {s.commitments} commitment{'s' if s.commitments != 1 else ''}"
        cards = "".join(card(c, escape(c.quote), key=f"{c.doc_id}#p{c.paragraph}@{c.quote_start}") for c in s.summary)
        head = f'<h4>{escape(s.name)} <span class="count">· {count}</span></h4>'
        sections.append(f'<section class="guide-section">{head}{cards}</section>')
    return (
        f'<div class="guide"><h3>{escape(guide.title)}</h3><dl class="facts">{facts}</dl>'
        f'<p class="hint">Each section: its most central sentences. Open one to read its paragraph.</p>'
        f"{''.join(sections)}</div>"
    )


class DocumentsTab:
    def __init__(self, views: Views) -> None:
        self.views = views

    def show(self, doc_id: str | None) -> str:
        guide = self.views.guides.guide(doc_id) if doc_id else None
        return guide_html(guide) if guide else empty("Choose a document.")

    def add_sentence(self, note: list[dict], evt: gr.EventData) -> tuple[list[dict], str]:
        line = self.views.table.line(getattr(evt, "key", ""))
        if line is None:
            return note, ""
        c = self.views.table.cite(line)
        note = add(note, item_from_citation(c, f"{self.views.table.name(c.doc_id)}: {c.where}"))
        return note, note_status(note)

    def choices(self) -> tuple[list[tuple[str, str]], str | None]:
        """The live generation's documents to pick from, and the latest meeting's id."""
        docs = self.views.table.documents
        choices = [(f"{self.views.table.name(d['doc_id'])} — {d['title']}", d["doc_id"]) for d in docs]
        return choices, docs[-1]["doc_id"] if docs else None

    def refresh(self) -> tuple:
        """On each page load: the documents of the live generation, the latest one's guide open."""
        choices, first = self.choices()
        return gr.update(choices=choices, value=first), self.show(first)

    def build(self, note: gr.State) -> None:
        private = {"api_visibility": "private"}
        choices, first = self.choices()
        picked = gr.Dropdown(choices, value=first, label="Document", elem_id="d-doc")
        status = gr.Markdown("", elem_id="d-status")
        view = gr.HTML(self.show(first), elem_id="d-guide", js_on_load=BUTTONS_JS)
        picked.change(self.show, [picked], [view], **private)
        view.click(self.add_sentence, [note], [note, status], **private)
        self.refresh_outputs = [picked, view]
