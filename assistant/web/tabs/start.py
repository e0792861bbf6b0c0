"""The "Start here" tab for trainees: the pillars of the agenda, one commitment each from the indexed
communiqués (then their other themes), and a question to ask next in the chat."""

from __future__ import annotations

from html import escape

import gradio as gr

from assistant.views import Views
from assistant.views.briefing import item_from_citation
from assistant.views.examples import Tour
from assistant.views.guide import IntroLine, introduction
from assistant.web.tabs.common import BUTTONS_JS, add, button, card, empty, name, note_status

INTRO = (
    "Then walk through the pillars: each step quotes one commitment, with its document, section and "
    "paragraph. Open a step to read its paragraph, add it to your note, or ask the chat the question beside it."
)


def intro_html(lines: list[IntroLine]) -> str:
    """The agenda in the communiqués' own words: one cited sentence per topic (Network, 1325, pillars)."""
    if not lines:
        return ""
    cards = "".join(
        card(
            x.citation,
            f'<span class="intro-head"><b>{escape(x.topic)}</b> <span class="count">· {escape(name(x.citation))}, '
            f'{escape(x.citation.where)}</span></span><span class="row-text">“{escape(x.citation.quote)}”</span>',
        )
        for x in lines
    )
    return f'<h3 class="intro-title">The agenda in the communiqués\' own words</h3><div class="intro">{cards}</div>'


def tour_html(tour: Tour, intro: list[IntroLine] | None = None) -> str:
    if not tour.steps:
        return intro_html(intro or []) + empty("The indexed documents hold no commitments to walk through yet.")
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
    return (
        f'{intro_html(intro or [])}<h3 class="tour-title">The pillars, step by step</h3>'
        f'<p class="tour-intro">{escape(INTRO)}</p><div class="tour">{"".join(steps)}</div>'
    )


class StartTab:
    def __init__(self, views: Views) -> None:
        self.views = views
        self.tour = views.examples.tour()
        self.intro = introduction(views.table)

    def act(self, note: list[dict], evt: gr.EventData) -> tuple:
        key, action = getattr(evt, "key", ""), getattr(evt, "action", "add")
        tour = self.views.examples.tour()  # the live generation's, as the page shows it since its load
        if action == "ask" and key.isdigit() and int(key) < len(tour.steps):
            return note, "", tour.steps[int(key)].question, gr.update(selected="chat")
        row = self.views.commitments.get(key)
        if row is None:
            return note, "", "", gr.update()
        note = add(note, item_from_citation(row.citation, f"{row.citation.section}: {row.meeting}", kind="commitment"))
        return note, note_status(note), "", gr.update()

    def build(self) -> None:
        self.status = gr.Markdown("", elem_id="s-status")
        self.view = gr.HTML(tour_html(self.tour, self.intro), elem_id="s-tour", js_on_load=BUTTONS_JS)

    def refresh(self) -> str:
        """On each page load: the introduction and tour of the live generation (the one laid out may be
        long gone)."""
        return tour_html(self.views.examples.tour(), introduction(self.views.table))

    def wire(self, note: gr.State, pending: gr.State, tabs: gr.Tabs):
        """After the chat is built: a step's question is put to the chat (``pending``, which the chat then
        answers) and the chat tab opens. Returns the event, for the chat to chain its answer."""
        return self.view.click(self.act, [note], [note, self.status, pending, tabs], api_visibility="private")
