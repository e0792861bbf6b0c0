"""The Chat tab: the conversation, filters, example questions from the corpus, the document browser.

Per-user state lives only in Gradio session state (the chat history and the answers shown), never on
a shared object, so two browsers never see each other's conversation. Every event asks the host for
its current assistant, and each page load refreshes the document lists and the index notice.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

import gradio as gr

from assistant.feedback import FeedbackRecord, FeedbackStore
from assistant.index.errors import IndexUnavailableError
from assistant.pipeline.host import AssistantHost, LiveViews
from assistant.pipeline.plan.question import QuestionError, clean_text
from assistant.schema import Answer, Filters, SentenceCheck
from assistant.views.briefing import NoteItem, item_from_answer
from assistant.web.asking import QuestionService
from assistant.web.keep import kept, restored
from assistant.web.render import answer_html, paragraph_html, plain_text, streaming_html
from assistant.web.tabs.common import add, note_status

# The newest answer's start in view when it arrives (Gradio's autoscroll would show its end): the chat's
# own scroller is moved so the new message starts at its top, and the page too when that is off screen.
FOLLOW_JS = r"""
() => {
  const chat = document.querySelector('#chat');
  if (!chat || chat.dataset.follow) return;
  chat.dataset.follow = '1';
  const bots = () => chat.querySelectorAll('[data-testid="bot"]');
  let seen = bots().length;
  const show = (message) => {
    let box = message.parentElement;
    while (box && box !== chat) {
      const overflow = getComputedStyle(box).overflowY;
      if ((overflow === 'auto' || overflow === 'scroll') && box.scrollHeight > box.clientHeight) break;
      box = box.parentElement;
    }
    if (box && box !== chat) box.scrollTop += message.getBoundingClientRect().top - box.getBoundingClientRect().top - 8;
    const top = message.getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight - 120) window.scrollBy(0, top - 80);
  };
  // Gradio names a message by its raw HTML ("bot's message: <div class=…"): a screen reader reads
  // the markup. The name becomes the message's text.
  const name = () => {
    for (const m of chat.querySelectorAll('[data-testid="bot"], [data-testid="user"]')) {
      const text = m.innerText.replace(/\s+/g, ' ').trim().slice(0, 300);
      const label = `${m.dataset.testid === 'bot' ? 'Answer' : 'Your question'}: ${text}`;
      if (text && m.getAttribute('aria-label') !== label) m.setAttribute('aria-label', label);
    }
  };
  new MutationObserver(() => {
    const all = bots();
    if (all.length > seen) requestAnimationFrame(() => show(all[all.length - 1]));
    seen = all.length;
    name();
  }).observe(chat, {childList: true, subtree: true});
  name();
}
"""


def _text(content: Any) -> str:
    """Text of a chat message, whatever shape Gradio gives it (a string or a list of parts)."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text", ""))
    if isinstance(content, list | tuple):
        return " ".join(_text(part) for part in content)
    return ""


def user_turns(history: list[dict]) -> list[str]:
    """Earlier questions as typed: the chat shows them escaped (see ``respond``), so unescape here."""
    return [html.unescape(_text(m.get("content"))) for m in history if isinstance(m, dict) and m.get("role") == "user"]


@dataclass
class ChatParts:
    """What other tabs and the page reach: the question box, the filters, the conversation (to keep it
    across reloads) and ``pending`` (to ask from a tour step)."""

    question: gr.Textbox
    docs: gr.Dropdown
    sections: gr.Dropdown
    browse_doc: gr.Dropdown
    chat: gr.Chatbot
    answers: gr.State
    plain: gr.Textbox
    pending: gr.State
    outputs: list
    chips: gr.HTML


def short_name(document: dict) -> str:
    """'Santiago 2022' when place and date are known, else the document's title."""
    city = (document.get("place") or "").split(",")[0].strip()
    return f"{city} {document['date'][:4]}" if city and document.get("date") else document["title"]


def chips_html(docs: list[str], sections: list[str], documents: list[dict]) -> str:
    """The active filters as removable chips (above the question box, desk and phone alike)."""
    names = {d["doc_id"]: short_name(d) for d in documents}
    chips = [("doc", d, f"Document: {names.get(d, d)}") for d in docs or []]
    chips += [("section", s, f"Section: {s}") for s in sections or []]
    if not chips:
        return ""
    buttons = "".join(
        f'<button type="button" class="chip" data-key="{kind}:{html.escape(value, quote=True)}" '
        f'aria-label="Remove filter {html.escape(label, quote=True)}">{html.escape(label)} '
        '<span aria-hidden="true">×</span></button>'
        for kind, value, label in chips
    )
    if len(chips) > 1:
        buttons += '<button type="button" class="chip chip-clear" data-key="all:">Clear filters</button>'
    return (
        '<div class="chips" role="group" aria-label="Active filters">'
        f'<span class="chips-title">Searching only:</span>{buttons}</div>'
    )


CHIPS_JS = """
element.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-key]');
  if (button) trigger('click', {key: button.dataset.key});
});
"""


def _doc_choices(documents: list[dict]) -> list[tuple[str, str]]:
    return [(f"{d['title']} ({d['date']})" if d["date"] else d["title"], d["doc_id"]) for d in documents]


def _section_choices(documents: list[dict]) -> list[str]:
    return list(dict.fromkeys(s["name"] for d in documents for s in d["sections"]))


class ChatTab:
    def __init__(
        self,
        host: AssistantHost,
        feedback: FeedbackStore,
        questions: QuestionService | None = None,
        views: LiveViews | None = None,
    ) -> None:
        self.host = host
        self.feedback = feedback
        self.questions = questions or QuestionService(host)
        self.views = views
        # Laid out once with the page (Gradio's examples are fixed): those of the generation it starts on.
        self.examples = views.examples.questions() if views else {}
        self.example_buttons: list[tuple[str, int, gr.Button]] = []  # (group, place in it, button), from build

    @property
    def documents(self) -> list[dict]:
        """The current generation's documents; none while the index is unavailable."""
        try:
            return self.host.documents()
        except IndexUnavailableError:
            return []

    def terms(self) -> dict[str, str]:
        """Glossary explanations of the live generation, for the answers' term hints."""
        try:
            return self.views.glossary.explanations() if self.views else {}
        except IndexUnavailableError:
            return {}

    def notice(self) -> str:
        """What the page says above the chat when the index cannot answer (empty when it can)."""
        status = self.host.status()
        return "" if status.ready else f"**The index is unavailable.** {status.message}"

    def banner(self) -> gr.Markdown:
        notice = self.notice()
        return gr.Markdown(notice, elem_id="index-status", visible=bool(notice))

    def on_load(self, saved: Any = None) -> tuple:
        """Each page load: the lists of the index as it is now, its notice, and what this browser kept
        (the conversation, its answers, the filters, the note: see :mod:`assistant.web.keep`)."""
        documents = self.documents
        notice = self.notice()
        doc_choices, section_choices = _doc_choices(documents), _section_choices(documents)
        back = restored(saved, {d for _, d in doc_choices}, set(section_choices))
        last = next((a for a in reversed(back["answers"]) if a), None)
        return (
            gr.update(choices=doc_choices, value=back["docs"]),
            gr.update(choices=section_choices, value=back["sections"]),
            gr.update(choices=doc_choices),
            gr.update(value=notice, visible=bool(notice)),
            back["history"],
            back["answers"],
            plain_text(Answer.model_validate(last)) if last else "",
            back["note"],
            chips_html(back["docs"], back["sections"], documents),
            True,  # restored: from now on this page's changes are stored
        )

    def refresh_examples(self) -> tuple:
        """On each page load: each example button shows the live generation's question at its place in
        its group, and hides when that group has fewer now (a removed document's questions are gone)."""
        live = self.views.examples.questions() if self.views else {}
        updates = []
        for group, position, _ in self.example_buttons:
            asked = live.get(group, [])
            shown = position < len(asked)
            updates.append(gr.update(value=asked[position] if shown else "", visible=shown))
        return updates[0] if len(updates) == 1 else tuple(updates)

    @staticmethod
    def keep(
        history: list[dict],
        answers: list[dict | None],
        docs: list[str],
        sections: list[str],
        note: list[dict],
        restored_yet: bool = True,
    ):
        """What this browser stores after each change (nothing is kept on the server).

        Nothing is stored until this page load has restored what the browser kept: the chat fires a
        ``change`` as it mounts, before the load event has run, and storing this new session's empty
        state then would overwrite the conversation and note the load is about to read.
        """
        if not restored_yet:
            return gr.skip()
        return kept(history, answers, docs, sections, note)

    # ------------------------------------------------------------------ handlers
    def respond(
        self,
        message: str,
        history: list[dict],
        answers: list[dict | None],
        docs: list[str],
        sections: list[str],
        request: gr.Request | None = None,
    ) -> Iterator[tuple[list[dict], list[dict | None], str, str]]:
        """Streams a language model's text as it is written, each sentence marked kept or removed as soon
        as the source check has read it, then shows the checked answer in its place.

        An empty question is ignored (nothing is added to the conversation). A refusal under a filter
        says what was searched and, when the whole corpus answers, offers that answer.
        """
        history = list(history or [])
        answers = list(answers or [])
        question = clean_text(_text(message))  # echoed back: it must encode (no lone surrogates)
        if not question.strip():
            yield history, answers, gr.update(), gr.update()
            return
        client = self.questions.client(request.headers, request.client.host) if request and request.client else None
        # The question is shown as typed: escaped, so "<script>" is text, never markup.
        user = {"role": "user", "content": html.escape(question)}
        streamed = ""
        checks: dict[int, SentenceCheck] = {}  # each sentence's latest check, by its place in the reply
        try:
            filters = Filters(tuple(docs or ()), tuple(sections or ()))
            for event in self.questions.ask_stream(question, user_turns(history), filters, "chat", client):
                if isinstance(event, Answer):
                    answer = event
                    continue
                if isinstance(event, SentenceCheck):
                    checks[event.index] = event
                else:
                    streamed += event
                writing = {"role": "assistant", "content": streaming_html(streamed, checks)}
                yield [*history, user, writing], answers, "", ""
        except (QuestionError, IndexUnavailableError) as exc:
            yield [*history, user, {"role": "assistant", "content": str(exc)}], [*answers, None], question, ""
            return
        scope, offer = self._outside_filters(answer, history, docs, sections)
        reply = {"role": "assistant", "content": answer_html(answer, self.terms(), scope, offer)}
        yield [*history, user, reply], [*answers, answer.model_dump()], "", plain_text(answer)

    def _outside_filters(
        self, answer: Answer, history: list[dict], docs: list[str], sections: list[str]
    ) -> tuple[str, Answer | None]:
        """For a refusal under filters: what they limited the search to, and the whole corpus's answer
        to the same question when it has one (asked again without filters)."""
        if not answer.abstained or not (docs or sections):
            return "", None
        names = {d["doc_id"]: short_name(d) for d in self.documents}
        scope = ", ".join(
            part
            for part in (
                " or ".join(names.get(d, d) for d in docs or ()),
                ("section " + " or ".join(f"“{s}”" for s in sections)) if sections else "",
            )
            if part
        )
        try:
            whole = self.host.ask(answer.question, user_turns(history), None)
        except (QuestionError, IndexUnavailableError):
            return scope, None
        return scope, whole if whole.tier == "answered" else None

    def model_line(self) -> str:
        """The status line naming the language model that writes the answers and its recent speed
        (empty without one, or while the index cannot answer)."""
        try:
            server = self.host.current().model_server
        except IndexUnavailableError:
            return ""
        return server.status_line() if server is not None else ""

    def rate(self, answers: list[dict | None], data: gr.LikeData) -> str:
        """Store a thumbs up/down with the question, the answer and its citations."""
        index = data.index[0] if isinstance(data.index, list | tuple) else data.index
        turn = int(index) // 2  # each turn is a user message then an assistant message
        if not (0 <= turn < len(answers or [])) or answers[turn] is None:
            return "Nothing to rate."
        rating = "up" if data.liked is True or data.liked == "Like" else "down"
        self.feedback.add(FeedbackRecord.from_answer(Answer.model_validate(answers[turn]), rating))
        return "Thank you: your feedback was recorded."

    def add_answer(self, answers: list[dict | None], note: list[dict]) -> tuple[list[dict], str]:
        """The latest answer (with its citations) becomes an item of the note."""
        last = next((a for a in reversed(answers or []) if a), None)
        if last is None:
            return note, "Ask a question first: there is no answer to add."
        item: NoteItem = item_from_answer(Answer.model_validate(last))
        note = add(note, item)
        return note, note_status(note)

    def sections_of(self, doc_id: str | None) -> dict:
        doc = next((d for d in self.documents if d["doc_id"] == doc_id), None)
        names = [s["name"] for s in doc["sections"]] if doc else []
        return gr.update(choices=names, value=None)

    def paragraphs_of(self, doc_id: str | None, section: str | None) -> dict:
        if not doc_id or not section:
            return gr.update(choices=[], value=None)
        choices = [
            (f"¶{p['label'] or p['paragraph']} — {p['text'][:70]}…", p["paragraph"])
            for p in self._paragraphs(doc_id)
            if p["section"] == section
        ]
        return gr.update(choices=choices, value=None)

    def show_paragraph(self, doc_id: str | None, number: int | None) -> str:
        if not doc_id or number is None:
            return ""
        title = next((d["title"] for d in self.documents if d["doc_id"] == doc_id), doc_id)
        for p in self._paragraphs(doc_id):
            if p["paragraph"] == number:
                return paragraph_html(title, p["section"], p["paragraph"], p["label"], p["text"])
        return ""

    def _paragraphs(self, doc_id: str) -> list[dict]:
        try:
            return self.host.paragraphs(doc_id)
        except IndexUnavailableError:
            return []

    def ask_about_paragraph(self, doc_id: str | None, section: str | None, number: int | None) -> tuple:
        if not doc_id or number is None:
            return gr.update(), gr.update(), gr.update()
        return f"What does paragraph {number} say?", [doc_id], [section] if section else []

    def remove_filter(self, docs: list[str], sections: list[str], evt: gr.EventData) -> tuple[list[str], list[str]]:
        """A chip's ×: that filter goes (``all:`` clears both lists)."""
        kind, _, value = str(getattr(evt, "key", "")).partition(":")
        if kind == "all":
            return [], []
        if kind == "doc":
            return [d for d in docs or [] if d != value], sections or []
        if kind == "section":
            return docs or [], [s for s in sections or [] if s != value]
        return docs or [], sections or []

    def chips(self, docs: list[str], sections: list[str]) -> str:
        return chips_html(docs, sections, self.documents)

    # ------------------------------------------------------------------ layout
    def build(self, embed: bool, note: gr.State) -> ChatParts:
        settings = self.host.settings
        documents = self.documents
        doc_choices, section_choices = _doc_choices(documents), _section_choices(documents)
        answers = gr.State([])
        pending = gr.State("")  # a question asked by a click (an example, a tour step), then answered
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=300):
                chat = gr.Chatbot(
                    elem_id="chat",
                    label="Conversation",
                    show_label=False,
                    height=460 if not embed else 440,
                    autoscroll=False,  # FOLLOW_JS shows the newest answer's start instead of its end
                    sanitize_html=True,
                    feedback_options=("Like", "Dislike"),
                    buttons=["copy"],
                    placeholder="Ask a question about the communiqués, or pick an example.",
                )
                chips = gr.HTML("", elem_id="filter-chips", js_on_load=CHIPS_JS)
                with gr.Row(elem_id="ask-row"):
                    question = gr.Textbox(
                        elem_id="question",
                        label="Your question",
                        show_label=False,
                        placeholder="Ask a question about the communiqués…",
                        max_length=settings.max_question_chars,
                        lines=1,
                        scale=5,
                        min_width=200,
                        autofocus=not embed,
                    )
                    ask = gr.Button("Ask", variant="primary", elem_id="ask-btn", scale=1, min_width=60)
                with gr.Row():
                    new_chat = gr.Button("Clear conversation", elem_id="new-chat", size="sm", min_width=120)
                    add_note = gr.Button("Add answer to note", elem_id="add-answer", size="sm", min_width=120)
                status = gr.Markdown("", elem_id="status")
                # Which model writes the answers and how fast: read again on each page load and after
                # each question (see below); absent without a model server.
                model_status = gr.Markdown("", elem_id="model-status", visible=settings.llm_mode != "off")
                # In a frame every line counts (it must fit 760 px): the plain text and the side panels fold.
                with gr.Accordion("Plain text to copy", open=False, elem_id="plain") if embed else nullcontext():
                    plain = gr.Textbox(
                        label="Last answer with references (plain text to copy)",
                        elem_id="plain-answer",
                        lines=4,
                        max_lines=12,
                        interactive=False,
                        buttons=["copy"],
                    )
            with (
                gr.Column(scale=2, min_width=280),
                gr.Accordion("Filters, examples and documents", open=False, elem_id="more") if embed else nullcontext(),
            ):
                with gr.Accordion("Filters", open=not embed, elem_id="filters"):
                    docs = gr.Dropdown(
                        doc_choices, multiselect=True, label="Only these documents", elem_id="filter-docs"
                    )
                    sections = gr.Dropdown(
                        section_choices, multiselect=True, label="Only these sections", elem_id="filter-sections"
                    )
                with gr.Accordion("Example questions", open=not embed, elem_id="examples"):
                    for group, items in self.examples.items():
                        gr.Markdown(f"**{group}**", elem_classes="example-group")
                        self.example_buttons += [
                            (group, i, gr.Button(q, size="sm", elem_classes="example-q")) for i, q in enumerate(items)
                        ]
                with gr.Accordion("Browse the documents", open=False, elem_id="browser"):
                    b_doc = gr.Dropdown(doc_choices, value=None, label="Document", elem_id="browse-doc")
                    b_section = gr.Dropdown([], label="Section", elem_id="browse-section")
                    b_para = gr.Dropdown([], label="Paragraph", elem_id="browse-paragraph")
                    b_view = gr.HTML(elem_id="paragraph-view")
                    b_ask = gr.Button("Ask about this paragraph", elem_id="ask-paragraph", size="sm")

        inputs = [question, chat, answers, docs, sections]
        outputs = [chat, answers, question, plain]
        limit = settings.concurrency_limit
        # Only the chat itself is part of the public API; the rest are page interactions.
        private = {"api_visibility": "private"}
        asked_events = [
            question.submit(self.respond, inputs, outputs, api_name="ask", concurrency_limit=limit),
            ask.click(self.respond, inputs, outputs, api_visibility="private", concurrency_limit=limit),
        ]
        if settings.llm_mode != "off":
            # triggers None: on each page load (a callable value would make it a public API endpoint)
            gr.on(None, self.model_line, None, [model_status], show_progress="hidden", **private)
            for event in asked_events:
                event.then(self.model_line, None, [model_status], show_progress="hidden", **private)
        asked = [pending, chat, answers, docs, sections]
        for _, _, button in self.example_buttons:
            # The button's own text, as the last page load set it (refresh_examples), is the question.
            button.click(lambda q: q, [button], [pending], **private).then(
                self.respond, asked, outputs, concurrency_limit=limit, **private
            )
        chat.like(self.rate, [answers], [status], **private)
        cleared = [chat, answers, question, plain, status]
        new_chat.click(lambda: ([], [], "", "", ""), None, cleared, **private)
        chat.clear(lambda: ([], [], "", "", ""), None, cleared, **private)  # the chat's own bin button
        add_note.click(self.add_answer, [answers, note], [note, status], **private)
        for dropdown in (docs, sections):
            dropdown.change(self.chips, [docs, sections], [chips], **private)
        chips.click(self.remove_filter, [docs, sections], [docs, sections], **private)
        b_doc.change(self.sections_of, [b_doc], [b_section], **private)
        b_section.change(self.paragraphs_of, [b_doc, b_section], [b_para], **private)
        b_para.change(self.show_paragraph, [b_doc, b_para], [b_view], **private)
        b_ask.click(self.ask_about_paragraph, [b_doc, b_section, b_para], [question, docs, sections], **private)
        return ChatParts(question, docs, sections, b_doc, chat, answers, plain, pending, outputs, chips)

    def ask_pending(self, event: Any, parts: ChatParts) -> None:
        """After ``event`` put a question in ``parts.pending``: answer it (an empty one is ignored)."""
        event.then(
            self.respond,
            [parts.pending, parts.chat, parts.answers, parts.docs, parts.sections],
            parts.outputs,
            api_visibility="private",
            concurrency_limit=self.host.settings.concurrency_limit,
        )
