"""Question text as retrieval reads it: markup, ordinals, typos and acronyms."""

from __future__ import annotations

import pytest

from assistant.pipeline.plan.acronyms import Acronyms
from assistant.pipeline.plan.normalize import spell_ordinals, strip_markup
from assistant.pipeline.plan.spelling import Speller
from tests.conftest import CORPUS

pytestmark = pytest.mark.unit

ROME = next(CORPUS.glob("*.txt")).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("<b>Summarize</b> the <i>Prevention</i> section", "Summarize the Prevention section"),
        ("**What** about `funding`?", "What about funding?"),
        ("## early warning &amp; AI", "early warning & AI"),
        ("<script>alert(1)</script> pillars?", "pillars?"),
        ("<p>doxxing &amp; hate?</p><script>alert('x')", "doxxing & hate?"),
    ],
)
def test_markup_in_a_question_is_set_aside(typed, read):
    assert strip_markup(typed) == read


def test_digit_ordinals_are_spelled_as_communiques_name_meetings():
    assert (
        spell_ordinals("the theme of the 8th capital-level meeting") == "the theme of the Eighth capital-level meeting"
    )
    assert spell_ordinals("the 21st meeting and 3 members") == "the 21st meeting and 3 members"


@pytest.fixture(scope="module")
def speller() -> Speller:
    return Speller([ROME])


def test_a_typo_is_corrected_towards_the_corpus_word(speller):
    assert speller.correct("legal help for survivers") == "legal help for survivors"
    assert speller.correct("recomend finacing") == "recommend financing"


def test_a_run_of_letters_longer_than_any_word_is_left_alone_at_once(speller):
    blob = "x" * 950
    assert speller.correct(f"funding {blob} survivers") == f"funding {blob} survivors"


def test_english_words_and_names_are_no_typos(speller):
    assert speller.correct("armies getting more money") == "armies getting more money"
    assert speller.correct("What about Swedn?") == "What about Swedn?"


def test_an_acronym_the_text_defines_is_spelled_out():
    assert Acronyms([ROME]).expand("pillars of WPS?") == "pillars of WPS (Women, Peace and Security)?"


def test_an_acronym_the_text_never_defines_is_found_by_its_initials():
    acronyms = Acronyms([ROME])
    assert acronyms.expand("what's DDR?") == "what's DDR (disarmament, demobilization and reintegration)?"
    assert "technology-facilitated gender-based violence" in acronyms.expand("and TFGBV?")


def test_a_shouted_question_is_no_string_of_acronyms():
    assert Acronyms([ROME]).expand("WHAT ABOUT FUNDING NOW") == "WHAT ABOUT FUNDING NOW"
