"""The chat's view of a language model's answer while it is written: each sentence marked once checked."""

from __future__ import annotations

import pytest

from assistant.schema import SentenceCheck
from assistant.web.render import streaming_html

pytestmark = pytest.mark.unit

KEPT = "States should increase ODA [1]."
REMOVED = "The Network has 500 members [2]."
SOURCE = "Rome 2026, Prevention, ¶13"


def kept(index: int, sentence: str) -> SentenceCheck:
    return SentenceCheck(index=index, sentence=sentence, kept=True, citations=[1], sources=[SOURCE])


def removed(index: int, sentence: str) -> SentenceCheck:
    detail = "it states '500', which its cited passage does not"
    return SentenceCheck(
        index=index, sentence=sentence, kept=False, citations=[2], kind="unsupported_fact", detail=detail
    )


def test_a_kept_sentence_shows_a_tick_and_where_its_source_stands():
    html = streaming_html(KEPT, {0: kept(0, KEPT)})
    assert 'class="sentence sentence-kept"' in html and f"✓ {SOURCE}" in html
    assert '<sup class="cite">[1]</sup>' in html


def test_a_removed_sentence_is_struck_through_with_the_reason_on_hover():
    html = streaming_html(f"{KEPT} {REMOVED}", {0: kept(0, KEPT), 1: removed(1, REMOVED)})
    assert "<del>The Network has 500 members" in html and "✗ removed" in html
    assert 'title="Removed: it states &#x27;500&#x27;, which its cited passage does not"' in html


def test_a_sentence_not_checked_yet_is_shown_as_written_without_a_mark():
    html = streaming_html(f"{KEPT} The Network has", {0: kept(0, KEPT)})
    assert html.count("check-mark") == 1 and '<span class="sentence">The Network has</span>' in html
    assert 'class="checking"' in html  # the reader is told the checking goes on


def test_a_check_of_a_sentence_that_has_since_changed_is_not_shown_on_it():
    html = streaming_html("States should increase ODA [1] for women's groups.", {0: kept(0, KEPT)})
    assert "check-mark" not in html


def test_paragraphs_of_the_reply_stay_paragraphs_and_text_is_escaped():
    html = streaming_html(f"{KEPT}\n\n<b>bold</b> claim [2].", {})
    assert html.count('<p class="streaming-text">') == 2 and "&lt;b&gt;bold&lt;/b&gt;" in html


def test_before_any_text_the_stream_shows_an_empty_answer_being_written():
    assert streaming_html("").startswith('<p class="streaming-text"></p><p class="checking">')
