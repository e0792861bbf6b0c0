"""The abstention policy: confidence from the best sentence and how much the best passage stands out."""

from __future__ import annotations

import pytest

from assistant.pipeline.abstain import AbstentionPolicy
from assistant.settings import Settings

pytestmark = pytest.mark.unit

POLICY = AbstentionPolicy(threshold=0.4, weight=0.5, center=2.0)


def test_confidence_is_the_best_score_when_nothing_stands_out_or_is_known():
    assert POLICY.confidence(0.6, None) == 0.6
    assert POLICY.confidence(0.6, 2.0) == pytest.approx(0.6)


def test_a_passage_that_stands_out_raises_confidence_and_a_flat_field_lowers_it():
    assert POLICY.confidence(0.3, 3.0) == pytest.approx(0.8)
    assert POLICY.confidence(0.6, 1.0) == pytest.approx(0.1)


def test_no_sentence_at_all_has_zero_confidence():
    assert POLICY.confidence(None, 5.0) == 0.0


def test_abstains_below_the_threshold_only():
    assert POLICY.abstains(0.39) and not POLICY.abstains(0.4) and not POLICY.abstains(0.9)


def test_a_question_pointing_at_passages_is_never_refused():
    assert not POLICY.abstains(-1.0, force=True)


def test_the_policy_reads_its_numbers_from_the_settings():
    s = Settings(abstain_threshold=0.5, distinctiveness_weight=0.1, distinctiveness_center=1.5)
    assert AbstentionPolicy.from_settings(s) == AbstentionPolicy(0.5, 0.1, 1.5)
