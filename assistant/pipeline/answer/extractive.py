"""The extractive answerer (the offline default): quote the sentences that answer, cite each, or abstain.

Nothing is written but the communiqués' own words and a short frame saying where each quote stands.
"""

from __future__ import annotations

from assistant import words
from assistant.index.e5 import E5Model
from assistant.pipeline.answer import evidence, signals
from assistant.pipeline.answer.abstain import AbstentionPolicy
from assistant.pipeline.answer.citations import ScoredSentence, cite, related
from assistant.pipeline.answer.compose import ABSTAIN_TEXT, compose
from assistant.pipeline.answer.crosslingual import SentenceVectors, message
from assistant.pipeline.protocols import AnswerRequest
from assistant.pipeline.terms import Terms
from assistant.schema import Answer, Sentence, para_key
from assistant.settings import Settings

SENTENCE_TERMS_KEPT = 4096


class SentenceScorer:
    """The one place the signals are combined into a sentence's score.

    score = similarity + lexical_weight × lexical coverage
            − answer_type_penalty   (when the sentence lacks the kind of fact asked for)
            − unknown_number_penalty × numbers/units the corpus never states
            − unknown_name_penalty × names the corpus never mentions
            − enumeration_penalty   (a list of names the question neither asks for nor names)
            + name_weight × share of the question's multi-word names the sentence states whole
    """

    def __init__(self, settings: Settings, terms: Terms) -> None:
        self.settings = settings
        self.terms = terms
        self.generic_names = words.load("meeting_words")  # words of a name that points at no one thing
        # The indexed sentences' stems, kept: the same sentences come back question after question.
        self._stems: dict[str, frozenset[str]] = {}

    def _rare(self, word: str) -> bool:
        return self.terms.share(word) <= self.settings.enumeration_name_share

    def sentence_terms(self, text: str) -> frozenset[str]:
        """The sentence's stems (``Terms.terms``), computed once a sentence (the last 4,096 kept)."""
        found = self._stems.get(text)
        if found is None:
            found = frozenset(self.terms.terms(text))
            if len(self._stems) >= SENTENCE_TERMS_KEPT:
                self._stems.clear()  # the cost of one recomputation each, rarely: no LRU bookkeeping
            self._stems[text] = found
        return found

    def score(self, question: str, query_embedding: list[float], sentences: list[Sentence]) -> list[ScoredSentence]:
        if not sentences:
            return []
        s = self.settings
        q_terms = set(self.terms.terms(question))
        numbers, names = signals.unknown_mentions(question, self.terms)
        # A number the corpus never states ("Resolution 2250", "in 2027") names something it cannot
        # speak of; an unknown capitalised word may still be a synonym or a spelling variant.
        unknown = s.unknown_number_penalty * len(numbers) + s.unknown_name_penalty * len(names)
        wants = signals.expected_answer_type(question)
        cosines = signals.similarity(query_embedding, [x.embedding for x in sentences])
        out = []
        for sentence, cos in zip(sentences, cosines, strict=True):
            parts = {
                "similarity": float(cos),
                "lexical": s.lexical_weight
                * signals.lexical_coverage(q_terms, self.sentence_terms(sentence.text), self.terms.idf),
                "answer_type": 0.0 if signals.holds_answer_type(wants, sentence.text) else -s.answer_type_penalty,
                "unknown": -unknown,
                "name": s.name_weight * signals.name_match(question, sentence.text, self.generic_names),
                "enumeration": -s.enumeration_penalty
                if signals.is_unasked_enumeration(question, sentence.text, names_one=self._rare)
                else 0.0,
            }
            out.append(ScoredSentence(sentence, sum(parts.values()), parts))
        return out


class ExtractiveAnswerer:
    """Choose supporting sentences from the retrieved passages and frame them as a cited answer.

    ``vectors`` (e5, when available) score a question asked in a language the documents are not in.
    """

    def __init__(
        self,
        settings: Settings,
        scorer: SentenceScorer,
        policy: AbstentionPolicy,
        vectors: SentenceVectors | None = None,
    ) -> None:
        self.settings = settings
        self.scorer = scorer
        self.policy = policy
        self.vectors = vectors

    @classmethod
    def from_settings(cls, settings: Settings, terms: Terms, e5: E5Model | None = None) -> ExtractiveAnswerer:
        vectors = SentenceVectors(e5) if e5 is not None else None
        return cls(settings, SentenceScorer(settings, terms), AbstentionPolicy.from_settings(settings), vectors)

    def answer(self, request: AnswerRequest) -> Answer:
        common = {"question": request.question, "standalone_question": request.standalone}
        if request.cross_lingual and self.vectors is None:
            return Answer(**common, answer=message(request.language, "unsupported"), abstained=True)
        if request.cross_lingual:
            scored = self._cross_lingual(request)
            margin, note = self.settings.crosslingual_margin, message(request.language, "answer_note") + "\n\n"
        else:
            scored = self.scorer.score(request.query, request.query_embedding, request.sentences)
            margin, note = self.settings.support_margin, ""
        best = max(scored, key=lambda s: s.score, default=None)
        measured = self.confidence_signals(best, request)
        confidence = self.policy.confidence(measured)
        lacks = best is None or bool(measured.get("unknown")) or bool(request.absent_meeting)
        tier = self.policy.tier(confidence, request.force, lacks_specific=lacks)
        if tier == "not_addressed":
            refusal = message(request.language, "abstain") if request.cross_lingual else ABSTAIN_TEXT
            answer = Answer(
                **common,
                answer=refusal,
                tier=tier,
                related=related(request.passages, request.sentences, scored),
                confidence=round(confidence, 4),
                notice=f"No indexed communiqué is of the {request.absent_meeting}, and none mentions it."
                if request.absent_meeting
                else "",
            )
            answer._signals = measured
            return answer
        assert best is not None
        chosen = self.choose(scored, best, request.spread, margin)
        citations = cite(chosen, request.sentences, self.settings.quote_max_words)
        # "Possibly relevant": the same passages, best first, framed as the closest ones, not as the answer.
        frame = note if tier == "answered" else message(request.language or "en", "related_note") + "\n\n"
        answer = Answer(
            **common,
            answer=frame + compose(citations),
            tier=tier,
            citations=citations,
            confidence=round(confidence, 4),
        )
        answer._signals = measured
        return answer

    def _cross_lingual(self, request: AnswerRequest) -> list[ScoredSentence]:
        """Sentences scored by e5 alone: the other signals read English words."""
        assert self.vectors is not None
        cosines = self.vectors.similarities(request.standalone, request.sentences)
        return [ScoredSentence(s, float(c), {"e5": float(c)}) for s, c in zip(request.sentences, cosines, strict=True)]

    def confidence_signals(self, best: ScoredSentence | None, request: AnswerRequest) -> dict[str, float | None]:
        """What the tier model weighs (pipeline/answer/abstain.py): how good the best sentence is, how far the
        best passage stands out (e5), and whether the passage holds what is asked (pipeline/answer/evidence.py)."""
        sims = [s for s in request.e5_similarities if len(s)]
        if request.cross_lingual:
            return {"e5_sentence": best.score if best else None}
        measured: dict[str, float | None] = {
            "best": best.score if best else None,
            "e5_top": max(max(s) for s in sims) if sims else None,
            "e5_z": max((z for s in sims if (z := signals.distinctiveness(s)) is not None), default=None),
        }
        if best is None:
            return measured
        address = best.sentence.address
        keys = [para_key(p.node) for p in request.passages]
        rank = keys.index(best.sentence.para_key) if best.sentence.para_key in keys else len(keys)
        passage = request.passages[rank].node.get_content() if rank < len(keys) else best.sentence.text
        facts = evidence.document_facts(address.title, address.meeting, address.place, address.date)
        terms = self.scorer.terms
        q_terms, p_terms = set(terms.terms(request.query)), terms.terms(f"{passage} {facts}")
        measured |= {
            "fresh_type": evidence.fresh_answer_type(request.query, best.sentence.text),
            "passage_coverage": signals.lexical_coverage(q_terms, p_terms, terms.idf),
            "rarest_missing": evidence.rarest_missing(q_terms, p_terms, terms.idf),
            "best_rank": float(rank),
            # what the question names that the corpus never mentions (a number, a name, an acronym)
            "unknown": float(best.breakdown.get("unknown", 0.0) < 0),
        }
        return measured

    def choose(
        self, scored: list[ScoredSentence], best: ScoredSentence, spread: tuple[str, ...], margin: float
    ) -> list[ScoredSentence]:
        """The best sentence and those within the support margin of it; in a comparison, each
        compared document's best sentence too."""
        floor = best.score - margin
        chosen = sorted((s for s in scored if s.score >= floor), key=lambda s: -s.score)[: self.settings.max_citations]
        for doc_id in spread:
            if not any(s.sentence.address.doc_id == doc_id for s in chosen):
                own = [s for s in scored if s.sentence.address.doc_id == doc_id]
                if own:
                    chosen.append(max(own, key=lambda s: s.score))
        return chosen
