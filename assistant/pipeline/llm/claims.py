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
_DIGIT_ORDINAL = re.compile(r"(?<![\w.])(\d+)(?:st|nd|rd|th)\b", re.I)
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
    """The sentences of an answer, each with the markers a reader would take it to carry.

    Markers written after the full stop ("… ODA. [1]") or on a line of their own after a blank line
    ("… Rome, Italy.\n\n[1][2]") stay with the sentence before them and are never a sentence of
    their own; see :func:`covered` for sentences a later marker vouches for.
    """
    claims: list[Claim] = []
    for block, paragraph in enumerate(clean(text).split("\n\n")):
        pieces = [paragraph[s:e] for s, e in sentence_spans(paragraph, max_words=10_000)]
        for piece in pieces:
            lead = _LEADING_MARKERS.match(piece)
            if lead and claims:
                previous = claims.pop()
                claims.append(_claim(previous.text + lead.group(0), previous.block))
                piece = piece[lead.end() :]
            if without_markers(piece):
                claims.append(_claim(piece.strip(), block))
    return covered(claims)


def covered(claims: list[Claim]) -> list[Claim]:
    """Sentences without a marker take the markers of the next marked sentence of their paragraph:
    "The increase was noted with concern. We suggest that States increase ODA [1]." cites [1] twice,
    as a reader takes one marker at a paragraph's end to cover it. A sentence after the paragraph's
    last marker stays uncited."""
    out = list(claims)
    following: tuple[int, ...] = ()
    for i in range(len(out) - 1, -1, -1):
        if i + 1 < len(out) and out[i + 1].block != out[i].block:
            following = ()
        if out[i].markers:
            following = out[i].markers
        elif following:
            out[i] = Claim(out[i].text, out[i].plain, following, out[i].block)
    return out


def _claim(text: str, block: int) -> Claim:
    return Claim(text, without_markers(text), markers_in(text), block)


# ---------------------------------------------------------------------------- facts


def numbers(text: str) -> set[str]:
    """Quantities a sentence states, normalised: digits ("1,000" → "1000"), number words ("four" → "4"),
    and ordinals in digits or words as ordinals ("9th", "Eighth" → "8th", "twenty-fifth" → "25th").

    An ordinal is kept apart from its cardinal: "the 9th meeting" is not supported by "9 June".
    """
    found = {n.replace(",", "") for n in _NUMBER.findall(text)}
    found |= {f"{int(n)}th" for n in _DIGIT_ORDINAL.findall(text)}
    for w in _WORD.findall(text.lower()):
        value = spoken_number(w)
        if value is not None:
            found.add(value)
        else:  # "thousand", "dozen", "percent": quantity words with no value of their own
            found |= {part for part in w.split("-") if part in words.load("number_words")}
    return found


def spoken_number(word: str) -> str | None:
    """A number word's value ("four" → "4", "tenth" → "10th", "eighty-first" → "81st" as "81th").

    Hyphenated compounds add up ("twenty-five" → "25"); the last part says whether it is an ordinal.
    Ordinals are normalised with a plain "th" so that digits and words compare ("81st" → "81th").
    """
    values = words.pairs("number_values")
    ordinals = {w: i + 1 for i, w in enumerate(words.ordered("ordinals"))}
    parts = [p for p in word.lower().split("-") if p]
    if not parts or not all(p in values or p in ordinals for p in parts):
        return None
    ordinal = parts[-1] in ordinals
    numeric = [int(values[p]) if p in values else ordinals[p] for p in parts]
    if len(numeric) == 2 and numeric[0] % 10 == 0 and 20 <= numeric[0] <= 90 and numeric[1] < 10:
        total = str(numeric[0] + numeric[1])  # "twenty-fifth"
    elif len(numeric) == 1:
        total = str(numeric[0])
    else:
        return None  # "one-third", "two-thirds": no count a sentence states
    return f"{total}th" if ordinal else total


def ordinal_value(token: str) -> str:
    """The cardinal an ordinal token stands for ("10th" → "10"); a cardinal unchanged."""
    return token[:-2] if token.endswith("th") else token


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


# "NAPs are documents that outline …", "It is a framework which …": a sentence saying what a thing is.
_CLASSIFIED = re.compile(
    r"\b(?:is|are|was|were)\s+(?:(?:a|an|the)\s+)?((?:[A-Za-z][\w'’-]*\s+){0,3}?[A-Za-z][\w'’-]*)"
    r",?\s+(?:that|which|who|whose)\b",
    re.I,
)


def classified_as(text: str) -> list[str]:
    """The words a sentence uses to say what something is: "National Action Plans (NAPs) are documents
    that outline …" → ["documents"]. A passage that never uses them does not say so, however many of
    the sentence's other words it shares."""
    function = words.load("function_words_en")
    return [w for m in _CLASSIFIED.finditer(text) for w in m.group(1).split() if w.lower() not in function]


def classified_heads(text: str) -> list[str]:
    """The head of what a sentence says something is, before any "of"/"for"/… that qualifies it:
    "Women mediators' networks are a repository of skilled expertise that …" → ["repository"]."""
    function = words.load("function_words_en")
    out = []
    for m in _CLASSIFIED.finditer(text):
        head = re.split(r"\s+(?:of|for|in|on|to|with|by|from|about)\s+", m.group(1), maxsplit=1)[0]
        out += [w for w in head.split() if w.lower() not in function]
    return out


# ---------------------------------------------------------------------------- counts

# What opens the list a counted noun is followed by: "pillars … – prevention, …", "… are A, B and C".
_LIST_OPENER = re.compile(r"\s[–—:]\s|:\s|\s(?:are|were|is|include|includes|including|namely)\s", re.I)
_LIST_END = re.compile(r"\s[–—]\s|[;.()\[\]]|\s[–—]$")
_COUNT_WORDS_BEFORE_LIST = 8


def counts(text: str) -> dict[str, set[str]]:
    """The things a sentence counts: cardinal → the nouns it stands before ("four pillars" → {"4": {"pillars"}}).

    The noun is the next word, or the one after an adjective ("four foundational pillars").
    """
    tokens = _WORD_OR_NUMBER.findall(text)
    function = words.load("function_words_en")
    out: dict[str, set[str]] = {}
    for i, token in enumerate(tokens):
        value = token.replace(",", "") if token[0].isdigit() else spoken_number(token)
        if value is None or value.endswith("th") or not value.isdigit():
            continue
        nouns = {count_noun(t) for t in tokens[i + 1 : i + 3] if not t[0].isdigit() and t.lower() not in function}
        if nouns:
            out.setdefault(value, set()).update(nouns)
    return out


def listed_count(text: str, noun: str) -> int | None:
    """How many items a text lists right after ``noun`` ("pillars … – prevention, participation,
    protection, and relief and recovery –" → 4), or None when it lists none there.

    The list opens within a few words of the noun (a dash, a colon, "are", "include", "namely") and
    runs to the next dash, semicolon or full stop; items are split at commas and, without a serial
    comma, at the last part's first "and"/"or" ("A, B and relief and recovery" → 3).
    """
    for match in re.finditer(rf"\b{re.escape(noun)}s?\b", text, re.I):
        rest = text[match.end() :]
        opener = _LIST_OPENER.search(rest)
        if opener is None or len(rest[: opener.start()].split()) > _COUNT_WORDS_BEFORE_LIST:
            continue
        body = _LIST_END.split(rest[opener.end() :], maxsplit=1)[0]
        items = [i.strip() for i in body.split(",")]
        if re.match(r"(?:and|or)\s", items[-1]):  # "A, B, and C": the last comma opens the last item
            items[-1] = re.sub(r"^(?:and|or)\s+", "", items[-1])
        else:  # "A, B and C", "A and B": the first "and" of the last part does
            items[-1:] = re.split(r"\s+(?:and|or)\s+", items[-1], maxsplit=1)
        items = [i for i in items if i]
        if len(items) >= 2:
            return len(items)
    return None


def count_is_listed(value: str, noun: str, *texts: str) -> bool:
    """``value`` ``noun`` ("4 pillars") is the number of items one of ``texts`` lists after the noun."""
    return any(listed_count(t, noun) == int(value) for t in texts)


def count_noun(token: str) -> str:
    """A counted noun compared without its plural \"s\" (\"pillars\" → \"pillar\")."""
    return token.lower().rstrip("s") if len(token) > 3 else token.lower()


_WORD_OR_NUMBER = re.compile(r"\d+(?:,\d{3})*|[A-Za-z][\w'’-]*")
