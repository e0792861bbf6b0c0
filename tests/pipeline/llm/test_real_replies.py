"""Every labelled real model reply replayed through the source check, sentence by sentence.

The replies (tests/data/real_replies.jsonl, from ../shared/eval/llm) were written by a real small model
(Qwen2.5-Coder-1.5B-Instruct) to the assistant's own prompt over the Rome communiqué; each sentence is
labelled against its passages. The passages are rebuilt from the index and the real embedding model
scores support, exactly as after a streamed reply's last token.
"""

from __future__ import annotations

import pytest

from assistant.evaluation.replay import FAITHFUL, WRONG, Decision, load_replies, replay, table
from assistant.pipeline.llm.checker import AnswerChecker
from assistant.pipeline.llm.prompt import AnswerPrompt
from assistant.pipeline.plan.acronyms import Acronyms
from assistant.pipeline.terms import Terms
from tests.conftest import ROOT

pytestmark = pytest.mark.integration

REPLIES = load_replies(ROOT / "tests" / "data" / "real_replies.jsonl")


@pytest.fixture(scope="module")
def replayed(shipped) -> dict[str, list[Decision]]:
    texts = [n.text for n in shipped.retriever.shared.passages]
    checker = AnswerChecker(shipped.settings, Terms(texts), Acronyms(texts), shipped.embed_model.encode)
    prompt = AnswerPrompt.load()
    out = {}
    for reply in REPLIES:
        decisions, ms = replay(shipped, checker, prompt, reply)
        print(f"{ms:6.1f} ms  {reply.question}")
        out[reply.question] = decisions
    return out


@pytest.mark.parametrize("reply", REPLIES, ids=[r.question for r in REPLIES])
def test_each_real_reply_shows_its_faithful_sentences_and_never_an_unfaithful_one(replayed, reply):
    decisions = replayed[reply.question]
    assert len(decisions) >= len(reply.judgement)  # every label found its sentence(s)
    for d in decisions:
        if d.label in WRONG:
            assert not d.shown, d
        if d.label in FAITHFUL:
            assert d.shown, d


def test_an_answer_whose_sentences_are_all_faithful_never_falls_back(replayed):
    for decisions in replayed.values():
        if decisions and all(d.label in FAITHFUL for d in decisions):
            assert all("answer:" not in d.reason for d in decisions), decisions


def test_on_the_real_replies_no_unfaithful_sentence_is_shown_and_nine_in_ten_faithful_ones_are(replayed):
    rows = table([d for ds in replayed.values() for d in ds])
    for label, row in rows.items():
        print(f"{label:17} {row}")
    assert sum(rows[label]["shown"] for label in WRONG if label in rows) == 0
    assert rows["faithful"]["share_shown"] >= 0.9
