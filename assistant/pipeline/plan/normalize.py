"""Question text as retrieval should read it: markup dropped, digit ordinals spelled out.

The user's question is kept as typed for display; these only shape what is searched and scored.
"""

from __future__ import annotations

import html
import re

from assistant import words

_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>")
_CODE = re.compile(r"<(script|style)\b[^<>]{0,200}>.*?(?:</\1\s*>|$)", re.I | re.S)  # code, not words
_MARKDOWN = re.compile(r"(\*\*|__|`+|~~)|^\s{0,3}(?:#{1,6}|>)\s*", re.M)
_DIGIT_ORDINAL = re.compile(r"\b([1-9]|1\d|20)(?:st|nd|rd|th)\b", re.I)


def strip_markup(text: str) -> str:
    """The words of a question without HTML tags, entities or markdown emphasis around them."""
    text = html.unescape(_TAG.sub(" ", _CODE.sub(" ", text)))
    text = _MARKDOWN.sub(" ", text)
    return re.sub(r"\s+([?!.,;:])", r"\1", " ".join(text.split()))


def spell_ordinals(text: str) -> str:
    """ "the 8th meeting" → "the Eighth meeting", as communiqués write their meetings' names."""
    ordinals = words.ordered("ordinals")
    return _DIGIT_ORDINAL.sub(lambda m: ordinals[int(m.group(1)) - 1].capitalize(), text)
