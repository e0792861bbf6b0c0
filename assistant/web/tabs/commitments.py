"""The Commitments tab: operative sentences filtered by meeting, section, pillar, type, addressee and
words, in meeting-date order; each row opens on its paragraph with the sentence highlighted; CSV and
JSONL exports are links to the same filters in the API."""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode

import gradio as gr

from assistant.views import Views
from assistant.views.briefing import item_from_citation
from assistant.views.commitments import Commitment, CommitmentFilter
from assistant.web.tabs.common import BUTTONS_JS, add, card, empty, note_status

SHOWN = 300  # rows rendered at once; the exports hold every match


def row_summary(c: Commitment) -> str:
    to = f" → {escape(', '.join(c.addressees))}" if c.addressees else ""
    return (
        f'<span class="row-head">{escape(c.date)} · {escape(c.meeting)} · {escape(c.citation.where)} · '
        f'<b class="type">{escape(c.type)}</b>{to}</span><span class="row-text">{escape(c.sentence)}</span>'
    )


class CommitmentsTab:
    def __init__(self, views: Views, api_root: str) -> None:
        self.views = views
        self.api_root = api_root  # where the API is, for the export links ("/wps/api")

    def show(self, meetings, sections, pillars, types, addressees, words) -> tuple[str, str, str]:
        f = CommitmentFilter(
            tuple(meetings or ()), tuple(sections or ()), tuple(pillars or ()), tuple(types or ()),
            tuple(addressees or ()), words or "",
        )  # fmt: skip
        rows = self.views.commitments.filter(f)
        cards = "".join(card(c.citation, row_summary(c), key=c.id) for c in rows[:SHOWN])
        listing = f'<div class="rows">{cards}</div>' if rows else empty("No commitment matches these filters.")
        more = f" (the first {SHOWN} are shown; the exports hold all)" if len(rows) > SHOWN else ""
        count = f"**{len(rows)}** commitment{'s' if len(rows) != 1 else ''}, by meeting date{more}."
        return count, listing, self._exports(f)

    def _exports(self, f: CommitmentFilter) -> str:
        params = [("meeting", m) for m in f.meetings] + [("section", s) for s in f.sections]
        params += [("pillar", p) for p in f.pillars] + [("type", t) for t in f.types]
        params += [("addressee", a) for a in f.addressees] + ([("words", f.words)] if f.words else [])
        base = f"{self.api_root}/commitments?"
        links = [
            f'<a class="export" href="{escape(base + urlencode([*params, ("format", fmt)]))}" '
            f'download="commitments.{fmt}">Download {label}</a>'
            for fmt, label in (("csv", "CSV"), ("jsonl", "JSON Lines"))
        ]
        return '<p class="exports">' + " · ".join(links) + "</p>"

    def add_row(self, note: list[dict], evt: gr.EventData) -> tuple[list[dict], str]:
        row = self.views.commitments.get(getattr(evt, "key", ""))
        if row is None:
            return note, ""
        heading = f"{row.meeting}: {row.type} ({row.citation.where})"
        note = add(note, item_from_citation(row.citation, heading, kind="commitment"))
        return note, note_status(note)

    def refresh(self) -> tuple:
        """On each page load: the filters' choices and the rows of the live generation, filters cleared."""
        facets = self.views.commitments.facets()
        keys = ("meetings", "sections", "pillars", "types", "addressees")
        choices = [gr.update(choices=facets[k], value=[]) for k in keys]
        return (*choices, "", *self.show([], [], [], [], [], ""))

    def build(self, note: gr.State) -> None:
        facets = self.views.commitments.facets()
        private = {"api_visibility": "private"}
        with gr.Row():
            meetings = gr.Dropdown(
                facets["meetings"], multiselect=True, label="Meeting", elem_id="c-meeting", min_width=160
            )
            sections = gr.Dropdown(
                facets["sections"], multiselect=True, label="Section", elem_id="c-section", min_width=160
            )
            pillars = gr.Dropdown(
                facets["pillars"], multiselect=True, label="Pillar", elem_id="c-pillar", min_width=160
            )
        with gr.Row():
            types = gr.Dropdown(facets["types"], multiselect=True, label="Type", elem_id="c-type", min_width=160)
            addressees = gr.Dropdown(
                facets["addressees"], multiselect=True, label="Addressed to", elem_id="c-addressee", min_width=160
            )
            words = gr.Textbox(label="Words (press Enter)", elem_id="c-words", min_width=160)
        count, listing, exports = self.show([], [], [], [], [], "")
        with gr.Row():
            counter = gr.Markdown(count, elem_id="c-count")
            links = gr.HTML(exports, elem_id="c-exports")
        status = gr.Markdown("", elem_id="c-status")
        rows = gr.HTML(listing, elem_id="c-rows", js_on_load=BUTTONS_JS)
        filters = [meetings, sections, pillars, types, addressees, words]
        self.refresh_outputs = [*filters, counter, rows, links]
        for f in filters[:-1]:
            f.change(self.show, filters, [counter, rows, links], **private)
        words.submit(self.show, filters, [counter, rows, links], **private)
        rows.click(self.add_row, [note], [note, status], **private)
