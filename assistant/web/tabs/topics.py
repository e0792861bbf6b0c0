"""The Topics tab: a topic (typed, or a commitment picked) across the meetings, side by side in date
order; "not addressed at this meeting" where nothing passes the answer threshold."""

from __future__ import annotations

from html import escape

import gradio as gr

from assistant.schema import Citation
from assistant.views import Views
from assistant.views.briefing import NoteItem, item_from_citation
from assistant.views.topic import TopicResult
from assistant.web.tabs.common import BUTTONS_JS, add, button, card, empty, note_status

PICK_LABEL = 90  # characters of a commitment shown in the pick list


def result_html(result: TopicResult) -> str:
    columns = []
    for m in result.meetings:
        head = f'<h4>{escape(m.meeting)}<span class="date"> {escape(m.date)}</span></h4>'
        if m.addressed:
            body = "".join(card(c, f"[{c.n}] {escape(c.quote)}", key=str(c.n)) for c in m.citations)
        else:
            body = f'<p class="not-addressed">{escape(m.note.capitalize())}.</p>'
        columns.append(f'<section class="meeting" data-doc="{escape(m.doc_id, quote=True)}">{head}{body}</section>')
    intro = f'<p class="topic-title">On “{escape(result.topic)}”, meeting by meeting:</p>'
    actions = f'<p class="actions">{button("all", "Add all to note")}</p>'
    return f'{intro}<div class="meetings">{"".join(columns)}</div>{actions}'


class TopicsTab:
    def __init__(self, views: Views, max_chars: int) -> None:
        self.views = views
        self.max_chars = max_chars  # as for questions

    def show(self, topic: str) -> tuple[str, dict | None]:
        text = " ".join((topic or "").split())[: self.max_chars]
        if not text:
            return empty("Type a topic, or pick a commitment."), None
        result = self.views.topic.across(text)
        return result_html(result), result.model_dump()

    def show_picked(self, picked: str | None) -> tuple[str, dict | None]:
        chosen = self.views.commitments.get(picked) if picked else None
        return self.show(chosen.sentence) if chosen else (gr.update(), gr.update())

    def add_passage(self, shown: dict | None, note: list[dict], evt: gr.EventData) -> tuple[list[dict], str]:
        if not shown:
            return note, ""
        result = TopicResult.model_validate(shown)
        key = getattr(evt, "key", "")
        citations = [c for m in result.meetings for c in m.citations]
        if key == "all":
            item = self._whole(result, citations)
        else:
            c = next((c for c in citations if str(c.n) == key), None)
            if c is None:
                return note, ""
            item = item_from_citation(c, f"{result.topic}: {c.where}", kind="passage")
        note = add(note, item)
        return note, note_status(note)

    @staticmethod
    def _whole(result: TopicResult, citations: list[Citation]) -> NoteItem:
        lines = []
        for m in result.meetings:
            quotes = " ".join(f"“{c.quote}” [{c.n}]" for c in m.citations)
            lines.append(f"{m.meeting} ({m.date}): {quotes or m.note + '.'}")
        return NoteItem(
            heading=f"{result.topic}, meeting by meeting", text="\n\n".join(lines), citations=citations, kind="topic"
        )

    def picks(self) -> list[tuple[str, str]]:
        return [
            (f"{c.meeting} · {c.citation.where} · {c.sentence[:PICK_LABEL]}…", c.id)
            for c in self.views.commitments.rows
        ]

    def refresh(self) -> dict:
        """On each page load: the commitments of the live generation to pick from."""
        return gr.update(choices=self.picks(), value=None)

    def build(self, note: gr.State) -> None:
        private = {"api_visibility": "private"}
        picks = self.picks()
        shown = gr.State(None)
        with gr.Row():
            topic = gr.Textbox(
                label="Topic",
                placeholder="e.g. funding for women peacebuilders",
                elem_id="t-topic",
                max_length=self.max_chars,
                scale=3,
            )
            go = gr.Button("Show across meetings", variant="primary", elem_id="t-go", scale=1, min_width=120)
        picked = gr.Dropdown(picks, value=None, label="…or pick a commitment", elem_id="t-pick")
        self.refresh_outputs = [picked]
        status = gr.Markdown("", elem_id="t-status")
        view = gr.HTML(empty("Type a topic, or pick a commitment."), elem_id="t-view", js_on_load=BUTTONS_JS)
        topic.submit(self.show, [topic], [view, shown], **private)
        go.click(self.show, [topic], [view, shown], **private)
        picked.change(self.show_picked, [picked], [view, shown], **private)
        view.change(lambda: "", None, [status], **private)  # "Added…" belongs to the topic it was said for
        view.click(self.add_passage, [shown, note], [note, status], **private)
