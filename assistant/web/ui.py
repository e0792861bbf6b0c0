"""The page: tabs over the same :class:`Assistant` as the API and the CLI, one module each
(:mod:`assistant.web.tabs`) — Start here | Chat | Commitments | Topics | Documents | Glossary | Quiz | Note.

Per-user state lives only in Gradio session state (the conversation, the quiz, the note), never on a
shared object, so two browsers never see each other's. Everything from the corpus is shown as text.
Every event asks the host for the live generation (the views through :class:`LiveViews`), and each
page load refreshes the chat's document lists and the index notice, so the page follows a new index
generation. The views' tabs are laid out when the app starts with an index that answers; an app
started before its first index was built shows the chat alone until it is restarted.
"""

from __future__ import annotations

import gradio as gr

from assistant.feedback import FeedbackStore
from assistant.index.errors import IndexUnavailableError
from assistant.pipeline.host import AssistantHost, LiveViews
from assistant.web.asking import QuestionService
from assistant.web.tabs.chat import FOLLOW_JS, ChatTab
from assistant.web.tabs.commitments import CommitmentsTab
from assistant.web.tabs.documents import DocumentsTab
from assistant.web.tabs.glossary import GlossaryTab
from assistant.web.tabs.note import NoteTab
from assistant.web.tabs.quiz import QuizTab
from assistant.web.tabs.start import StartTab
from assistant.web.tabs.topics import TopicsTab

CSS = """
#chat .message { max-width: 100%; }
#chat .md.chatbot { opacity: 1 !important; }  /* Gradio fades message text to .8: below AA contrast */
.answer-text { margin: 0 0 .5em 0; }
.understood-as { opacity: .8; margin: 0 0 .4em 0; }
sup.cite { font-weight: 600; }
details.source-card, details.related-card, details.view-card, details.glossary-entry {
  border: 1px solid var(--border-color-primary); border-radius: 6px; padding: .35em .6em; margin: .35em 0;
}
details summary { cursor: pointer; }
details .paragraph { margin: .5em 0 0 0; }
details mark { background: #fff3a3; color: #1a1a1a; padding: 0 .1em; }
.related { border-left: 4px solid #c9a227; padding-left: .6em; margin-top: .6em; }
.answer { border-left: 4px solid var(--tier-color); padding-left: .6em; }
.answer.tier-answered { --tier-color: #1d6b2f; }
.answer.tier-possibly-relevant { --tier-color: #8a5300; }
.answer.tier-not-addressed { --tier-color: #52565c; }
.answer .lead { font-weight: 600; margin: 0 0 .5em 0; }
.tier-badge { display: inline-block; background: var(--tier-color); color: #fff !important; border-radius: 4px;
  padding: 0 .45em; margin-right: .3em; font-size: .85em; font-weight: 600; }
.answer.tier-not-addressed > .lead, .answer.tier-possibly-relevant > .lead { font-weight: normal; font-style: italic; }
/* A long document name stopped under the dropdown's caret (phone): it ends in "…" before it. */
.secondary-wrap input[role="combobox"] { padding-right: 1.8em !important; text-overflow: ellipsis; }
.chips { display: flex; flex-wrap: wrap; gap: .3em; align-items: center; margin: .3em 0; }
.chips-title { font-size: .9em; }
.chip { border: 1px solid var(--color-accent); border-radius: 999px; padding: .1em .7em; cursor: pointer;
  background: var(--background-fill-secondary); color: var(--body-text-color); font-size: .9em; }
.chip:focus-visible { outline: 2px solid var(--color-accent); outline-offset: 2px; }
details.offer { border: 1px solid #1d6b2f; border-radius: 6px; padding: .35em .6em; margin: .35em 0; }
details.offer > summary { font-weight: 600; }
.example-q { text-align: left !important; justify-content: flex-start !important; white-space: normal !important; }
details.more-quotes > summary { font-size: .9em; margin: 0 0 .4em 0; }
abbr.term { text-decoration: underline dotted; cursor: help; }
abbr.term:focus::after { content: " (" attr(title) ")"; font-style: italic; }
.view-card summary .row-head, .view-card summary .step-head,
.view-card summary .intro-head { display: block; font-size: .9em; opacity: .85; }
.view-card summary .row-text { display: block; }
.view-card .where { margin: .4em 0 0 0; font-size: .9em; opacity: .85; }
.glossary-entry blockquote.definition { margin: .4em 0; padding-left: .8em; border-left: 3px solid currentColor; }
.glossary-entry p.no-definition { margin: .4em 0; font-style: italic; }
.view-btn { border: 1px solid var(--border-color-primary); border-radius: 4px; padding: .15em .6em;
  margin: .2em .4em .2em 0; background: var(--button-secondary-background-fill);
  color: var(--button-secondary-text-color); cursor: pointer; }
.view-btn:focus-visible, details summary:focus-visible { outline: 2px solid var(--color-accent); outline-offset: 2px; }
.meetings { display: grid; grid-template-columns: repeat(auto-fit, minmax(230px, 1fr)); gap: .6em; }
.meetings .meeting { border-top: 3px solid var(--color-accent); padding-top: .2em; }
.meetings h4 { margin: .2em 0; } .meetings .date { font-weight: normal; opacity: .75; }
.not-addressed { font-style: italic; opacity: .8; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15em .8em; }
.facts dt { font-weight: 600; } .facts dd { margin: 0; }
.count, .cited { font-weight: normal; opacity: .75; font-size: .9em; }
.quiz-verdict.right { color: #1d6b2f; } .quiz-verdict.wrong { color: #9b2c1f; }
.dark .quiz-verdict.right { color: #7ad99a; } .dark .quiz-verdict.wrong { color: #ff9e94; }
footer .show-api, footer a, footer button { color: var(--body-text-color) !important; opacity: 1 !important; }
.quiz-text { border-left: 4px solid var(--border-color-primary); margin: .4em 0; padding-left: .6em; }
.view-empty { opacity: .8; font-style: italic; }
.note-refs { list-style: none; padding-left: 0; }
.notice { border-left: 4px solid #8a6d00; padding-left: .6em; margin: 0 0 .5em 0; font-size: .95em; }
.checking { opacity: .7; font-size: .9em; }
.check-mark { font-size: .85em; font-weight: 600; }
#skip { position: absolute; z-index: 10; width: 0; height: 0; overflow: visible; pointer-events: none; }
#skip .skip-link:focus { pointer-events: auto; white-space: nowrap; }  /* #skip takes no room nor clicks */
.skip-link { position: absolute; left: -10000px; top: 0; }
.skip-link:focus { position: static; display: inline-block; padding: .2em .5em;
  background: var(--background-fill-primary); outline: 2px solid var(--color-accent); }
#index-status { border-left: 4px solid #b3261e; padding: .2em .6em; }
@media (max-width: 480px) {
  #chat .message-row { margin-left: 0 !important; margin-right: 0 !important; }
  #chat .message.bot { padding: 6px !important; }
  #header h2 { font-size: 1.2em; margin: .2em 0; } #header p { display: none; }
  #chat { height: min(48vh, 420px) !important; }
  .facts { grid-template-columns: 1fr; }
}
"""
EMBED_CSS = (
    CSS
    + "\nfooter { display: none !important; }\n"
    + "@media (max-width: 480px) { #chat { height: min(40vh, 300px) !important; } }\n"  # fits a 760 px frame
)
# Gradio prefixes the page's CSS with its content container, so the padding around that container
# (32 px each side: a tenth of a phone's width) is set from the page's head instead.
HEAD = (
    "<style>@media (max-width: 480px) { .gradio-container > .main { padding-left: 8px !important; "
    "padding-right: 8px !important; } }</style>"
)


SKIP_LINK = '<a class="skip-link" href="#question">Skip to the question box</a>'
SKIP_JS = """
element.addEventListener('click', (event) => {
  if (!event.target.closest('a.skip-link')) return;
  event.preventDefault();
  const tab = document.querySelector('#tab-chat-button');
  if (tab && tab.getAttribute('aria-selected') !== 'true') tab.click();
  setTimeout(() => document.querySelector('#question textarea')?.focus(), 50);
});
"""


def theme() -> gr.themes.Base:
    """System fonts only: the page must work on an intranet with no internet access."""
    # Primary buttons a shade darker than Gradio's orange, so their white text passes AA (4.5:1).
    return gr.themes.Default(font=["system-ui", "sans-serif"], font_mono=["ui-monospace", "monospace"]).set(
        button_primary_background_fill="*primary_700",
        button_primary_background_fill_dark="*primary_700",
        button_primary_background_fill_hover="*primary_800",
        button_primary_background_fill_hover_dark="*primary_800",
        button_primary_text_color="white",
        button_primary_text_color_dark="white",
    )


def build_ui(
    host: AssistantHost, feedback: FeedbackStore, embed: bool = False, questions: QuestionService | None = None
) -> gr.Blocks:
    views = LiveViews(host) if host.status().ready else None
    settings = host.settings
    with gr.Blocks(title="WPS Communiqué Assistant", analytics_enabled=False, fill_width=embed) as demo:
        note = gr.State([])  # the briefing note of this browser session: NoteItem dicts, in order
        # The conversation, filters and note, kept in this browser across reloads (never on the server).
        # The key is fixed so a restart keeps them; it is no secret: the page itself carries it.
        saved = gr.BrowserState(None, storage_key=f"wps-{'embed' if embed else 'page'}", secret="wps-communique")
        if not embed:
            gr.Markdown(
                "## WPS Communiqué Assistant\n"
                "Ask about the communiqués of the Women, Peace and Security Focal Points Network. Answers quote "
                "the communiqués and cite document, section and paragraph; open a source to read its paragraph.",
                elem_id="header",
            )
        # The first tab stop: straight to the question box (past the tabs and the conversation).
        gr.HTML(SKIP_LINK, elem_id="skip", js_on_load=SKIP_JS, padding=False)
        chat_tab = ChatTab(host, feedback, questions, views)
        commitments = documents = topics = glossary = None
        banner = chat_tab.banner()
        with gr.Tabs(selected="chat", elem_id="tabs", overflow_behavior="wrap") as tabs:
            start = StartTab(views) if views else None
            if start:
                with gr.Tab("Start here", id="start", elem_id="tab-start"):
                    start.build()
            with gr.Tab("Chat", id="chat", elem_id="tab-chat"):
                chat = chat_tab.build(embed, note)
            if views:
                with gr.Tab("Commitments", id="commitments", elem_id="tab-commitments"):
                    commitments = CommitmentsTab(views, f"{settings.root_path}/api")
                    commitments.build(note)
                with gr.Tab("Topics", id="topics", elem_id="tab-topics"):
                    topics = TopicsTab(views, settings.max_question_chars)
                    topics.build(note)
                with gr.Tab("Documents", id="documents", elem_id="tab-documents"):
                    documents = DocumentsTab(views)
                    documents.build(note)
                with gr.Tab("Glossary", id="glossary", elem_id="tab-glossary"):
                    glossary = GlossaryTab(views)
                    glossary.build(note)
                with gr.Tab("Quiz", id="quiz", elem_id="tab-quiz"):
                    QuizTab(views).build()
            with gr.Tab("Note", id="note", elem_id="tab-note") as note_tab:
                NoteTab(settings.briefing_page_size).build(note, note_tab)
        if start:
            chat_tab.ask_pending(start.wire(note, chat.pending, tabs), chat)
        private = {"api_visibility": "private"}
        loaded = [chat.docs, chat.sections, chat.browse_doc, banner, chat.chat, chat.answers, chat.plain, note]
        restored_yet = gr.State(False)  # set by the load: no change is stored before it (see ChatTab.keep)
        demo.load(chat_tab.on_load, [saved], [*loaded, chat.chips, restored_yet], **private)
        demo.load(None, js=FOLLOW_JS)
        kept = [chat.chat, chat.answers, chat.docs, chat.sections, note]
        for component in kept:
            component.change(ChatTab.keep, [*kept, restored_yet], [saved], **private)
        # What the tabs were laid out with is the generation the app started on: each page load shows
        # the live one's instead (a document removed since is gone from a freshly loaded page).
        refreshes = []
        if start:
            refreshes.append((start.refresh, [start.view]))
        for tab in (commitments, topics, documents, glossary):
            if tab:
                refreshes.append((tab.refresh, tab.refresh_outputs))
        if chat_tab.example_buttons:
            refreshes.append((chat_tab.refresh_examples, [button for *_, button in chat_tab.example_buttons]))
        for refresh, outputs in refreshes:
            demo.load(unless_unavailable(refresh, len(outputs)), None, outputs, **private)
    return demo


def unless_unavailable(refresh, outputs: int):
    """``refresh``, or no change while the index cannot answer (the chat's notice says why)."""

    def run():
        try:
            return refresh()
        except IndexUnavailableError:
            return gr.skip() if outputs == 1 else tuple(gr.skip() for _ in range(outputs))

    return run


def question_events(blocks: gr.Blocks) -> set[int]:
    """Ids of the events that ask a question (for the rate limit on Gradio's queue)."""
    return {i for i, fn in blocks.fns.items() if getattr(fn.fn, "__func__", None) is ChatTab.respond}


def feedback_events(blocks: gr.Blocks) -> set[int]:
    """Ids of the events that write feedback (the chat's thumbs), for the feedback rate limit."""
    return {i for i, fn in blocks.fns.items() if getattr(fn.fn, "__func__", None) is ChatTab.rate}
