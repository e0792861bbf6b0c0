"""Ways in, made from the indexed documents: example questions per theme (their sections and
commitments, the terms they use) and a "Start here" tour walking the pillars with one commitment each.

Nothing here is written for one communiqué: the themes are the corpus's own sections (or, in a document
without pillar headings, the pillars its commitments belong to), the topics its glossary terms.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from pydantic import BaseModel, Field

from assistant.ingest.pillars import pillars
from assistant.views.commitments import Commitment, CommitmentTracker
from assistant.views.glossary import Glossary, GlossaryEntry, find_term
from assistant.views.guide import Guides
from assistant.views.table import OPENING_SECTIONS, CorpusTable

PER_THEME = 2


class TourStep(BaseModel):
    theme: str = Field(description="A pillar (or another theme of the communiqués).")
    pillar: bool = Field(description="Whether the theme is one of the WPS pillars.")
    commitment: Commitment
    question: str = Field(description="A question to ask next in the chat.")


class Tour(BaseModel):
    steps: list[TourStep]


class Examples:
    def __init__(self, table: CorpusTable, tracker: CommitmentTracker, glossary: Glossary, guides: Guides) -> None:
        self.table = table
        self.guides = guides
        # A term every document names in its opening paragraph (the agenda's own name) is context, not a topic.
        openings = [table.by_doc[d["doc_id"]][:3] for d in table.documents if table.by_doc.get(d["doc_id"])]
        self.terms = [
            e
            for e in glossary.entries
            if e.kind in ("term", "acronym")
            and not (openings and all(any(find_term(e, x.text) for x in lines) for lines in openings))
        ]
        self.acronyms = [e for e in glossary.entries if e.kind == "acronym"]
        themes: dict[str, list[Commitment]] = {}
        for c in tracker.rows:
            theme = c.pillar if c.section.lower() in OPENING_SECTIONS else c.section
            if theme:
                themes.setdefault(theme, []).append(c)
        # The pillars in the agenda's order, then the other themes in order of first appearance.
        order = {p: i for i, p in enumerate(pillars())}
        self.themes = dict(sorted(themes.items(), key=lambda kv: order.get(kv[0], len(order))))
        self._questions: dict[str, list[str]] | None = None
        self._tour: Tour | None = None
        self._offers: Callable[[str], bool] = lambda question: True

    def offer_only(self, answered: Callable[[str], bool]) -> None:
        """Offer only the questions ``answered`` accepts: the ones the assistant answers in its top tier
        (pipeline/factory.py wires it), since an example answered "possibly relevant" misleads a newcomer."""
        self._offers = answered
        self._questions = self._tour = None

    def _topic(self, rows: list[Commitment], taken: set[str]) -> GlossaryEntry | None:
        """The glossary term most typical of these commitments that no other theme was given.

        Typical: used often here and little elsewhere (uses here² / uses in the corpus), so that
        "Women, Peace and Security", which every paragraph names, is nobody's topic.
        """
        entries = {e.term: e for e in self.terms}
        counts = Counter(e.term for e in self.terms for c in rows if e.term not in taken and find_term(e, c.sentence))
        if not counts:
            return None
        return entries[max(counts, key=lambda t: (counts[t] ** 2 / entries[t].mentions, len(t)))]

    def questions(self) -> dict[str, list[str]]:
        """Example questions, grouped: the meetings first, then one group per theme (made once)."""
        if self._questions is None:
            self._questions = self._make_questions()
        return self._questions

    def _make_questions(self) -> dict[str, list[str]]:
        several = len(self.table.documents) > 1
        latest = self.table.documents[-1] if self.table.documents else None
        meeting: list[str] = []
        if latest and latest.get("meeting"):
            meeting.append(f"Where and when was the {latest['meeting']} held?")
            facts = self.guides.guide(latest["doc_id"])
            stated = {f.label for f in facts.facts} if facts else set()
            if "Co-chairs" in stated:
                meeting.append(f"Who were the co-chairs of the {latest['meeting']}?")
            elif stated & {"Host", "Chair"}:
                meeting.append(f"Who chaired the {latest['meeting']}?")
        if self.acronyms:
            most_used = max(self.acronyms, key=lambda e: (e.mentions, e.term))
            meeting.append(f"What does {most_used.term} stand for?")
        groups = {"The meetings" if several else "The meeting": meeting}
        taken: set[str] = set()
        shared = [e for e in self.terms if len(e.documents) > 1 and e.kind == "term"]
        if several and shared:
            first, last = self.table.documents[0], self.table.documents[-1]
            topic = _phrase(max(shared, key=lambda e: (len(e.documents), e.mentions)))
            if first.get("date") and last.get("date"):
                years = f"between {first['date'][:4]} and {last['date'][:4]}"
                meeting.append(f"How did the Network's language on {topic} change {years}?")
        where = "do the communiqués" if several else "does the communiqué"
        for theme, rows in self.themes.items():
            asked = []
            for _ in range(PER_THEME):
                entry = self._topic(rows, taken)
                if entry is None:
                    break
                taken.add(entry.term)
                asked.append(f"What {where} recommend on {_phrase(entry)}?")
            groups[theme] = asked or [f"What {where} recommend on {theme.lower()}?"]
        return {k: kept for k, v in groups.items() if (kept := [q for q in v if self._offers(q)])}

    def tour(self) -> Tour:
        """One step per pillar (then per other theme): its most central commitment, latest meeting first."""
        if self._tour is None:
            self._tour = self._make_tour()
        return self._tour

    def _make_tour(self) -> Tour:
        steps: list[TourStep] = []
        taken: set[str] = set()
        order = pillars() + [t for t in self.themes if t not in pillars()]
        where = "do the communiqués" if len(self.table.documents) > 1 else "does the communiqué"
        for theme in order:
            rows = self.themes.get(theme) or []
            if not rows:
                continue
            best = max(rows, key=lambda c: (c.date, self._centrality(c)))
            entry = self._topic(rows, taken)
            if entry is not None:
                taken.add(entry.term)
            topic = _phrase(entry) if entry else theme.lower()
            steps.append(
                TourStep(
                    theme=theme,
                    pillar=theme in pillars(),
                    commitment=best,
                    question=f"What {where} recommend on {topic}?",
                )
            )
        # A step whose topic question the assistant would only half answer asks about the step's own
        # commitment instead: pointing at its paragraph is always answered, and every pillar keeps its step.
        kept = [s if self._offers(s.question) else s.model_copy(update={"question": _pointed(s)}) for s in steps]
        return Tour(steps=kept)

    def _centrality(self, c: Commitment) -> float:
        line = self.table.line(c.id)
        return line.facts.centrality if line else 0.0


def _pointed(step: TourStep) -> str:
    """ "What does paragraph 13 of the Rome 2026 communiqué say?": the step's commitment, asked by its place."""
    c = step.commitment
    return f"What does paragraph {c.paragraph} of the {c.meeting} communiqué say?"


def _phrase(entry: GlossaryEntry) -> str:
    """How a question names a term: an acronym by its words ("National Action Plans")."""
    return entry.expansion if entry.kind == "acronym" and entry.expansion else entry.term
