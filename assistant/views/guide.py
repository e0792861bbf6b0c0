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
