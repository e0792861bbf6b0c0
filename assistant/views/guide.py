"""Document guides: a document's facts (meeting, date, place, co-chairs, theme when stated), its sections
with paragraph counts, and an extractive summary — the most central sentences of each section
(centrality computed at ingest), each cited."""

from __future__ import annotations

import re
from collections import Counter

from pydantic import BaseModel, Field

from assistant.schema import Citation
from assistant.views.table import CorpusTable, Line

# Facts an opening paragraph states, in the forms communiqués use: (label, pattern with a group "value").
_STATED: list[tuple[str, re.Pattern[str]]] = [
    ("Co-chairs", re.compile(r"\bHosted by (?P<value>[^,;]+?) in (?:their|its) capacity as (?:\d{4}\s+)?Co-?Chairs?")),
    ("Co-chairs", re.compile(r"\bco-?chaired by (?P<value>[^,;]+?)(?=[,;.]| as\b| in\b)", re.I)),
    ("Chair", re.compile(r"\bunder the chair(?:man)?ship of (?P<value>[^,;]+?)(?= as\b|[,;.])")),
    ("Host", re.compile(r"\bhosted by (?P<value>[^,;]+?)(?=[,;.]| on\b| in\b)")),
    ("Theme", re.compile(r"\bunder the (?:overarching )?theme:?\s*[\"“‘']+(?P<value>[^\"”’]+?)[,.]?[\"”’]")),
    ("Secretariat", re.compile(r"\bwith (?P<value>[A-Z][\w ]+?) (?:as|serving as) (?:the )?Secretariat\b")),
]
OPENING_PARAGRAPHS = 4  # where a communiqué states who hosted it and under which theme


class GuideFact(BaseModel):
    label: str
    value: str
    citation: Citation | None = Field(None, description="The sentence stating it; none for title-block facts.")


class GuideSection(BaseModel):
    name: str
    paragraphs: int
    commitments: int = Field(0, description="Operative sentences in the section.")
    summary: list[Citation] = Field(default_factory=list, description="Its most central sentences, in order.")


class DocumentGuide(BaseModel):
    doc_id: str
    title: str
    meeting: str
    date: str
    place: str
    file: str
    facts: list[GuideFact]
    sections: list[GuideSection]
    commitment_types: dict[str, int] = Field(default_factory=dict, description="Operative sentences by type.")


class Guides:
    """One guide per indexed document, built on first request from the table (then kept)."""

    def __init__(self, table: CorpusTable, sentences_per_section: int) -> None:
        self.table = table
        self.per_section = sentences_per_section
        self._guides: dict[str, DocumentGuide] = {}

    def guide(self, doc_id: str) -> DocumentGuide | None:
        if doc_id not in self._guides:
            doc = self.table.document(doc_id)
            if doc is None:
                return None
            self._guides[doc_id] = self._build(doc)
        return self._guides[doc_id]

    def _build(self, doc: dict) -> DocumentGuide:
        lines = self.table.by_doc.get(doc["doc_id"], [])
        sections = []
        for s in doc["sections"]:
            own = [x for x in lines if x.address.section == s["name"]]
            central = sorted((x for x in own if x.facts.centrality > 0), key=lambda x: -x.facts.centrality)
            chosen = sorted(central[: self.per_section], key=lambda x: (x.address.paragraph, x.start))
            sections.append(
                GuideSection(
                    name=s["name"],
                    paragraphs=s["paragraphs"],
                    commitments=sum(1 for x in own if x.facts.operative),
                    summary=[self.table.cite(x, n=i + 1, score=x.facts.centrality) for i, x in enumerate(chosen)],
                )
            )
        return DocumentGuide(
            doc_id=doc["doc_id"],
            title=doc["title"],
            meeting=doc.get("meeting") or "",
            date=doc.get("date") or "",
            place=doc.get("place") or "",
            file=doc.get("file") or "",
            facts=self._facts(doc, lines),
            sections=sections,
            commitment_types=dict(Counter(x.facts.operative for x in lines if x.facts.operative)),
        )

    def _facts(self, doc: dict, lines: list[Line]) -> list[GuideFact]:
        facts = [GuideFact(label=k.capitalize(), value=doc[k]) for k in ("meeting", "date", "place") if doc.get(k)]
        labels = set()
        for line in lines:
            if line.address.paragraph > OPENING_PARAGRAPHS:
                break
            for label, pattern in _STATED:
                match = pattern.search(line.text)
                if match and label not in labels and not (label == "Host" and "Co-chairs" in labels):
                    labels.add(label)
                    value = match.group("value").strip()
                    facts.append(GuideFact(label=label, value=value, citation=self.table.cite(line)))
        return facts


class IntroLine(BaseModel):
    topic: str = Field(description="What the line introduces: 'The Network', 'Resolution 1325', 'The four pillars'.")
    citation: Citation = Field(description="The corpus sentence that says it (the quote), with its paragraph.")


# A trainee's first three questions, each answered by one sentence of the corpus: (topic, what the
# sentence must say, what makes it a better introduction). The best scoring sentence is quoted.
_INTRO: list[tuple[str, list[re.Pattern[str]], list[re.Pattern[str]]]] = [
    (
        "The Network",
        [re.compile(r"\bNetwork\b")],
        [re.compile(p, re.I) for p in (r"\blaunch", r"\bmembers\b", r"\bestablished\b", r"\bMember States\b")],
    ),
    (
        "Resolution 1325",
        [re.compile(r"\b1325\b")],
        [re.compile(p, re.I) for p in (r"\(2000\)", r"Security Council", r"women, peace and security", r"adopt")],
    ),
    (
        "The four pillars",
        [re.compile(r"\bpillars?\b", re.I)],
        [re.compile(p, re.I) for p in (r"\bparticipation\b", r"\bprotection\b", r"\bprevention\b", r"relief")],
    ),
]


def introduction(table: CorpusTable) -> list[IntroLine]:
    """What the agenda is, from the indexed texts: one cited sentence per topic the corpus speaks to
    (a topic no sentence speaks to is left out, never written by the app)."""
    lines = []
    for topic, required, preferred in _INTRO:
        scored = [
            (sum(bool(p.search(line.text)) for p in preferred) - len(line.text.split()) / 100, -i, line)
            for i, line in enumerate(table.lines)  # date order: the earlier wins a tie
            if all(p.search(line.text) for p in required)
        ]
        if scored:
            best = max(scored, key=lambda s: s[:2])[2]
            lines.append(IntroLine(topic=topic, citation=table.cite(best)))
    return lines
