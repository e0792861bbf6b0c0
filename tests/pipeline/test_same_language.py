"""A bilingual communiqué answers in the language of the question (the real model and a real Chroma).

The last case fails without the ``same_language`` post-processor (``WPS_POSTPROCESSORS`` without it):
the retrieval alone cites the English paragraph.
"""

from __future__ import annotations

import shutil

import pytest

from assistant.pipeline.factory import build_assistant
from assistant.settings import Settings
from tests import layouts

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def bilingual(tmp_path_factory, embed_model):
    base = tmp_path_factory.mktemp("bilingual")
    (base / "corpus").mkdir()
    shutil.copy(layouts.DATA / "layout-bilingual.txt", base / "corpus")
    settings = Settings(corpus_dir=base / "corpus", index_dir=base / "index")
    built, _ = build_assistant(settings, ingest=True, embed_model=embed_model)
    return built


def _first_language(assistant, question: str) -> str:
    answer = assistant.ask(question)
    assert answer.citations, answer.answer  # in any tier: which language's passage comes first
    first = answer.citations[0]
    [paragraph] = [p for p in assistant.paragraphs(first.doc_id) if p["paragraph"] == first.paragraph]
    return paragraph["language"]


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("Que recommande le communiqué sur les systèmes d'alerte précoce ?", "fr"),
        ("What does the communiqué recommend on early warning systems?", "en"),
        ("Qui finance les déplacements des femmes de la société civile ?", "fr"),
        ("Who pays for the travel of women from civil society?", "en"),
        # English words in a French question pull towards the English text; the French one is cited.
        ("Quelles recommandations sur la participation of women in peace negotiation ?", "fr"),
    ],
)
def test_the_first_citation_is_in_the_language_of_the_question(bilingual, question, language):
    assert _first_language(bilingual, question) == language
