"""Every generated sentence checked against the passages it cites, before anything is shown.

A sentence is kept when it carries at least one ``[n]`` of a passage the model was given, one of
those passages supports it, and every number, date, name and quoted phrase it states appears in a
supporting passage (or in that passage's document: title, meeting, place, date).

Support of a sentence by a passage is the probability of a fitted logistic model
(:mod:`assistant.pipeline.llm.support`, weights in assistant/pipeline/fitted/support.json, refitted by
bench/fit_support.py) over named features: MiniLM cosine to the passage's closest clause, what the
sentence adds beyond the passage's words, negation and modality differing, whether it says what a thing
is in words the passage never uses, and the hand-set overlap score below as one feature among them:

    w × cosine(sentence, passage sentence) + (1 − w) × IDF-weighted share of the sentence's words
                                                       that the passage sentence contains

(best over the passage's sentences of the same polarity and stance, ``w = WPS_CHECK_SIMILARITY_WEIGHT``).
A passage supports the sentence from ``WPS_CHECK_SUPPORT_PROBABILITY``, chosen so that no unsupported
written pair of the fitting half passes. Instruction-like passage sentences never support.

The answer as a whole falls back to extractive when it cites a passage it was not given, carries no
marker at all, or keeps fewer than ``WPS_CHECK_MIN_KEPT`` of its sentences.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from assistant import words
from assistant.pipeline.answer.signals import lexical_coverage
from assistant.pipeline.llm import claims as text
from assistant.pipeline.llm import support as features
from assistant.pipeline.llm.claims import Claim
from assistant.pipeline.llm.prompt import Passage, date_text, instruction_like
from assistant.pipeline.llm.support import SupportModel
from assistant.pipeline.plan.acronyms import Acronyms
from assistant.pipeline.terms import Terms, lemma
from assistant.schema import Check, Sentence
from assistant.settings import Settings

Embed = Callable[[list[str]], list[list[float]]]


@dataclass(frozen=True)
class Support:
    """How well one passage supports one claim, and through which of its sentences."""

    n: int
    sentence: Sentence | None
    score: float  # the support model's probability (the hand-set overlap score for SupportScorer.score)
    similarity: float = 0.0
    lexical: float = 0.0
    features: dict[str, float] = field(default_factory=dict)


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

    def passage_terms(self, passage: Passage) -> set[str]:
        """The stems of the passage's usable sentences and of its document's facts."""
        key = f"{passage.address.para_key}:{sorted(passage.withheld)}"
        if key not in self._terms_of:
            usable = " ".join(s.text for i, s in enumerate(passage.sentences) if i not in passage.withheld)
            self._terms_of[key] = set(self.terms.terms(f"{usable} {document_facts(passage)}"))
        return self._terms_of[key]

    def features(
        self,
        claim: str,
        embedding: Sequence[float],
        passage: Passage,
        question: str = "",
        e5_claim: Sequence[float] | None = None,
        e5_units: np.ndarray | None = None,
    ) -> tuple[Support, dict[str, float]]:
        """The hand-set support (its best sentence) and the support model's features of ``claim`` against
        ``passage`` (:mod:`assistant.pipeline.llm.support`). Words the question itself uses add nothing, nor
        do words saying who says it ("the communiqué *notes*", words/reporting_verbs.txt), nor numbers,
        which the facts' veto checks as numbers ("8th" for "Eighth")."""
        hand = self.score(claim, embedding, passage)
        usable = [s for i, s in enumerate(passage.sentences) if i not in passage.withheld]
        cosine, at = features.best_cosine(embedding, np.asarray([s.embedding for s in usable]))
        closest = usable[at].text if at >= 0 else ""
        body = " ".join(s.text for s in usable)
        passage_terms = self.passage_terms(passage)
        said = " ".join(w for w in re.findall(r"[A-Za-z]+", claim) if w.lower() in words.load("reporting_verbs"))
        claim_terms = {
            t
            for t in set(self.terms.terms(claim)) - set(self.terms.terms(f"{question} {said}"))
            if not any(c.isdigit() for c in t) and text.spoken_number(t) is None  # numbers: the facts' veto
        }
        # what the passage says in another form or words ("grew" for "growth") is not added either
        known = passage_terms | features.said_otherwise(claim, body, lemma, self.terms.terms)
        values = {
            "minilm_clause": cosine,
            "overlap": hand.score,
            "added_share": features.added_share(claim_terms, known, self.terms.idf),
            "added_words": features.added_words(claim_terms, known),
            "negation_differs": features.negation_differs(claim, closest),
            "stance_differs": features.stance_differs(
                claim, features.closest_clause(set(self.terms.terms(claim)), (s.text for s in usable), self.terms.terms)
            ),
            # against the sentence sharing its words and stance (the closest in meaning when none does):
            # "financing has been secured" is compared with "we recommend dedicated financing"
            "modality_added": features.modality_added(claim, hand.sentence.text if hand.sentence else closest),
            "definition": features.definition(claim),
            "definition_unsupported": features.definition_unsupported(claim, body, self.terms.terms),
            "facts_found": features.facts_found(claim, f"{body} {document_facts(passage)}"),
        }
        if e5_claim is not None and e5_units is not None:  # measured for the fit's ablation (bench/fit_support.py)
            values["e5_clause"] = features.best_cosine(e5_claim, e5_units)[0]
        return hand, values


class AnswerChecker:
    """Checks a generated answer claim by claim; :meth:`decide` says what may be shown."""

    def __init__(
        self, settings: Settings, terms: Terms, acronyms: Acronyms, embed: Embed, model: SupportModel | None = None
    ) -> None:
        self.settings = settings
        self.acronyms = acronyms
        self.embed = embed
        self.scorer = SupportScorer(terms, settings.check_similarity_weight)
        self.model = model or SupportModel(settings.check_support_weights, settings.check_support_probability)
        lemma("was")  # loads the lemmatiser's table now, not while the first answer is checked

    def support(self, claim: str, embedding: Sequence[float], passage: Passage, question: str = "") -> Support:
        """How well ``passage`` supports ``claim``: the support model's probability, with the passage
        sentence that supports it best."""
        hand, values = self.scorer.features(claim, embedding, passage, question)
        # a passage none of whose sentences has the claim's polarity and stance never supports it
        p = self.model.probability(values) if hand.sentence is not None else 0.0
        return Support(passage.n, hand.sentence, p, hand.similarity, hand.lexical, values)

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
        threshold = self.model.threshold
        scored = sorted((self.support(claim.plain, embedding, p, question) for p in cited), key=lambda s: -s.score)
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
            why = "; ".join(
                [f"support {best.score:.2f}, needs {threshold:.2f}", *features.reasons(best.features)]
                if best.sentence is not None
                else ["none of its sentences says this with the same polarity and stance"]
            )
            detail = f"{cites} does not support it ({why})"
            return Verdict(claim, removed=Check.of("unsupported", claim, detail))
        dropped = [s.n for s in scored if s.score < threshold]
        notes = [
            Check.of("citation_dropped", claim, f"[{n}] does not support it; the marker was removed") for n in dropped
        ]
        return Verdict(claim, supports, notes=notes)

    def missing_facts(self, claim: str, passages: list[Passage], question: str = "") -> list[str]:
        """Numbers, months, names and quoted phrases of the claim that no supporting passage states.

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
