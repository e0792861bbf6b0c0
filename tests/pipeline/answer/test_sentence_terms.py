"""The scorer reads each sentence's stems once, and they are the stems Terms gives."""

from __future__ import annotations

import pytest

from assistant.pipeline.answer import extractive
from assistant.pipeline.answer.extractive import SentenceScorer
from assistant.pipeline.terms import Terms
from assistant.settings import Settings

pytestmark = pytest.mark.unit

TEXTS = ["The Co-Chairs recognised the organisation of women mediators.", "Funding for peacebuilders was pledged."]


class _Counting(Terms):
    calls = 0  # Terms.__init__ reads every text through terms() already

    def terms(self, text: str) -> list[str]:
        self.calls += 1
        return super().terms(text)


def test_a_sentences_stems_are_those_of_terms_and_are_computed_once():
    terms = _Counting(TEXTS)
    scorer = SentenceScorer(Settings(), terms)
    before = terms.calls
    first = scorer.sentence_terms(TEXTS[0])
    assert first == frozenset(Terms(TEXTS).terms(TEXTS[0]))
    assert scorer.sentence_terms(TEXTS[0]) is first and terms.calls == before + 1


def test_the_kept_stems_are_bounded(monkeypatch):
    monkeypatch.setattr(extractive, "SENTENCE_TERMS_KEPT", 2)
    scorer = SentenceScorer(Settings(), Terms(TEXTS))
    for text in ("one sentence", "another sentence", "a third sentence"):
        scorer.sentence_terms(text)
    assert len(scorer._stems) <= 2
