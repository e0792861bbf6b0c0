"""Each sentence of a streamed reply checked once it is complete, and the decision sent as it is made.

Hand-made passages and embeddings (as in test_checker.py): the reply is fed as a model would write
it, piece by piece, and the sentence checks (:class:`SentenceCheck`) are read after each piece.
"""

from __future__ import annotations

import re

import pytest

from assistant.pipeline.llm.generative import StreamCheck
from tests.pipeline.llm.test_checker import PASSAGES, make_checker

pytestmark = pytest.mark.unit

ODA = "States should increase ODA for women's groups [1]."
# Said in the passage's own words: the support model keeps it under the hand-made embeddings, which
# give every claim the vector of the passage's first sentence (tests/pipeline/llm/test_checker.py).
SUGGEST = "We suggest that States increase ODA for women's groups [1]."
INVENTED = "The Network grew from 45 founding members to 120 members [2]."


def pieces(reply: str) -> list[str]:
    """The reply as a server streams it: a word and its space at a time."""
    return re.findall(r"\S+\s*", reply)


def streamed(reply: str) -> tuple[StreamCheck, list[list]]:
    """The stream check after feeding ``reply`` piece by piece, and the checks sent after each piece."""
    checking, text, sent = StreamCheck(make_checker(), PASSAGES), "", []
    for piece in pieces(reply):
        text += piece
        sent.append(checking.feed(text))
    return checking, sent


def test_a_sentence_is_checked_when_its_full_stop_arrives_not_before():
    _, sent = streamed(f"{ODA} {INVENTED}")
    words = pieces(f"{ODA} {INVENTED}")
    first_end = next(i for i, w in enumerate(words) if w.strip().endswith("[1]."))
    assert all(not s for s in sent[:first_end])  # nothing is said of a sentence still being written
    [check] = sent[first_end]
    assert check.index == 0 and check.kept and check.sentence == ODA
    assert check.citations == [1] and check.sources == ["Rome 2026, Prevention, ¶1"]
    assert all(not s for s in sent[first_end + 1 : -1])
    [last] = sent[-1]  # the reply ends like a sentence: the last one is checked at once
    assert last.index == 1 and not last.kept and last.kind == "unsupported_fact"
    assert "'120'" in last.detail and last.citations == [2] and last.sources == []


def test_feeding_the_same_text_again_sends_nothing_new():
    checking, _ = streamed(f"{ODA} {SUGGEST}")
    assert checking.feed(f"{ODA} {SUGGEST}") == []


def test_a_marker_written_later_has_the_earlier_sentence_checked_again_under_the_same_index():
    reply = f"{ODA.replace(' [1]', '')} {SUGGEST}"  # one marker at the paragraph's end covers both
    _, sent = streamed(reply)
    flat = [c for s in sent for c in s]
    assert [(c.index, c.kept, c.kind) for c in flat] == [(0, False, "no_citation"), (0, True, ""), (1, True, "")]
    assert flat[1].citations == [1] and flat[1].sentence == flat[0].sentence


def test_finish_decides_as_the_whole_answer_check_and_sends_only_what_was_not_sent():
    reply = f"{ODA} {SUGGEST} {INVENTED}"
    checking, text = StreamCheck(make_checker(), PASSAGES), ""
    for piece in pieces(reply)[:-1]:  # the stream ends before the last word's check
        text += piece
        checking.feed(text)
    result, marks = checking.finish(reply)
    whole = make_checker().check(reply, PASSAGES)
    assert [v.claim for v in result.kept] == [v.claim for v in whole.kept]
    assert result.removed == whole.removed and result.failure == whole.failure
    assert [(m.index, m.kept) for m in marks] == [(2, False)]  # only the sentence the stream had not checked


def test_the_last_check_of_each_sentence_is_the_final_decision_on_it():
    reply = f"{ODA.replace(' [1]', '')} {SUGGEST}\n\n{INVENTED}"
    checking, sent = streamed(reply)
    _, marks = checking.finish(reply)
    latest = {c.index: c for s in [*sent, marks] for c in s}
    whole = make_checker().check(reply, PASSAGES)
    kept = {v.claim.text for v in whole.kept}
    assert sorted(latest) == [0, 1, 2]
    assert [latest[i].kept for i in range(3)] == [c.sentence in kept for c in latest.values()] == [True, True, False]
