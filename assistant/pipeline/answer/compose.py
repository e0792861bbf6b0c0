"""The prose around the quotes: "The Rome 2026 communiqué (Prevention, ¶13): “…” [1]"."""

from __future__ import annotations

import re

from assistant.schema import Citation

ABSTAIN_TEXT = "The communiqués do not address this question: no passage in the indexed documents answers it."


def document_name(c: Citation) -> str:
    """'the Rome 2026 communiqué' when place and year are known, else the document's title."""
    city = c.place.split(",")[0].strip()
    if city and c.date:
        return f"the {city} {c.date[:4]} communiqué"
    return c.title


def compose(citations: list[Citation]) -> str:
    """The communiqués' own words, each quote framed with where it stands and its [n]."""
    parts: list[str] = []
    previous_doc = None
    for c in citations:
        quote = framed_quote(c)
        if c.doc_id != previous_doc:
            name = document_name(c)
            parts.append(f"{name[0].upper()}{name[1:]} ({c.where}): “{quote}” [{c.n}]")
        else:
            parts.append(f"It also states ({c.where}): “{quote}” [{c.n}]")
        previous_doc = c.doc_id
    return "\n\n".join(parts)


def framed_quote(c: Citation) -> str:
    """The quote with "…" where it starts or stops inside a sentence (never at a sentence's edge)."""
    before = c.text[: c.quote_start].rstrip()
    after = c.text[c.quote_start + len(c.quote) :].strip()
    opens = not before or re.search(r"[.!?:;][\"”’)\]]*$", before)
    closes = not after or re.search(r"[.!?][\"”’)\]]*$", c.quote.rstrip())
    return f"{'' if opens else '…'}{c.quote}{'' if closes else '…'}"


def missing_paragraph_text(numbers: tuple[int, ...], scoped: bool) -> str:
    """What to say when the user points at a paragraph that is not there ("paragraph 999")."""
    where = "the selected documents and sections" if scoped else "the indexed communiqués"
    return f"No paragraph {' or '.join(str(n) for n in numbers)} was found in {where}."
