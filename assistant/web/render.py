"""An answer for people: HTML for the chat (source cards) and plain text to paste into a briefing.

Everything taken from a question or the corpus is escaped here: it is shown as text, never as HTML.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import escape

from assistant.schema import Answer, Citation


def reference(c: Citation) -> str:
    """One full reference line: title, meeting, place, date, section and paragraph."""
    return c.reference


def plain_text(answer: Answer) -> str:
    """The answer with its references written out, for copying into a briefing or a terminal."""
    lines = []
    if answer.standalone_question != answer.question:
        lines += [f"(understood as: {answer.standalone_question})", ""]
    if answer.notice:
        lines += [f"Note: {answer.notice}", ""]
    lines.append(answer.answer)
    if answer.abstained and answer.related:
        lines += ["", "Related passages (not an answer):"]
        lines += [f"- {reference(c)}: “{c.quote}”" for c in answer.related]
    elif answer.citations:
        lines += ["", "References:"]
        lines += [f"[{c.n}] {reference(c)}: “{c.quote}”" for c in answer.citations]
    return "\n".join(lines)


def highlighted(c: Citation) -> str:
    """The paragraph, escaped, with the quote in a ``<mark>``."""
    before = escape(c.text[: c.quote_start])
    quote = escape(c.quote)
    after = escape(c.text[c.quote_start + len(c.quote) :])
    return f"{before}<mark>{quote}</mark>{after}"


def _card(c: Citation, marker: str, css_class: str) -> str:
    meeting = f" · {escape(c.meeting)}" if c.meeting and c.meeting not in c.title else ""
    date = f" · {escape(c.date)}" if c.date else ""
    return (
        f'<details class="{css_class}" data-n="{c.n}">'
        f"<summary><b>{marker}</b> {escape(c.title)}{meeting}{date} · {escape(c.where)}</summary>"
        f'<p class="paragraph">{highlighted(c)}</p></details>'
    )


def mark_terms(text: str, terms: Mapping[str, str] | None) -> str:
    """``text`` escaped, each glossary term in it an ``<abbr>`` whose title explains it (hover, or focus on tap)."""
    if not terms:
        return escape(text)
    pattern = re.compile(
        r"(?<![\w-])(" + "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)) + r")s?(?![\w-])"
    )
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(escape(text[last : match.start()]))
        title = escape(terms[match.group(1)], quote=True)
        out.append(f'<abbr class="term" title="{title}" tabindex="0">{escape(match.group(0))}</abbr>')
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)


def answer_html(answer: Answer, terms: Mapping[str, str] | None = None) -> str:
    """The chat message: the answer, citation markers, then numbered source cards (or related passages).

    ``terms``: glossary acronyms → what they stand for, marked in the answer's text.
    """
    parts = []
    if answer.standalone_question != answer.question:
        parts.append(f'<p class="understood-as"><i>Understood as: {escape(answer.standalone_question)}</i></p>')
    if answer.notice:
        parts.append(f'<p class="notice" data-mode="{escape(answer.mode)}">{escape(answer.notice)}</p>')
    for block in answer.answer.split("\n\n"):
        text = re.sub(r"\[(\d+)\]", r'<sup class="cite">[\1]</sup>', mark_terms(block, terms))
        parts.append(f'<p class="answer-text">{text}</p>')
    if answer.abstained:
        if answer.related:
            cards = "".join(_card(c, "•", "related-card") for c in answer.related)
            parts.append(f'<div class="related"><p><b>Related passages (not an answer):</b></p>{cards}</div>')
    elif answer.citations:
        cards = "".join(_card(c, f"[{c.n}]", "source-card") for c in answer.citations)
        parts.append(f'<div class="sources"><p><b>Sources</b></p>{cards}</div>')
    return "".join(parts)


def streaming_html(text: str) -> str:
    """A language model's answer while it is being written: shown as plain text, then replaced by the
    checked answer."""
    body = re.sub(r"\[(\d+)\]", r'<sup class="cite">[\1]</sup>', escape(text))
    return (
        f'<p class="streaming-text">{body}</p>'
        '<p class="checking"><i>Writing; every sentence is checked against its source before it is kept…</i></p>'
    )


def paragraph_html(title: str, section: str, number: int, label: str, text: str) -> str:
    return (
        f'<div class="paragraph-view"><p><b>{escape(title)}</b> · {escape(section)} · ¶{escape(label or str(number))}'
        f"</p><p>{escape(text)}</p></div>"
    )
