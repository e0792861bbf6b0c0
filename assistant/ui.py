"""The Gradio chat: answers with their numbered sources, over the same :class:`Assistant` as the API."""

from __future__ import annotations

import html
from typing import Any

import gradio as gr

from assistant.answer import Answer
from assistant.service import Assistant, QuestionError

EXAMPLES = [
    "What are the four pillars of the WPS agenda?",
    "What did we agree on funding for women peacebuilders?",
    "What does the communiqué recommend on early warning systems?",
    "How should technology-facilitated gender-based violence be addressed?",
    "Where and when was the meeting held?",
]


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
    return [_text(m.get("content")) for m in history if isinstance(m, dict) and m.get("role") == "user"]


def render_markdown(answer: Answer) -> str:
    """Answer text, then its sources. Corpus and question text are escaped: shown as text, never HTML."""
    esc = html.escape
    parts = []
    if answer.standalone_question != answer.question:
        parts.append(f"*Understood as: {esc(answer.standalone_question)}*")
    parts.append(esc(answer.answer))
    if answer.abstained and answer.related:
        parts.append("**Related passages (not an answer):**")
        parts += [
            f"- {esc(c.title)} · {esc(c.section)} · ¶{c.label or c.paragraph}: “{esc(c.quote)}”" for c in answer.related
        ]
    elif answer.citations:
        parts.append("**Sources**")
        for c in answer.citations:
            meeting = f" · {esc(c.meeting)}" if c.meeting else ""
            date = f" · {esc(c.date)}" if c.date else ""
            parts.append(
                f"**[{c.n}]** {esc(c.title)}{meeting}{date} · {esc(c.section)} · ¶{c.label or c.paragraph}  \n"
                f"> {esc(c.quote)}"
            )
    return "\n\n".join(parts)


def theme() -> gr.themes.Base:
    """System fonts only: the page must work on an intranet with no internet access."""
    return gr.themes.Default(font=["system-ui", "sans-serif"], font_mono=["ui-monospace", "monospace"])


def build_ui(assistant: Assistant) -> gr.Blocks:
    def respond(message: str, history: list[dict]) -> str:
        try:
            return render_markdown(assistant.ask(_text(message), user_turns(history)))
        except QuestionError as exc:
            return str(exc)

    with gr.Blocks(title="WPS Communiqué Assistant", analytics_enabled=False) as demo:
        gr.Markdown(
            "## WPS Communiqué Assistant\n"
            "Ask about the communiqués of the Women, Peace and Security Focal Points Network. "
            "Every answer quotes the communiqués and cites document, section and paragraph."
        )
        gr.ChatInterface(
            respond,
            examples=EXAMPLES,
            run_examples_on_click=True,
            cache_examples=False,
            concurrency_limit=assistant.settings.concurrency_limit,
            api_name="ask",
            chatbot=gr.Chatbot(label="Answers", sanitize_html=True, height=560),
            textbox=gr.Textbox(
                placeholder="Ask a question about the communiqués…", max_length=assistant.settings.max_question_chars
            ),
        )
    return demo
