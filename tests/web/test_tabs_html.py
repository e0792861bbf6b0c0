"""The views' HTML: corpus text is always shown as text, never as markup (no model, no browser)."""

from __future__ import annotations

import pytest

from assistant.schema import Address, Citation
from assistant.views.briefing import NoteItem
from assistant.views.glossary import Glossary
from assistant.web.render import mark_terms
from assistant.web.tabs.common import card
from assistant.web.tabs.glossary import EXCERPT_WORDS, definition_html, entry_html
from assistant.web.tabs.note import note_html
from tests.views.tables import four

pytestmark = pytest.mark.unit

HOSTILE = '<img src=x onerror="alert(1)"> & <script>x()</script>'


def citation(text: str) -> Citation:
    address = Address("d<1>", "T<i>tle", "M", "2026-01-01", "P", "S<b>", 1, "", 0, len(text))
    return Citation.at(1, address, text, text[:10], 0, 1.0, {})


def test_a_card_escapes_the_paragraph_its_address_and_its_key():
    html = card(citation(HOSTILE + " rest"), "summary", key='k"><script>')
    assert "<img" not in html and "<script>" not in html and "&lt;img" in html
    assert 'data-key="k&quot;&gt;&lt;script&gt;"' in html


def test_the_note_escapes_headings_and_text():
    html = note_html("<b>Title</b>", [NoteItem(heading=HOSTILE, text=HOSTILE, citations=[citation("plain text")])])
    assert "<img" not in html and "<script>" not in html and "&lt;b&gt;Title" in html


def test_glossary_terms_are_marked_and_the_rest_escaped():
    html = mark_terms("NAPs <b>and</b> WPS, not NAPKIN", {"NAP": "National Action Plans", "WPS": 'W"P<S'})
    assert html.count("<abbr") == 2 and "&lt;b&gt;" in html and "NAPKIN" in html
    assert 'title="W&quot;P&lt;S"' in html


def test_a_glossary_entry_shows_its_definition_or_says_it_has_none_as_the_api_does():
    glossary = Glossary(four())
    nap, mediators = glossary.lookup("NAP"), glossary.lookup("women mediators")
    html = entry_html(nap)
    assert '<blockquote class="definition">' in html and "<mark>National Action Plans (NAPs)</mark>" in html
    assert nap.definition_note in html and "no-definition" not in html
    html = entry_html(mediators)
    assert "<blockquote" not in html
    assert f'<p class="no-definition">{mediators.definition_note}.</p>' in html
    assert mediators.definition_note.startswith("Not defined in the communiqués; first mentioned in the New York")


def test_a_long_defining_sentence_is_cut_to_the_words_around_the_term():
    au = Glossary(four()).lookup("AU")  # the Rome member list, some 300 words
    html = definition_html(au)
    assert "<mark>African Union (AU)</mark>" in html and html.startswith("… ") and html.endswith(" …")
    assert len(html.split()) <= 2 * EXCERPT_WORDS + 8 < len(au.definition.quote.split())
