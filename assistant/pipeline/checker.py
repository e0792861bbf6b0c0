"""Every generated sentence checked against the passages it cites, before anything is shown.

A sentence is kept when it carries at least one ``[n]`` of a passage the model was given, one of
those passages supports it, and every number, date, name and quoted phrase it states appears in a
supporting passage (or in that passage's address: document, meeting, place, date, section).

Support of a sentence by a passage = the best, over the passage's sentences of the same polarity
(both negated or neither) and stance (words/stance_words.txt: increase/reduce, welcome/concern,
require, …), of

    w × cosine(sentence, passage sentence) + (1 − w) × IDF-weighted share of the sentence's words
                                                       that the passage sentence contains

with ``w = WPS_CHECK_SIMILARITY_WEIGHT`` and the threshold ``WPS_CHECK_SUPPORT_THRESHOLD``, both
calibrated on the supported/unsupported pairs of ``tests/data/support_pairs.jsonl``
(``bench/calibrate_checker.py`` prints the curve). Instruction-like passage sentences never support.

The answer as a whole falls back to extractive when it cites a passage it was not given, carries no
marker at all, or keeps fewer than ``WPS_CHECK_MIN_KEPT`` of its sentences.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from assistant.pipeline import claims as text
from assistant.pipeline.acronyms import Acronyms
from assistant.pipeline.claims import Claim
from assistant.pipeline.prompt import Passage, date_text, instruction_like
from assistant.pipeline.signals import lexical_coverage
from assistant.pipeline.terms import Terms
from assistant.schema import Check, Sentence
from assistant.settings import Settings

Embed = Callable[[list[str]], list[list[float]]]


@dataclass(frozen=True)
class Support:
    """How well one passage supports one claim, and through which of its sentences."""

    n: int
    sentence: Sentence | None
    score: float
    similarity: float = 0.0
    lexical: float = 0.0


@dataclass
class Verdict:
    """One claim, checked: the passages that support it (best first) or the reason it is removed."""

    claim: Claim
    supports: list[Support] = field(default_factory=list)
    removed: Check | None = None
    notes: list[Check] = field(default_factory=list)  # citations dropped from a kept sentence


@dataclass
class CheckResult:
    kept: list[Verdict]
    removed: list[Check]
    failure: Check | None = None  # set when the answer as a whole must fall back

    @property
    def checks(self) -> list[Check]:
        notes = [n for v in self.kept for n in v.notes]
        return [*self.removed, *notes, *([self.failure] if self.failure else [])]


class SupportScorer:
    """Support of a claim by a passage: embedding similarity and word overlap with its best sentence."""

    def __init__(self, terms: Terms, similarity_weight: float) -> None:
        self.terms = terms
        self.weight = similarity_weight
        self._terms_of: dict[str, set[str]] = {}

    def sentence_terms(self, s: Sentence) -> set[str]:
        key = f"{s.para_key}:{s.start}"
        if key not in self._terms_of:
            self._terms_of[key] = set(self.terms.terms(s.text))
        return self._terms_of[key]

    def score(self, claim: str, embedding: Sequence[float], passage: Passage) -> Support:
        usable = [s for i, s in enumerate(passage.sentences) if i not in passage.withheld]
        if not usable:
            return Support(passage.n, None, 0.0)
        claim_terms = set(self.terms.terms(claim))
        polarity, stance = text.negated(claim), text.stances(claim)
        cosines = np.asarray([s.embedding for s in usable]) @ np.asarray(embedding)
        best = Support(passage.n, None, 0.0)
        for s, cos in zip(usable, cosines, strict=True):
            # "are an option" is no paraphrase of "are not an option", nor "reduce ODA" of "increase ODA"
            if text.negated(s.text) != polarity or not stance <= text.stances(s.text):
                continue
            lex = lexical_coverage(claim_terms, self.sentence_terms(s), self.terms.idf)
            score = self.weight * float(cos) + (1 - self.weight) * lex
            if best.sentence is None or score > best.score:
                best = Support(passage.n, s, score, float(cos), lex)
        return best


class AnswerChecker:
    """Checks a generated answer claim by claim; :meth:`decide` says what may be shown."""

    def __init__(self, settings: Settings, terms: Terms, acronyms: Acronyms, embed: Embed) -> None:
        self.settings = settings
        self.acronyms = acronyms
        self.embed = embed
        self.scorer = SupportScorer(terms, settings.check_similarity_weight)

    def check(self, answer: str, passages: list[Passage], question: str = "") -> CheckResult:
        """The whole answer at once (the non-streaming path, and the benchmark)."""
        claims = text.split_claims(answer)
        embeddings = self.embed([c.plain for c in claims]) if claims else []
        verdicts = [self.verdict(c, e, passages, question) for c, e in zip(claims, embeddings, strict=True)]
        return self.decide(verdicts, passages)

    def verdict(self, claim: Claim, embedding: Sequence[float], passages: list[Passage], question: str = "") -> Verdict:
        """One claim against the passages it cites (streaming checks each as soon as it is complete);
        ``question`` is what the model was asked, whose own counts ("the four pillars") are no invention."""
        given = {p.n: p for p in passages}
        cited = [given[n] for n in claim.markers if n in given]
        if not claim.markers:
            return Verdict(claim, removed=Check.of("no_citation", claim, "it cites no passage"))
        if not cited:
            unknown = ", ".join(f"[{n}]" for n in claim.markers)
            return Verdict(claim, removed=Check.of("unknown_citation", claim, f"it cites {unknown}, not given"))
        if instruction_like(claim.plain):
            return Verdict(claim, removed=Check.of("instruction", claim, "it repeats an instruction, not a passage"))
        threshold = self.settings.check_support_threshold
        scored = sorted((self.scorer.score(claim.plain, embedding, p) for p in cited), key=lambda s: -s.score)
        supports = [s for s in scored if s.score >= threshold]
        # Facts are looked for in the supporting passages, or in every cited one when none supports (an
        # invented name is then the more useful reason to give).
        missing = self.missing_facts(claim.plain, [given[s.n] for s in supports] or cited, question)
        if missing:
            detail = f"it states {', '.join(repr(m) for m in missing)}, which its cited passage does not"
            return Verdict(claim, removed=Check.of("unsupported_fact", claim, detail))
        if not supports:
            cites = ", ".join(f"[{n}]" for n in claim.markers)
            best = scored[0]
            why = (
                f"support {best.score:.2f}, needs {threshold:.2f}"
                if best.sentence is not None
                else "none of its sentences says this with the same polarity and stance"
            )
            detail = f"{cites} does not support it ({why})"
            return Verdict(claim, removed=Check.of("unsupported", claim, detail))
        dropped = [s.n for s in scored if s.score < threshold]
        notes = [
            Check.of("citation_dropped", claim, f"[{n}] does not support it; the marker was removed") for n in dropped
        ]
        return Verdict(claim, supports, notes=notes)

    def missing_facts(self, claim: str, passages: list[Passage], question: str = "") -> list[str]:
        """Numbers, months, names, what it says a thing is, and quoted phrases of the claim that no
        supporting passage states.

        Facts are looked for in the passages' text and their document's title, meeting, place and
        date, never in the paragraph's number or section heading: "¶21" supports no "21 members".
        """
        source = " ".join(f"{p.text} {document_facts(p)}" for p in passages)
        flat = text.normalised(source)
        missing = [
            n
            for n in sorted(text.numbers(claim) - text.numbers(source))
            if not self.count_stands(n, claim, [p.text for p in passages], question)
            and not (n.isdigit() and f"{n}th" in text.numbers(source))  # "10 years" ← "tenth anniversary"
        ]
        missing += sorted(text.months(claim) - text.months(source))
        source_words = text.word_set(source)
        for name in sorted(text.names(claim)):
            if text.normalised(name) in source_words:
                continue
            # "AI" ← "artificial intelligence", when the corpus writes it out
            spelled = self.acronyms.long_form(name) if name.rstrip("s").isupper() else None
            if not (spelled and text.normalised(spelled) in flat):
                missing.append(name)
        passage_terms = {t for p in passages for t in self.scorer.terms.terms(p.text)}
        missing += [w for w in text.classified_as(claim) if not set(self.scorer.terms.terms(w)) <= passage_terms]
        missing += [
            q for q in text.quoted(claim) if any(p and p not in flat for p in map(text.normalised, q.split("…")))
        ]
        return missing

    @staticmethod
    def count_stands(value: str, claim: str, passages: list[str], question: str) -> bool:
        """A count no passage writes as a number, yet not invented: the number of items a passage lists
        after the counted noun ("four pillars" ← "pillars … – A, B, C, and D –"), or, when no passage
        lists them, the items the claim itself lists after it; or a count the question itself states of
        something the passage names and counts no other way."""
        nouns = text.counts(claim).get(value, set())
        for noun in nouns:
            # The passage's own list decides when it has one ("three pillars: A, B and C" against a
            # passage listing four is wrong); else the sentence's list of items the passage states.
            listed = [n for p in passages if (n := text.listed_count(p, noun)) is not None]
            if (listed and int(value) in listed) or (not listed and text.count_is_listed(value, noun, claim)):
                return True
        if value not in text.numbers(question):
            return False
        asked = text.counts(question).get(value, set()) & nouns
        for noun in asked:
            counted = {n for p in passages for n, of in text.counts(p).items() if noun in of}
            named = any(noun in {text.count_noun(w) for w in text.word_set(p)} for p in passages)
            if named and not counted - {value}:
                return True
        return False

    def decide(self, verdicts: list[Verdict], passages: list[Passage]) -> CheckResult:
        """Keep the supported claims; fall back when the answer as a whole cannot be shown."""
        removed = [v.removed for v in verdicts if v.removed]
        kept = [v for v in verdicts if not v.removed]
        result = CheckResult(kept, removed)
        unknown = sorted({n for v in verdicts for n in v.claim.markers if not 1 <= n <= len(passages)})
        if not verdicts:
            result.failure = Check.of("empty", None, "the model's reply was empty")
        elif unknown:
            cited = ", ".join(f"[{n}]" for n in unknown)
            result.failure = Check.of(
                "unknown_citation", None, f"it cited {cited}, but was given {len(passages)} passages"
            )
        elif not any(v.claim.markers for v in verdicts):
            result.failure = Check.of("format", None, "the model's answer carries no [n] citations")
        elif len(kept) < max(1.0, self.settings.check_min_kept * len(verdicts)):
            detail = f"{len(removed)} of its {len(verdicts)} sentences were not supported by their cited passages"
            result.failure = Check.of("unsupported_answer", None, detail)
        return result


def document_facts(passage: Passage) -> str:
    """What the passage's document is (title, meeting, place, date): facts a sentence may state about
    it. Not its section heading or paragraph number, which say where the passage stands, not what."""
    a = passage.address
    return f"{a.title} {a.meeting} {a.place} {date_text(a.date)}"
