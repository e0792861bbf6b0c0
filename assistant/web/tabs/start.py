"""The "Start here" tab for trainees: the pillars of the agenda, one commitment each from the indexed
communiqués (then their other themes), and a question to ask next in the chat."""

from __future__ import annotations

from html import escape

import gradio as gr

from assistant.views import Views
from assistant.views.briefing import item_from_citation
from assistant.views.examples import Tour
from assistant.web.tabs.common import BUTTONS_JS, add, button, card, empty, name, note_status

INTRO = (
    "The communiqués of the Network file what members recommend, call for and commit to under the pillars of "
    "the Women, Peace and Security agenda. Walk through them: each step quotes one commitment, with its "
    "document, section and paragraph. Open a step to read its paragraph, add it to your note, or ask the "
    "chat the question beside it."
)


def tour_html(tour: Tour) -> str:
    if not tour.steps:
        return empty("The indexed documents hold no commitments to walk through yet.")
    steps = []
    for i, step in enumerate(tour.steps):
        c = step.commitment.citation
        kind = "Pillar" if step.pillar else "Also in the communiqués"
        summary = (
            f'<span class="step-head">{i + 1}. <b>{escape(step.theme)}</b> <span class="count">· {kind}</span></span>'
            f'<span class="row-text">{escape(name(c))} ({escape(c.where)}): “{escape(c.quote)}”</span>'
        )
        ask = button(str(i), f"Ask: {step.question}", action="ask")
        steps.append(card(c, summary, key=step.commitment.id, extra=ask, open_=i == 0))
    return f'<p class="tour-intro">{escape(INTRO)}</p><div class="tour">{"".join(steps)}</div>'


class StartTab:
    def __init__(self, views: Views) -> None:
        self.views = views
        self.tour = views.examples.tour()

    def act(self, note: list[dict], evt: gr.EventData) -> tuple:
        key, action = getattr(evt, "key", ""), getattr(evt, "action", "add")
        if action == "ask" and key.isdigit() and int(key) < len(self.tour.steps):
            return note, "", self.tour.steps[int(key)].question, gr.update(selected="chat")
        row = self.views.commitments.get(key)
        if row is None:
            return note, "", "", gr.update()
        note = add(note, item_from_citation(row.citation, f"{row.citation.section}: {row.meeting}", kind="commitment"))
        return note, note_status(note), "", gr.update()

    def build(self) -> None:
        self.status = gr.Markdown("", elem_id="s-status")
        self.view = gr.HTML(tour_html(self.tour), elem_id="s-tour", js_on_load=BUTTONS_JS)

    def wire(self, note: gr.State, pending: gr.State, tabs: gr.Tabs):
        """After the chat is built: a step's question is put to the chat (``pending``, which the chat then
        answers) and the chat tab opens. Returns the event, for the chat to chain its answer."""
        return self.view.click(self.act, [note], [note, self.status, pending, tabs], api_visibility="private")
