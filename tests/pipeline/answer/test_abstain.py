"""The abstention policy: a logistic estimate of the chance that the text answers, from named signals."""

from __future__ import annotations

import math

import pytest

from assistant.pipeline.answer.abstain import AbstentionPolicy
from assistant.settings import Settings

pytestmark = pytest.mark.unit

POLICY = AbstentionPolicy(
    threshold=0.6, weights={"bias": -2.0, "best": 3.0, "e5_z": 1.0}, weights_minilm={"bias": -1.0, "best": 3.0}
)


def _sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def test_confidence_is_the_logistic_of_the_weighted_signals():
    assert POLICY.confidence({"best": 0.5, "e5_z": 2.0}) == pytest.approx(_sigmoid(-2.0 + 1.5 + 2.0))


def test_without_e5_the_minilm_weights_apply():
    assert POLICY.confidence({"best": 0.5, "e5_z": None}) == pytest.approx(_sigmoid(-1.0 + 1.5))
    assert POLICY.confidence({"best": 0.5}) == pytest.approx(_sigmoid(-1.0 + 1.5))


def test_a_passage_that_stands_out_raises_confidence():
    assert POLICY.confidence({"best": 0.4, "e5_z": 3.0}) > POLICY.confidence({"best": 0.4, "e5_z": 1.0})


def test_no_sentence_at_all_has_zero_confidence():
    assert POLICY.confidence({"best": None, "e5_z": 5.0}) == 0.0


def test_abstains_below_the_threshold_only():
    assert POLICY.abstains(0.59) and not POLICY.abstains(0.6) and not POLICY.abstains(0.9)


def test_a_question_pointing_at_passages_is_never_refused():
    assert not POLICY.abstains(0.0, force=True)


def test_the_policy_reads_its_numbers_from_the_settings():
    s = Settings(
        abstain_threshold=0.5,
        abstain_weights={"bias": 1.0},
        abstain_weights_minilm={"best": 2.0},
        abstain_weights_crosslingual={"e5_sentence": 3.0},
    )
    assert AbstentionPolicy.from_settings(s) == AbstentionPolicy(
        0.5, {"bias": 1.0}, {"best": 2.0}, {"e5_sentence": 3.0}
    )


def test_a_question_in_another_language_is_weighed_on_its_best_sentences_e5_cosine():
    policy = AbstentionPolicy(0.6, {"bias": 0, "best": 1, "e5_z": 1}, {"best": 1}, {"bias": -32.0, "e5_sentence": 40.0})
    assert policy.confidence({"e5_sentence": 0.86}) > 0.9 > 0.2 > policy.confidence({"e5_sentence": 0.76})


def test_a_confident_answer_is_in_the_top_tier():
    assert POLICY.tier(0.6) == "answered" and POLICY.tier(0.99) == "answered"


def test_below_the_threshold_the_closest_passages_are_possibly_relevant():
    assert POLICY.tier(0.59) == "possibly_relevant"


def test_a_question_naming_what_the_corpus_lacks_is_not_addressed_however_close_the_passages():
    assert POLICY.tier(0.3, lacks_specific=True) == "not_addressed"
    assert POLICY.tier(0.99, lacks_specific=True) == "not_addressed"


def test_a_question_pointing_at_passages_is_always_answered():
    assert POLICY.tier(0.0, force=True, lacks_specific=True) == "answered"


def test_the_default_weights_and_threshold_are_the_fitted_ones():
    from assistant.settings import fitted

    s = Settings()
    assert s.abstain_weights == fitted("tiers")["weights"]
    assert s.abstain_threshold == fitted("tiers")["answer_threshold"]
    assert 0 < s.abstain_threshold < 1
