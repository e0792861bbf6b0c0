"""An answer for people: HTML for the chat (source cards) and plain text to paste into a briefing.

Everything taken from a question or the corpus is escaped here: it is shown as text, never as HTML.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import escape

from assistant.pipeline.answer.compose import document_name
from assistant.pipeline.llm.claims import split_claims
from assistant.schema import Answer, Citation, SentenceCheck

# What each tier says first, and its badge: the page never shows a refusal like an answer.
TIER_LABELS = {"answered": "Answered", "possibly_relevant": "Possibly relevant", "not_addressed": "Not addressed"}
TIER_LEADS = {
    "possibly_relevant": "The communiqués touch on this but do not say it directly: read the closest passages below.",
    "not_addressed": "The communiqués do not address this.",
}
LEAD_WORDS = 16  # a lead longer than this is cut at a clause, or at this many words


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
    marker = f"<b>{marker}</b> " if marker else ""
    return (
        f'<details class="{css_class}" data-n="{c.n}">'
        f"<summary>{marker}{escape(c.title)}{meeting}{date} · {escape(c.where)}</summary>"
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


def clause(text: str, max_words: int = LEAD_WORDS) -> str:
    """The start of a quote as a one-line takeaway: no paragraph number, cut at a clause when long."""
    text = re.sub(r"^(…\s*|\(?[0-9]{1,3}[.)]\s+|\([a-z]\)\s+)", "", text.strip())
    words = text.split()
    if len(words) <= max_words:
        return text.rstrip(" ;:,")
    head = " ".join(words[:max_words])
    cut = max(head.rfind(mark) for mark in (";", ":", ","))
    if cut >= len(" ".join(words[: max_words // 2])):  # a clause of at least half the words
        head = head[:cut]
    return head.rstrip(" ;:,") + "…"


def _first_sentence(text: str) -> tuple[str, str]:
    first, _, rest = re.sub(r"\s+", " ", text).strip().partition(". ")
    return (first + "." if rest else first), rest


def lead(answer: Answer) -> str:
    """One line above the quotes: a refusal's own first sentence (else its tier's statement), or what
    the best passage answers and where."""
    if answer.tier != "answered":
        return _first_sentence(answer.answer)[0] or TIER_LEADS[answer.tier]
    if answer.mode == "extractive" and answer.citations:
        best = answer.citations[0]
        name = document_name(best)
        return f"{name[0].upper()}{name[1:]}, {best.where}: “{clause(best.quote)}”"
    return clause(_first_sentence(re.sub(r"\s*\[\d+\]", "", answer.answer))[0])


def _answer_blocks(answer: Answer, terms: Mapping[str, str] | None) -> list[str]:
    """The answer's paragraphs (one per quote): the first shown, the others behind "show all"."""
    blocks = []
    for block in answer.answer.split("\n\n"):
        text = re.sub(r"\[(\d+)\]", r'<sup class="cite">[\1]</sup>', mark_terms(block, terms))
        blocks.append(f'<p class="answer-text">{text}</p>')
    if len(blocks) > 1:
        rest = "".join(blocks[1:])
        blocks[1:] = [f'<details class="more-quotes"><summary>Show all {len(blocks)} quotes</summary>{rest}</details>']
    return blocks


def place_year(c: Citation) -> str:
    """'Rome 2026' when place and date are known, else the document's title."""
    city = c.place.split(",")[0].strip()
    return f"{city} {c.date[:4]}" if city and c.date else c.title


def answer_html(
    answer: Answer, terms: Mapping[str, str] | None = None, scope: str = "", offer: Answer | None = None
) -> str:
    """The chat message: its tier and one-line lead, the first quote (the others behind "show all"),
    citation markers, then numbered source cards (or related passages).

    ``terms``: glossary acronyms → what they stand for, marked in the answer's text. ``scope``: what
    the filters limited the search to ("Santiago 2022"), so that a refusal says where it looked;
    ``offer``: the answer from the whole corpus to such a refusal, shown on request.
    """
    if scope and answer.abstained:
        return _filtered_refusal(answer, terms, scope, offer)
    parts = []
    if answer.standalone_question != answer.question:
        parts.append(f'<p class="understood-as"><i>Understood as: {escape(answer.standalone_question)}</i></p>')
    if answer.notice:
        parts.append(f'<p class="notice" data-mode="{escape(answer.mode)}">{escape(answer.notice)}</p>')
    parts.append(
        f'<p class="lead"><span class="tier-badge">{TIER_LABELS[answer.tier]}</span> {escape(lead(answer))}</p>'
    )
    if answer.tier == "answered":
        parts += _answer_blocks(answer, terms)
    else:  # the lead is the refusal's first sentence: the rest, if any, follows
        rest = _first_sentence(answer.answer)[1]
        if rest:
            parts.append(f'<p class="answer-text">{mark_terms(rest, terms)}</p>')
    if answer.citations:  # the answer's sources, or in the "possibly relevant" tier the closest passages
        title = "Sources" if answer.tier == "answered" else "Closest passages (not a direct answer)"
        cards = "".join(_card(c, f"[{c.n}]", "source-card") for c in answer.citations)
        parts.append(f'<div class="sources"><p><b>{title}</b></p>{cards}</div>')
    elif answer.related:
        cards = "".join(_card(c, "", "related-card") for c in answer.related)
        parts.append(f'<div class="related"><p><b>Related passages (not an answer):</b></p>{cards}</div>')
    return f'<div class="answer tier-{answer.tier.replace("_", "-")}"">{"".join(parts)}</div>'


def _filtered_refusal(answer: Answer, terms: Mapping[str, str] | None, scope: str, offer: Answer | None) -> str:
    """A refusal under a filter: where it looked, and the whole corpus's answer behind "show it"."""
    parts = [f'<p class="lead"><span class="tier-badge">{TIER_LABELS[answer.tier]}</span> Not in {escape(scope)}.</p>']
    if offer is not None and offer.tier == "answered" and offer.citations:
        best = offer.citations[0]
        where = f"{place_year(best)} ({best.where})"
        parts.append(
            f'<details class="offer"><summary>{escape(where)} addresses it — show it</summary>'
            f"{answer_html(offer, terms)}</details>"
        )
    else:
        parts.append('<p class="answer-text">Without the filter, the communiqués do not address it either.</p>')
    if answer.related or answer.citations:
        cards = "".join(_card(c, "", "related-card") for c in answer.related or answer.citations)
        title = f"Related passages in {escape(scope)} (not an answer):"
        parts.append(f'<div class="related"><p><b>{title}</b></p>{cards}</div>')
    return f'<div class="answer tier-{answer.tier.replace("_", "-")}"">{"".join(parts)}</div>'


def streaming_html(text: str, checks: Mapping[int, SentenceCheck] | None = None) -> str:
    """A language model's answer while it is being written, sentence by sentence: each one marked as
    soon as the source check has read it (✓ and where its passage stands, or struck through and
    "removed", the reason on hover), the rest as written; then replaced by the checked answer.

    ``checks`` are the stream's sentence checks by their index; one whose sentence is no longer the
    sentence at that index (the reply went on and it reads otherwise now) waits for its new check."""
    checks = checks or {}
    paragraphs: dict[int, list[str]] = {}
    for i, claim in enumerate(split_claims(text)):
        check = checks.get(i)
        fresh = check if check is not None and check.sentence == claim.text else None
        paragraphs.setdefault(claim.block, []).append(_streamed_sentence(claim.text, fresh))
    body = "".join(f'<p class="streaming-text">{" ".join(p)}</p>' for _, p in sorted(paragraphs.items()))
    return (body or '<p class="streaming-text"></p>') + (
        '<p class="checking"><i>Writing; every sentence is checked against its source before it is kept…</i></p>'
    )


def _cited(text: str) -> str:
    return re.sub(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]", r'<sup class="cite">[\1]</sup>', escape(text))


def _streamed_sentence(sentence: str, check: SentenceCheck | None) -> str:
    """One sentence of the stream: not checked yet, kept (✓ and its sources) or removed (and why)."""
    if check is None:
        return f'<span class="sentence">{_cited(sentence)}</span>'
    if check.kept:
        where = "; ".join(check.sources)
        return (
            f'<span class="sentence sentence-kept">{_cited(sentence)} '
            f'<span class="check-mark" title="Checked: supported by {escape(where, quote=True)}">'
            f"✓ {escape(where)}</span></span>"
        )
    return (
        f'<span class="sentence sentence-removed"><del>{_cited(sentence)}</del> '
        f'<span class="check-mark" title="Removed: {escape(check.detail, quote=True)}">✗ removed</span></span>'
    )


def paragraph_html(title: str, section: str, number: int, label: str, text: str) -> str:
    return (
        f'<div class="paragraph-view"><p><b>{escape(title)}</b> · {escape(section)} · ¶{escape(label or str(number))}'
        f"</p><p>{escape(text)}</p></div>"
    )
