"""Hypothesis strategies for fuzzing the question path: questions, histories and filters as users —
and clients that are not users — might send them (lone surrogates, control characters, right-to-left
marks, oversized text, real questions with noise spliced in, JSON of the wrong shape)."""

from __future__ import annotations

from hypothesis import strategies as st

from tests.conftest import EARLY_WARNING, FOUR_PILLARS, ROME_SECTIONS

REAL = [
    FOUR_PILLARS,
    EARLY_WARNING,
    "and what about funding for it?",
    "What does paragraph 13 say?",
    "What did the 2026 meeting recommend on women mediators?",
    "Where and when was the meeting held?",
    "How did the 2022 and 2026 meetings differ on ODA targets?",
    "Who was the Secretariat there?",
    "¶999",
    "Why?",
]

# Any code point, lone surrogates and control characters included (st.characters() leaves surrogates out).
CHARACTERS = st.one_of(
    st.characters(),
    st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
    st.sampled_from(list("\x00\x07\x1b\x7f\u200b\u202e\ufeff\uffff\n\t ")),
)


@st.composite
def spliced(draw: st.DrawFn) -> str:
    """A real question with random text put in somewhere."""
    text = draw(st.sampled_from(REAL))
    at = draw(st.integers(0, len(text)))
    return text[:at] + draw(st.text(CHARACTERS, max_size=20)) + text[at:]


QUESTIONS = st.one_of(
    st.sampled_from(REAL),
    spliced(),
    st.text(CHARACTERS, max_size=60),
    st.text(CHARACTERS, min_size=990, max_size=1010),  # either side of the 1,000-character limit
)
HISTORIES = st.lists(QUESTIONS, max_size=14)
DOC_IDS = st.lists(
    st.one_of(
        st.just("2026-06-10_rome_eighth-capital-level-meeting_joint-communique"), st.text(CHARACTERS, max_size=30)
    ),
    max_size=4,
)
SECTIONS = st.lists(st.one_of(st.sampled_from(ROME_SECTIONS), st.text(CHARACTERS, max_size=30)), max_size=4)

# JSON of any shape, for fields sent with the wrong type.
ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(CHARACTERS, max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)
ASK_BODIES = st.fixed_dictionaries(
    {"question": st.one_of(QUESTIONS, ANY_JSON)},
    optional={
        "history": st.one_of(HISTORIES, ANY_JSON),
        "doc_ids": st.one_of(DOC_IDS, ANY_JSON),
        "sections": st.one_of(SECTIONS, ANY_JSON),
        "extra": ANY_JSON,
    },
)
