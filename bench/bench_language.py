"""Language detection: the project's function-word detector (``assistant.language``) against langdetect.

Labelled samples: questions of 2–12 words as users type them (English, French, Spanish, Italian,
German; with names, acronyms and typos), the short title and date lines of communiqués, and the
paragraphs of the shipped and test corpora and of the bilingual layout fixture (English and French,
labelled by hand in ``tests/layouts.py``). Printed per group and detector:
right, wrong (another language), unknown (``None``), and microseconds per text. A wrong answer is the
costly one (the ``same_language`` step would then prefer the wrong paragraphs); unknown changes
nothing.

    .venv/bin/python bench/bench_language.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.language import detect  # noqa: E402

QUESTIONS = {
    "en": [
        "What are the four pillars of WPS?",
        "What about Sweden?",
        "and in 2019?",
        "who is supposed to do that?",
        "is that binding?",
        "How big is the network now?",
        "what did they say on funding for women peacebuilders",
        "Summarize the Prevention section",
        "which countries hosted the meeting",
        "what does the communique say about early warning and AI",
        "Tell me about the Nairobi meeting",
        "how many members does the network have",
        "wat did members agree on online violence",
        "Who chairs the network in 2026?",
        "What is a NAP?",
    ],
    "fr": [
        "Quelles sont les recommandations sur la prévention ?",
        "Que dit le communiqué sur le financement des organisations de femmes ?",
        "Combien de membres compte le réseau ?",
        "Qui a accueilli la réunion de Rome ?",
        "Et pour la protection des défenseures ?",
        "Qu'est-ce que le réseau recommande pour les plans d'action nationaux ?",
        "Où se tiendra la prochaine réunion ?",
        "Résume la section sur la participation",
        "Quel est le rôle de ONU Femmes ?",
        "que dit le texte sur l'alerte précoce",
    ],
    "es": [
        "¿Qué dice el comunicado sobre la prevención?",
        "¿Cuántos miembros tiene la red?",
        "¿Quién presidió la reunión de Santiago?",
        "¿Cuáles son las recomendaciones sobre las mujeres mediadoras?",
        "Qué se acordó sobre la financiación de los planes de acción nacionales",
        "y en la reunión de 2024?",
    ],
    "it": [
        "Che cosa dice il comunicato sulla prevenzione?",
        "Quanti sono i membri della rete?",
        "Quali sono le raccomandazioni per le donne mediatrici?",
    ],
    "de": [
        "Was sagt das Kommuniqué über die Prävention?",
        "Wie viele Mitglieder hat das Netzwerk?",
    ],
}

# Written after the function-word lists were settled, to check they were not fitted to QUESTIONS.
HELD_OUT = {
    "en": [
        "Which members pledged money for mediators?",
        "Tell me what was agreed in Santiago",
        "How often does the Network meet?",
        "Is there a target for ODA?",
        "What did the chair announce?",
        "summarise protection recommendations",
        "who hosts next year",
        "Does it mention climate change?",
    ],
    "fr": [
        "Quels pays ont accueilli la réunion ?",
        "Y a-t-il un objectif chiffré pour l’aide publique ?",
        "Résumez les recommandations sur la protection",
        "Le réseau compte combien de membres ?",
        "Que propose-t-on pour les jeunes femmes ?",
        "Quand aura lieu la prochaine réunion ?",
    ],
    "es": [
        "¿Qué se dice sobre el cambio climático?",
        "Resume las recomendaciones sobre protección",
        "¿Dónde será la próxima reunión?",
        "¿Hay una meta para la ayuda oficial al desarrollo?",
    ],
    "it": ["Dove si terrà la prossima riunione?", "Che cosa si dice sul cambiamento climatico?"],
    "de": ["Was wurde über den Klimawandel gesagt?"],
}

TITLE_LINES = {
    "en": [
        "Joint Communiqué of the Eighth Capital-Level Meeting",
        "Chair's Summary of the Third Ministerial Meeting",
        "Letter dated 17 October 2025 from the Permanent Representatives addressed to the Secretary-General",
    ],
    "fr": [
        "Communiqué conjoint de la huitième réunion au niveau des capitales",
        "Lettre datée du 17 octobre 2025 adressée au Secrétaire général",
    ],
}
# Lines with no language of their own: the right answer is None (or any, harmlessly).
NEUTRAL = ["9-10 June 2026 | Rome, Italy", "A/80/512–S/2025/633", "25-18342 (E)", "Nairobi, Kenya", "UN Women"]


def corpus_paragraphs() -> dict[str, list[str]]:
    from assistant.ingest.parse import parse_file

    out: dict[str, list[str]] = {"en": []}
    for path in [*sorted((ROOT / "corpus").iterdir()), *sorted((ROOT / "tests/data/corpus").iterdir())]:
        out["en"] += [p.text for p in parse_file(path).paragraphs]
    from tests.layouts import DATA, LAYOUTS

    [bilingual] = [layout for layout in LAYOUTS if layout.name == "layout-bilingual.txt"]
    doc = parse_file(DATA / bilingual.name)
    for paragraph, lang in zip(doc.paragraphs, bilingual.languages, strict=True):  # labelled by hand
        out.setdefault(lang, []).append(paragraph.text)
    return out


def langdetect_detector():
    from langdetect import DetectorFactory, detect_langs

    DetectorFactory.seed = 0  # langdetect samples at random; seeded, it is at least repeatable

    def run(text: str) -> str | None:
        try:
            best = detect_langs(text)[0]
        except Exception:  # LangDetectException on texts without letters
            return None
        return best.lang if best.prob >= 0.8 else None

    return run


def score(detector, labelled: dict[str, list[str]]) -> tuple[int, int, int, float, list[str]]:
    right = wrong = unknown = 0
    misses: list[str] = []
    started = time.perf_counter()
    count = 0
    for lang, texts in labelled.items():
        for text in texts:
            count += 1
            got = detector(text)
            if got == lang:
                right += 1
            elif got is None:
                unknown += 1
            else:
                wrong += 1
                misses.append(f"{got}≠{lang}: {text[:60]}")
    micros = (time.perf_counter() - started) / max(count, 1) * 1e6
    return right, wrong, unknown, micros, misses


def main() -> None:
    detectors = {"function words": detect}
    try:
        started = time.perf_counter()
        ld = langdetect_detector()
        ld("warm up the profiles")
        print(f"langdetect: profiles loaded in {time.perf_counter() - started:.2f} s")
        detectors["langdetect (p≥0.8)"] = ld
    except ImportError:
        print("langdetect not installed: only the function-word detector is measured")
    groups = {
        "questions": QUESTIONS,
        "held-out q.": HELD_OUT,
        "title lines": TITLE_LINES,
        "paragraphs": corpus_paragraphs(),
    }
    print(f"{'group':12} {'detector':20} {'n':>4} {'right':>6} {'wrong':>6} {'unknown':>8} {'µs/text':>8}")
    for group, labelled in groups.items():
        n = sum(len(v) for v in labelled.values())
        for name, detector in detectors.items():
            right, wrong, unknown, micros, misses = score(detector, labelled)
            print(f"{group:12} {name:20} {n:>4} {right:>6} {wrong:>6} {unknown:>8} {micros:>8.0f}")
            for miss in misses[:6]:
                print(f"{'':34}{miss}")
    for name, detector in detectors.items():
        print(f"neutral lines, {name}: " + ", ".join(f"{t!r}→{detector(t)}" for t in NEUTRAL))


if __name__ == "__main__":
    main()
