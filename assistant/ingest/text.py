"""Text cleaning shared by every reader: decoding, Unicode and whitespace normalisation, markup removal."""

from __future__ import annotations

import re
import unicodedata

_WS = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u3000]+")


# Above this share of control codes and undecodable bytes a "text" file is binary data (random bytes
# read as Latin-1 give ~23 %; real text, even badly extracted, well under 1 %).
MAX_UNREADABLE_SHARE = 0.05
_READABLE_CONTROLS = frozenset("\n\r\t\f\v")


def decode(data: bytes) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 with its byte-order mark (Windows "Unicode")
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def unreadable_share(text: str) -> float:
    """Share of characters that no text has: control codes, unassigned or private code points, U+FFFD."""
    if not text:
        return 0.0
    bad = sum(
        1
        for ch in text
        if ch == "\ufffd" or (unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") and ch not in _READABLE_CONTROLS)
    )
    return bad / len(text)


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
