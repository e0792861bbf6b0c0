"""Text cleaning shared by every reader: decoding, Unicode and whitespace normalisation, markup removal."""

from __future__ import annotations

import re
import unicodedata

_WS = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u3000]+")


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(r"[\u200b\u200c\u200d\ufeff\u00ad]", "", text)


def one_line(text: str) -> str:
    """Join hard-wrapped lines into one line with single spaces."""
    return _WS.sub(" ", " ".join(part.strip() for part in text.split("\n"))).strip()


def strip_markdown(text: str) -> str:
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)  # images
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)  # links keep their words
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text, flags=re.S)
    text = re.sub(r"(?<![\w*])([*_])(?![\s*_])(.+?)(?<![\s*_])\1(?![\w*])", r"\2", text, flags=re.S)
    text = re.sub(r"`([^`]*)`", r"\1", text)
    return text


def is_sentence_block(text: str) -> bool:
    """A block that reads as running text (long, or ending in punctuation), not a title line."""
    return len(text.split()) > 20 or bool(re.search(r"[.;:!?,]$", text.strip()))


def roman_numeral(n: int) -> str:
    """1 → "i", 4 → "iv": how lists number sub-items "(i)", "(iv)"."""
    out = ""
    for value, letters in (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        while n >= value:
            out, n = out + letters, n - value
    return out
