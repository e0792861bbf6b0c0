"""The one language detector (``assistant.language``): function words decide, or nothing does."""

from __future__ import annotations

import pytest

from assistant.language import detect

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("What are the four pillars of WPS?", "en"),
        ("What about Sweden?", "en"),
        ("Quelles sont les recommandations sur la prévention ?", "fr"),
        ("Qu'est-ce que le réseau recommande pour l'alerte précoce ?", "fr"),
        ("¿Cuántos miembros tiene la red?", "es"),
        ("Che cosa dice il comunicato sulla prevenzione?", "it"),
        ("Wie viele Mitglieder hat das Netzwerk?", "de"),
        ("Nous recommandons que les systèmes d'alerte précoce enregistrent les menaces.", "fr"),
        ("Совет Безопасности", "ru"),
    ],
)
def test_a_text_with_function_words_gets_its_language(text, lang):
    assert detect(text) == lang


@pytest.mark.parametrize("text", ["Nairobi, Kenya", "A/80/512–S/2025/633", "UN Women", "9-10 June 2026", ""])
def test_a_text_without_function_words_has_no_language(text):
    assert detect(text) is None


def test_detection_is_deterministic():
    text = "Participation des femmes et protection des défenseures"
    assert len({detect(text) for _ in range(20)}) == 1
