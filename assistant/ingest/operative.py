"""Operative sentences: what a communiqué recommends, calls for, commits to, welcomes … and to whom.

A sentence is operative when the meeting speaks in it: an operative verb (``words/operative_verbs.txt``)
after a subject that speaks for the meeting (``operative_voices.txt``: "we recommend", "the Chair
encouraged"), joined by "and" to a sentence that opens with such a subject ("Participants recognized …,
and called for …"), opening the sentence as an operative clause ("Recommend that …", "3. Commits to …"),
or a passive that needs no subject ("… was noted with concern"). The type is that of the first such
expression. Verbs elsewhere ("the 2025 communiqués, which expressed concern …", "… that members
support …") are not the meeting speaking.

Who is addressed is read where the sentence names an actor: "recommend that States …", "call upon all
members to …", "invite UN Women to …" (``addressees.txt``, canonical names), or a short phrase ending in
a noun that names who can act ("… that local peace committees …", ``actor_heads.txt``). No model: the
lists are data, so a communiqué in another house style is one edit away.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from assistant import words

TYPES = ("recommend", "call", "commit", "encourage", "welcome", "support", "concern")
# Adverbs and auxiliaries allowed between the subject and its verb: "we also strongly recommend".
_BETWEEN = r"(?:,?\s*(?:also|further|furthermore|therefore|thus|hereby|again|jointly|collectively|strongly|firmly|"
_BETWEEN += r"fully|unanimously|all|both|each|would|will|do|must|\w+ly),?\s+)*"
# Words after a sentence-opening verb that show it is a noun, not an operative clause ("Support for …").
_NOT_A_CLAUSE = {"of", "is", "was", "are", "were", "remains", "has", "have", "will", "must", "should", "and", "for"}
_DETERMINERS = r"(?:(?:all|the|each|every|more|other|relevant|individual|our|their)\s+)*"
_NUMBER = r"(?:\(?\d+[.)]\s*|\([a-z]\)\s*)?"  # "3. ", "(a) ": a paragraph's own number
_JOIN = r"(?:\s*,\s*and\s+|\s*,\s*|\s+and\s+|\s+or\s+)"
# Types whose verbs name their addressee before "to": "call upon X to", "invite X to", "encourage X to".
_ADDRESSING = ("call", "encourage")


@dataclass(frozen=True)
class Operative:
    """What an operative sentence does (its type), and whom it addresses (canonical names)."""

    type: str
    addressees: tuple[str, ...] = ()


def _pairs(name: str) -> list[tuple[str, str]]:
    """``key: words`` lines of a word list, longest words first (so "call upon" wins over "call")."""
    out = []
    for line in words.load(name):
        key, _, value = line.partition(":")
        out.append((key.strip(), " ".join(value.split())))
    return sorted(out, key=lambda kv: (-len(kv[1]), kv[1]))


def _alternation(forms: list[str]) -> str:
    return "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in forms)


@dataclass(frozen=True)
class _Patterns:
    voiced: re.Pattern[str]  # subject + verb, anywhere
    opening: re.Pattern[str]  # the sentence opens with its voice (for "…, and called for …")
    joined: re.Pattern[str]  # "and" + verb
    clause: re.Pattern[str]  # the sentence opens with the verb
    passive: re.Pattern[str]
    type_of: dict[str, str]
    that_actor: re.Pattern[str]
    verb_actor_to: re.Pattern[str]
    that_head: re.Pattern[str]
    canonical: dict[str, str]


@cache
def _patterns() -> _Patterns:
    verbs = _pairs("operative_verbs")
    passives = _pairs("operative_passives")
    type_of = {" ".join(form.lower().split()): kind for kind, form in verbs + passives}
    verb = _alternation([form for _, form in verbs])
    voices = _alternation(sorted(words.load("operative_voices"), key=len, reverse=True))
    addressees = _pairs("addressees")
    canonical = {alias.lower(): name for name, alias in addressees}
    actor = rf"{_DETERMINERS}(?:{_alternation([alias for _, alias in addressees])})"
    actors = rf"{actor}(?:{_JOIN}{actor})*"
    heads = _alternation(sorted(words.load("actor_heads"), key=len, reverse=True))
    addressing = _alternation([form for kind, form in verbs if kind in _ADDRESSING])
    flags = re.I
    return _Patterns(
        voiced=re.compile(rf"(?<![\w-])(?:{voices}){_BETWEEN}\s*(?P<verb>{verb})\b", flags),
        opening=re.compile(rf"^{_NUMBER}(?:[\w'’-]+\s+and\s+)?(?:{voices})\b(?!\s+(?:of|to)\b)", flags),
        joined=re.compile(rf"\band\s+(?:also\s+|further\s+)?(?P<verb>{verb})\b", flags),
        clause=re.compile(rf"^{_NUMBER}(?:also\s+|further\s+)?(?P<verb>{verb})\b\s+(?P<next>\S+)", flags),
        passive=re.compile(rf"(?<![\w-])(?P<verb>{_alternation([form for _, form in passives])})\b", flags),
        type_of=type_of,
        that_actor=re.compile(rf"\bthat\s+(?P<actors>{actors})\b(?!['’-]|\s+be\b)", flags),
        verb_actor_to=re.compile(rf"\b(?:{addressing})\s+(?P<actors>{actors})\s+to\b", flags),
        that_head=re.compile(rf"\bthat\s+(?P<np>(?:[a-z][a-z-]*\s+){{0,3}}(?:{heads}))\b(?!\s+(?:of|be)\b|['’-])"),
        canonical=canonical,
    )


def classify(sentence: str) -> Operative | None:
    """The operative type and addressees of one sentence, or None when the meeting does not speak in it."""
    p = _patterns()
    found: list[tuple[int, str]] = []  # (position, verb as written)
    for match in p.voiced.finditer(sentence):
        found.append((match.start("verb"), match.group("verb")))
    for match in p.passive.finditer(sentence):
        found.append((match.start("verb"), match.group("verb")))
    if p.opening.search(sentence):
        found += [(m.start("verb"), m.group("verb")) for m in p.joined.finditer(sentence)]
    clause = p.clause.search(sentence)
    if clause and sentence[clause.start("verb")].isupper() and clause.group("next").lower() not in _NOT_A_CLAUSE:
        found.append((clause.start("verb"), clause.group("verb")))
    if not found:
        return None
    position, verb = min(found)
    kind = p.type_of[" ".join(verb.lower().split())]
    return Operative(kind, addressees(sentence[position:]))


def addressees(text: str) -> tuple[str, ...]:
    """Canonical names of the actors a (part of a) sentence addresses, in order of mention."""
    p = _patterns()
    found: list[tuple[int, str]] = []  # (position, canonical name)
    spans: list[tuple[int, int]] = []
    for pattern in (p.that_actor, p.verb_actor_to):
        for match in pattern.finditer(text):
            spans.append(match.span("actors"))
            for part in re.split(_JOIN, match.group("actors"), flags=re.I):
                found.append((match.start("actors"), p.canonical.get(_strip_determiners(part), "")))
    for match in p.that_head.finditer(text):
        if not any(s <= match.start("np") < e for s, e in spans) and not re.search(r"\d", match.group("np")):
            found.append((match.start("np"), _strip_determiners(match.group("np"))))
    return tuple(dict.fromkeys(name for _, name in sorted(found, key=lambda f: f[0]) if name))


def _strip_determiners(phrase: str) -> str:
    return " ".join(re.sub(rf"^{_DETERMINERS}", "", " ".join(phrase.lower().split()), flags=re.I).split())
