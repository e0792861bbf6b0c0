"""The support model's features, each on its own, and the fitted model as shipped (no embedding model)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from assistant.pipeline.llm import support
from assistant.pipeline.llm.support import SupportModel
from assistant.pipeline.terms import Terms, lemma
from assistant.settings import Settings, fitted

pytestmark = pytest.mark.unit

NAPS = (
    "We welcome that the vast majority of Network members have adopted National Action Plans (NAPs), which "
    "indicate strong commitment from Member States to the advancement of the WPS agenda."
)
MEDIATORS = (
    "We value women mediators' networks and recognize that they serve as a repository of skilled expertise that "
    "can be drawn upon to support both formal and informal peace processes."
)
TERMS = Terms([NAPS, MEDIATORS, "We recommend dedicated financing for the monitoring of NAP implementation."])


def test_best_cosine_is_the_closest_unit_and_its_index():
    units = np.array([[1.0, 0.0], [0.6, 0.8]])
    assert support.best_cosine([0.0, 1.0], units) == pytest.approx((0.8, 1))
    assert support.best_cosine([1.0, 0.0], np.zeros((0, 2))) == (0.0, -1)


def test_what_a_sentence_adds_is_the_weighted_share_of_its_words_the_passage_never_uses():
    passage = set(TERMS.terms(NAPS))
    own = TERMS.terms("Network members have adopted National Action Plans.")
    assert support.added_share(own, passage, TERMS.idf) == 0.0
    added = TERMS.terms("National Action Plans are documents that outline commitment.")
    assert 0.0 < support.added_share(added, passage, TERMS.idf) < 1.0
    assert support.added_share([], passage, TERMS.idf) == 0.0


def test_a_word_the_passage_says_in_another_form_or_a_same_meaning_word_is_not_added():
    growth = "As we mark a decade of the Network, we welcome the growth of the Network from 45 founding members."
    assert "grew" in support.said_otherwise("The Network grew from 45 founding members.", growth, lemma, TERMS.terms)
    convened = "The members convened in Rome from 9 to 10 June 2026 for the Eighth Capital-Level Meeting."
    said = support.said_otherwise("The meeting took place in Rome.", convened, lemma, TERMS.terms)
    assert {"took", "place"} <= said
    assert "held" in support.said_otherwise("The meeting was held in Rome.", convened, lemma, TERMS.terms)


def test_a_word_the_passage_says_neither_in_another_form_nor_with_a_same_meaning_word_stays_added():
    growth = "We welcome the growth of the Network from 45 founding members to 110 members."
    said = support.said_otherwise("The Network doubled its membership.", growth, lemma, TERMS.terms)
    assert not {"doubl", "membership"} & said
    # "place" alone is no "take place": a phrase of the list counts only as the phrase
    convened = "The members convened in Rome."
    assert "place" not in support.said_otherwise("Rome is the place of the meeting.", convened, lemma, TERMS.terms)


def test_added_words_counts_each_new_word_up_to_three():
    passage = set(TERMS.terms(MEDIATORS))
    assert support.added_words(TERMS.terms("Women mediators' networks support peace processes."), passage) == 0.0
    assert support.added_words(TERMS.terms("Women mediators' networks are funded."), passage) == pytest.approx(1 / 3)
    many = TERMS.terms("Mediators are paid, trained, certified and deployed abroad.")
    assert support.added_words(many, passage) == 1.0


def test_a_sentence_turned_around_differs_in_negation_from_its_passage_sentence():
    assert support.negation_differs("Silence and inaction are an option.", "Silence and inaction are not an option.")
    assert not support.negation_differs("Silence is not an option.", "Silence and inaction are not an option.")


def test_modality_classes_read_will_must_should_may_and_done():
    assert support.modality_classes("Members will establish a modality.") == {"future"}
    assert support.modality_classes("It must be mandatory.") == {"obligation"}
    assert support.modality_classes("We recommend that States should act.") == {"recommend"}
    assert support.modality_classes("AI may be explored.") == {"possible"}
    assert support.modality_classes("Financing has been secured.") == {"done"}
    assert support.modality_classes("These efforts are already resourced.") == {"done"}
    assert "done" not in support.modality_classes("Tools already available will help.")


def test_a_sentence_more_certain_or_binding_than_its_passage_adds_modality():
    call = "We call for the exploration of a voluntary peer-review modality."
    assert support.modality_added("Members will establish a peer-review modality.", call)
    assert support.modality_added("A peer-review modality must be established.", call)
    assert support.modality_added("The Network has established a peer-review modality.", call)
    assert support.modality_added("All members have fully implemented their plans.", NAPS)
    assert not support.modality_added("Members call for exploring a peer-review modality.", call)
    # an active perfect is how a fact is told when the passage states, not recommends
    assert not support.modality_added("Most members have adopted National Action Plans.", NAPS)
    assert not support.modality_added("The Network has grown to 110 members.", "We welcome the growth to 110 members.")


def test_saying_what_a_thing_is_needs_the_passage_to_call_something_that():
    stems = TERMS.terms
    assert support.definition("National Action Plans (NAPs) are documents that outline commitment.")
    assert not support.definition("Most members have adopted National Action Plans.")
    assert support.definition_unsupported("National Action Plans are documents that outline commitment.", NAPS, stems)
    assert not support.definition_unsupported(
        "Women mediators' networks are a repository that can support peace processes.", MEDIATORS, stems
    )
    # the word used otherwise than as what something is ("other forms of violence") defines nothing
    other = "We address online harassment and other forms of technology-facilitated violence."
    assert support.definition_unsupported("Violence is a form of harassment that targets women.", other, stems)
    assert not support.definition_unsupported("Most members have adopted plans.", NAPS, stems)


def test_facts_found_counts_the_numbers_and_names_the_passage_confirms():
    source = "We welcome the growth of the Network from 45 founding members to 110 members in Rome."
    assert support.facts_found("The Network grew to 110 members in Rome.", source) == pytest.approx(2 / 3)
    assert support.facts_found("The Network grew to 120 members.", source) == 0.0


def test_the_model_is_a_logistic_of_the_weighted_features():
    model = SupportModel({"bias": -1.0, "overlap": 2.0}, 0.5)
    assert model.probability({"overlap": 0.5}) == pytest.approx(0.5)
    assert model.probability({"overlap": 1.0, "unused": 9.0}) == pytest.approx(1 / (1 + np.exp(-1.0)))


def test_the_shipped_weights_are_the_fitted_file_and_name_only_known_features():
    data = fitted("support")
    settings = Settings()
    assert settings.check_support_weights == data["weights"]
    assert settings.check_support_probability == data["threshold"]
    assert set(data["weights"]) - {"bias"} <= set(support.CANDIDATES)
    assert json.dumps(data)  # plain data, as the refit script writes it


def test_the_reasons_name_the_features_that_speak_against_support():
    assert support.reasons({"negation_differs": 1.0, "modality_added": 0.0}) == [
        "it turns its passage's statement around"
    ]
    assert support.reasons({}) == []


def test_a_passage_sentence_parts_into_clauses_at_strong_marks_and_before_participles():
    sentence = (
        "States should strengthen collaboration to respond to reprisals, recognizing that such acts shrink space."
    )
    assert support.clauses(sentence) == [
        "States should strengthen collaboration to respond to reprisals",
        "recognizing that such acts shrink space.",
    ]
    assert support.clauses("One clause only.") == ["One clause only."]


def test_the_closest_clause_shares_the_most_content_words_with_the_sentence():
    units = ["States should strengthen collaboration with women-led organizations, recognizing that acts shrink space."]
    claim = set(TERMS.terms("States should limit collaboration with women-led organizations."))
    assert support.closest_clause(claim, units, TERMS.terms).startswith("States should strengthen collaboration")
    assert support.closest_clause(claim, [], TERMS.terms) == ""


def test_a_sentence_going_another_way_than_its_clause_differs_in_stance():
    clause = "States should strengthen collaboration with women-led organizations"
    assert support.stance_differs("States should limit collaboration with women-led organizations.", clause)
    assert not support.stance_differs("States should strengthen their collaboration.", clause)
    assert not support.stance_differs("States should work with women-led organizations.", clause)
