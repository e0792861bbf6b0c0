"""The Note tab: the items this browser session added (answers, commitments, passages), in order,
with editable headings, downloadable as DOCX or Markdown with numbered references at the end.

The note lives in session state only; the files are written to the system's temporary folder (one
folder per note content), from where Gradio serves them.
"""

from __future__ import annotations

import hashlib
import tempfile
from html import escape
from pathlib import Path
from typing import Literal

import gradio as gr

from assistant.views.briefing import NoteItem, numbered, to_docx, to_markdown
from assistant.web.tabs.common import empty

EMPTY = "The note is empty: use “Add to note” on an answer, a commitment or a passage."


def note_html(title: str, items: list[NoteItem]) -> str:
    if not items:
        return empty(EMPTY)
    note = numbered(title, items)
    parts = [f'<h3 class="note-title">{escape(note.title)}</h3>']
    for i, item in enumerate(note.items, start=1):
        paragraphs = "".join(f"<p>{escape(block)}</p>" for block in item.text.split("\n\n"))
        parts.append(
            f'<section class="note-item"><h4>{i}. {escape(item.heading or f"Item {i}")}</h4>{paragraphs}</section>'
        )
    refs = "".join(f"<li>[{c.n}] {escape(c.reference)}</li>" for c in note.references)
    if refs:
        parts.append(f'<h4>References</h4><ul class="note-refs">{refs}</ul>')
    return "".join(parts)


class NoteTab:
    def __init__(self, page_size: Literal["A4", "Letter"] = "A4") -> None:
        self.folder = Path(tempfile.gettempdir()) / "wps-briefing-notes"
        self.page_size = page_size

    def _files(self, title: str, items: list[NoteItem]) -> tuple[str | None, str | None]:
        if not items:
            return None, None
        note = numbered(title, items)
        markdown = to_markdown(note)
        folder = self.folder / hashlib.sha256(f"{self.page_size}\n{markdown}".encode()).hexdigest()[:16]
        folder.mkdir(parents=True, exist_ok=True)
        docx, md = folder / "briefing-note.docx", folder / "briefing-note.md"
        if not docx.exists():
            docx.write_bytes(to_docx(note, self.page_size))
            md.write_text(markdown, encoding="utf-8")
        return str(docx), str(md)

    def render(self, note: list[dict], title: str, chosen: int | None) -> tuple:
        items = [NoteItem.model_validate(x) for x in note or []]
        docx, md = self._files(title, items)
        choices = [(f"{i + 1}. {x.heading or f'Item {i + 1}'}"[:90], i) for i, x in enumerate(items)]
        keep = chosen if chosen is not None and chosen < len(items) else (len(items) - 1 if items else None)
        return (
            note_html(title, items),
            gr.update(choices=choices, value=keep),
            gr.update(value=docx, interactive=bool(docx)),
            gr.update(value=md, interactive=bool(md)),
        )

    @staticmethod
    def heading_of(note: list[dict], chosen: int | None) -> str:
        return (note[chosen].get("heading") or "") if chosen is not None and 0 <= chosen < len(note or []) else ""

    @staticmethod
    def save_heading(note: list[dict], chosen: int | None, heading: str) -> list[dict]:
        if chosen is None or not 0 <= chosen < len(note or []):
            return note
        note = [dict(x) for x in note]
        note[chosen]["heading"] = (heading or "").strip()[:500]
        return note

    @staticmethod
    def move(note: list[dict], chosen: int | None, step: int) -> tuple[list[dict], int | None]:
        if chosen is None or not 0 <= chosen < len(note or []) or not 0 <= chosen + step < len(note):
            return note, chosen
        note = list(note)
        note[chosen], note[chosen + step] = note[chosen + step], note[chosen]
        return note, chosen + step

    @staticmethod
    def remove(note: list[dict], chosen: int | None) -> tuple[list[dict], None]:
        if chosen is None or not 0 <= chosen < len(note or []):
            return note, None
        return [x for i, x in enumerate(note) if i != chosen], None

    def build(self, note: gr.State, tab: gr.Tab | None = None) -> None:
        """The tab's components and events; ``tab`` is the tab they are in (rendered when selected)."""
        private = {"api_visibility": "private"}
        title = gr.Textbox("Briefing note", label="Title", elem_id="n-title")
        # The note's buttons come first: on a phone a long note would push them thousands of pixels down.
        with gr.Row():
            docx = gr.DownloadButton("Download DOCX", elem_id="n-docx", interactive=False, min_width=140)
            md = gr.DownloadButton("Download Markdown", elem_id="n-md", interactive=False, min_width=140)
            clear = gr.Button("Clear note", elem_id="n-clear", min_width=100)
        with gr.Row():
            item = gr.Dropdown([], value=None, label="Item", elem_id="n-item", min_width=200)
            heading = gr.Textbox(label="Heading", elem_id="n-heading", min_width=200)
        with gr.Row():
            save = gr.Button("Save heading", elem_id="n-save", size="sm", min_width=90)
            up = gr.Button("Move up", elem_id="n-up", size="sm", min_width=90)
            down = gr.Button("Move down", elem_id="n-down", size="sm", min_width=90)
            remove = gr.Button("Remove", elem_id="n-remove", size="sm", min_width=90)
        view = gr.HTML(empty(EMPTY), elem_id="n-view")
        outputs = [view, item, docx, md]
        note.change(self.render, [note, title, item], outputs, **private)
        if tab is not None:
            # Also whenever the tab is opened: a tab's components mount when first shown, and an update
            # sent before (the note restored by a page load that ran while the page's scripts were still
            # arriving) could leave the view at its empty start although the note was there.
            tab.select(self.render, [note, title, item], outputs, **private)
        title.change(self.render, [note, title, item], outputs, **private)
        item.change(self.heading_of, [note, item], [heading], **private)
        save.click(self.save_heading, [note, item, heading], [note], **private)
        heading.submit(self.save_heading, [note, item, heading], [note], **private)
        up.click(lambda n, c: self.move(n, c, -1), [note, item], [note, item], **private)
        down.click(lambda n, c: self.move(n, c, 1), [note, item], [note, item], **private)
        remove.click(self.remove, [note, item], [note, item], **private)
        clear.click(lambda: ([], None), None, [note, item], **private)
