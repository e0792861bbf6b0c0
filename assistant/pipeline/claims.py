"""A generated answer read as claims: its sentences, the ``[n]`` markers each carries, and the facts each states.

Plain text functions (no model), so the checker's rules are tested on their own. Facts are what a
fluent sentence can get wrong while still "sounding like" its passage: numbers (digits, number
words, ordinals), names (capitalised words and acronyms), dates (years are numbers, months names)
and quoted phrases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from assistant import words
from assistant.ingest.chunking import sentence_spans

# [1], [1, 2], [1][2], [ 3 ]
MARKER = re.compile(r"\s*\[\s*(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\s*\]")
_LEADING_MARKERS = re.compile(r"^(?:\s*\[\s*\d{1,3}(?:\s*[,;]\s*\d{1,3})*\s*\])+")
# Markdown a chat model adds unasked: emphasis, headings, bullets and numbered lists.
_THINKING = re.compile(r"<think>.*?(?:</think>|$)", re.S)  # servers that inline a model's reasoning
_EMPHASIS = re.compile(r"(\*\*|__|`)")
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*•]|\d{1,2}[.)]|#{1,6})[ \t]+", re.M)
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?![\w])")
_WORD = re.compile(r"[A-Za-z][\w'’-]*")
_QUOTED = re.compile(r"“([^”]{3,})”|\"([^\"]{3,})\"")


@dataclass(frozen=True)
class Claim:
    """One sentence of a generated answer."""

    text: str  # as written, markers included
    plain: str  # without markers: what is embedded and checked
    markers: tuple[int, ...]  # passage numbers it cites, in order, once each
    block: int  # which paragraph of the answer it stands in (blank lines separate them)


def clean(text: str) -> str:
    """The answer without a reasoning model's <think> block or markdown, each paragraph's lines joined."""
    text = _THINKING.sub("", text.replace("\r\n", "\n"))
    text = _EMPHASIS.sub("", _LIST_ITEM.sub("", text))
    blocks = [" ".join(b.split()) for b in re.split(r"\n\s*\n", text)]
    return "\n\n".join(b for b in blocks if b)


def markers_in(text: str) -> tuple[int, ...]:
    found = [int(n) for m in MARKER.finditer(text) for n in re.split(r"\s*[,;]\s*", m.group(1))]
    return tuple(dict.fromkeys(found))


def without_markers(text: str) -> str:
    """The sentence with its markers taken out ("… ODA [1]." → "… ODA.")."""
    return re.sub(r"\s+([.,;:!?])", r"\1", MARKER.sub("", text)).strip()


def split_claims(text: str) -> list[Claim]:
    """The sentences of an answer; markers written after the full stop ("… ODA. [1]") stay with it."""
    claims: list[Claim] = []
    for block, paragraph in enumerate(clean(text).split("\n\n")):
        pieces = [paragraph[s:e] for s, e in sentence_spans(paragraph, max_words=10_000)]
        for piece in pieces:
            lead = _LEADING_MARKERS.match(piece)
            if lead and claims and claims[-1].block == block:
                previous = claims.pop()
                claims.append(_claim(previous.text + lead.group(0), block))
                piece = piece[lead.end() :]
            if piece.strip():
                claims.append(_claim(piece.strip(), block))
    return claims


def _claim(text: str, block: int) -> Claim:
    return Claim(text, without_markers(text), markers_in(text), block)


# ---------------------------------------------------------------------------- facts


def numbers(text: str) -> set[str]:
    """Quantities a sentence states, normalised: digits ("1,000" → "1000"), number words, ordinals."""
    found = {n.replace(",", "") for n in _NUMBER.findall(text)}
    spoken = words.load("number_words") | words.load("ordinals")
    for w in _WORD.findall(text.lower()):
        for part in w.split("-"):
            if part in spoken:
                found.add(words.pairs("number_values").get(part, part))
    return found


def names(text: str) -> set[str]:
    """Capitalised words after a sentence's first word, and acronyms anywhere ("Sudan", "UNICEF").

    Words that only frame ("Network", "Meeting", "Communiqué") and sentence openers are left out.
    """
    framing = words.load("framing_words") | words.load("months") | words.load("ordinals")
    out = set()
    for i, match in enumerate(_WORD.finditer(text)):
        word = re.sub(r"['’]s$", "", match.group(0)).strip("'’-")  # "Network's" names the Network
        for part in word.split("-"):
            acronym = len(part) > 1 and part.isupper()
            if not part or not part[0].isupper() or (i == 0 and not acronym):
                continue
            if part.lower() not in framing or acronym:
                out.add(part)
    return out


def months(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w in words.load("months")}


def quoted(text: str) -> list[str]:
    """Phrases a sentence puts in quotation marks; each must be the passage's own words."""
    return [(a or b).strip(" .,;:…") for a, b in _QUOTED.findall(text)]


def negated(text: str) -> bool:
    """The sentence says something is not so (words/negation_cues.txt)."""
    flat = " " + " ".join(re.findall(r"[a-z']+", normalised(text))) + " "
    return any(f" {cue} " in flat for cue in words.load("negation_cues"))


@cache
def stance_families() -> dict[str, str]:
    """word → its family ("cuts" → "reduce"), from words/stance_words.txt."""
    out = {}
    for entry in words.load("stance_words"):
        family, members = entry.split(":", 1)
        out.update({w: family.strip() for w in members.split()})
    return out


def stances(text: str) -> set[str]:
    """The stance families a sentence uses (increase, reduce, welcome, concern, require, …)."""
    families = stance_families()
    return {families[w] for w in re.findall(r"[a-z]+", text.lower()) if w in families}


def word_set(text: str) -> set[str]:
    """Every word of a text in lower case, hyphenated words also as their parts ("co-chairs", "co")."""
    out = set()
    for w in _WORD.findall(text):
        w = re.sub(r"'s$", "", normalised(w)).strip("'-")
        out |= {w, *w.split("-")}
    return out


def normalised(text: str) -> str:
    """Lower case, one space, straight apostrophes: how quoted phrases and names are compared."""
    return " ".join(text.lower().replace("’", "'").split())
