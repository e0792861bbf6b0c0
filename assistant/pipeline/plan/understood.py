"""What the user is told a follow-up was understood as ("Understood as: …"), only when it reads well.

The rules rewrite a follow-up by string surgery (:mod:`assistant.pipeline.plan.condense`). That retrieves
well enough, but the text it writes is not always a question anyone would ask: "is that binding?"
after "How did the position on women mediators change between 2019 and 2026?" became "Is women
mediators change between 2019 and 2026 binding?". Telling the user that is worse than telling
nothing, so a rewrite is shown only when it is *well-formed*; otherwise the follow-up is shown as
typed, with the question it follows on from.

Well-formed, defined without a parser: the rewrite is the previous question asked again, opening as
it did, with one span swapped for the follow-up's cue (a meeting, a time, a name: "and in 2019?" →
"What did the 2019 meeting say about early warning?"), or with a prepositional phrase of the
follow-up's added at its end ("… have in 2019?"). Every word put in comes from the follow-up or
from the few words a swap writes around a cue ("the … meeting", "the previous meeting"). A topic
phrase glued into the follow-up's own clause ("Who's supposed to do reprisals against …?") is never
shown: nothing tells where a phrase cut out of a question by a regular expression ends.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# The words :func:`assistant.pipeline.plan.condense.swap_cue` writes around the follow-up's own cue.
SWAP_WORDS = frozenset({"the", "meeting", "latest", "previous", "next", "at", "in"})
# A phrase that may be added at the end of a complete question and leave it one ("… in 2019?").
_ADJUNCT_OPENERS = frozenset({"in", "at", "on", "for", "during", "by", "since", "before", "after"})
FOLLOWING_ON = "(following on from: {previous})"


def _words(text: str) -> list[str]:
    return re.findall(r"[\w'’-]+", text.lower())


def well_formed(rewrite: str, question: str, previous: str) -> bool:
    """The rewrite is ``previous`` with only a cue of ``question`` swapped in (or added as a phrase).

    >>> well_formed("What did the 2019 meeting say about early warning?", "and in 2019?",
    ...             "what did santiago say about early warning?")
    True
    >>> well_formed("Is women mediators change between 2019 and 2026 binding?", "is that binding?",
    ...             "How did the position on women mediators change between 2019 and 2026?")
    False
    """
    new, old, asked = _words(rewrite), _words(previous), set(_words(question))
    if not new or not old:
        return False
    if new == old:  # "same question again": the previous question, as it was
        return True
    start = 0
    while start < min(len(new), len(old)) and new[start] == old[start]:
        start += 1
    end = 0
    while end < min(len(new), len(old)) - start and new[-1 - end] == old[-1 - end]:
        end += 1
    inserted, removed = new[start : len(new) - end], old[start : len(old) - end]
    # Asked again, the previous question keeps its opening ("What did …"); what is swapped in is the
    # follow-up's cue (its words, or those a swap writes around it), never a frame of its own.
    if not start or not inserted or any(w not in asked and w not in SWAP_WORDS for w in inserted):
        return False
    # Something replaced, or a phrase added that a question can end with ("in 2019", not "alicante").
    return bool(removed) or inserted[0] in _ADJUNCT_OPENERS


def following_on(question: str, previous: str) -> str:
    """The follow-up as typed, with the question it leans on: "is that binding? (following on from: …)"."""
    return f"{question} {FOLLOWING_ON.format(previous=previous)}"


def understood_turns(turns: Sequence[str], rewrites: Sequence[str]) -> list[str]:
    """What each turn is shown as, given the turns as typed (whitespace-normalised) and their rewrites.

    A rewrite is shown when it is the turn itself, or when it is well-formed against the previous
    rewrite and that one was shown as it is (a swap of a garbled question is garbled too). Otherwise
    the turn is shown as typed with the question it follows on from: the previous one as shown, or,
    when that was itself shown with its context, as typed (no nested parentheses). Empty turns are
    skipped; one pass over the conversation.
    """
    out: list[str] = []
    previous: tuple[str, str, str] | None = None  # the latest non-empty turn: typed, rewrite, shown
    for typed, rewrite in zip(turns, rewrites, strict=True):
        if previous is None or rewrite == typed:
            shown = rewrite
        else:
            before, before_rewrite, before_shown = previous
            clean = before_shown == before_rewrite  # the previous turn was shown as its rewrite
            if clean and well_formed(rewrite, typed, before_rewrite):
                shown = rewrite
            else:
                shown = following_on(typed, before_shown if clean else before)
        out.append(shown)
        if typed:
            previous = (typed, rewrite, shown)
    return out
