"""The commitments tracker: every operative sentence, filtered by meeting, section, pillar, type,
addressee and words, in meeting-date order, exportable as CSV and JSON Lines."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import BaseModel, Field

from assistant.ingest.operative import TYPES
from assistant.ingest.pillars import pillars
from assistant.schema import Citation
from assistant.views.table import CorpusTable, Line

CSV_COLUMNS = ("date", "meeting", "section", "paragraph", "type", "addressees", "pillar", "sentence", "doc_id", "id")


class Commitment(BaseModel):
    """One operative sentence: what it does, to whom, where; its citation quotes it in its paragraph."""

    id: str = Field(description="Stable id of the sentence: paragraph and offset.")
    type: str = Field(description="recommend, call, commit, encourage, welcome, support or concern.")
    addressees: list[str] = Field(default_factory=list, description="Who it addresses, when the sentence says.")
    pillar: str = Field("", description="The WPS pillar (the section's when it is named after one).")
    meeting: str = Field(description="The meeting, short: 'Rome 2026'.")
    date: str
    doc_id: str
    section: str
    paragraph: int
    sentence: str
    citation: Citation

    def row(self) -> dict[str, str | int]:
        """The flat record of the CSV export."""
        values = self.model_dump(exclude={"citation"})
        values["paragraph"] = self.citation.label or self.paragraph
        values["addressees"] = "; ".join(self.addressees)
        return {k: values[k] for k in CSV_COLUMNS}


@dataclass(frozen=True)
class CommitmentFilter:
    """Which commitments to list; every field empty lists them all. Values are matched case-insensitively."""

    meetings: tuple[str, ...] = ()  # doc ids, 'Rome 2026', a year or a meeting name
    sections: tuple[str, ...] = ()
    pillars: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    addressees: tuple[str, ...] = ()
    words: str = ""  # every word must appear in the sentence

    def matches(self, c: Commitment, meeting_keys: Iterable[str]) -> bool:
        def among(value: str, wanted: tuple[str, ...]) -> bool:
            return not wanted or value.casefold() in {w.casefold() for w in wanted}

        text = c.sentence.casefold()
        keys = {k.casefold() for k in meeting_keys}
        return (
            (not self.meetings or any(m.casefold() in keys for m in self.meetings))
            and among(c.section, self.sections)
            and among(c.pillar, self.pillars)
            and among(c.type, self.types)
            and (not self.addressees or any(among(a, self.addressees) for a in c.addressees))
            and all(w in text for w in self.words.casefold().split())
        )


class CommitmentTracker:
    """The operative sentences of the indexed documents, as rows."""

    def __init__(self, table: CorpusTable) -> None:
        self.table = table
        self.rows = [self._row(line) for line in table.lines if line.facts.operative]
        self._meeting_keys = {
            d["doc_id"]: {d["doc_id"], table.name(d["doc_id"]), d.get("meeting") or "", (d.get("date") or "")[:4]}
            for d in table.documents
        }

    def _row(self, line: Line) -> Commitment:
        a = line.address
        return Commitment(
            id=line.key,
            type=line.facts.operative,
            addressees=list(line.facts.addressees),
            pillar=line.facts.pillar,
            meeting=self.table.name(a.doc_id),
            date=a.date,
            doc_id=a.doc_id,
            section=a.section,
            paragraph=a.paragraph,
            sentence=line.text,
            citation=self.table.cite(line),
        )

    def filter(self, f: CommitmentFilter | None = None) -> list[Commitment]:
        """The matching rows in meeting-date order (then document order)."""
        f = f or CommitmentFilter()
        return [c for c in self.rows if f.matches(c, self._meeting_keys.get(c.doc_id, ()))]

    def get(self, commitment_id: str) -> Commitment | None:
        return next((c for c in self.rows if c.id == commitment_id), None)

    def facets(self) -> dict[str, list[str]]:
        """The values each filter can take, for pick lists: meetings by date, the rest by first use."""

        def seen(values: Iterable[str]) -> list[str]:
            return [v for v in dict.fromkeys(values) if v]

        return {
            "meetings": seen(self.table.name(d["doc_id"]) for d in self.table.documents),
            "sections": seen(c.section for c in self.rows),
            "pillars": [p for p in pillars() if any(c.pillar == p for c in self.rows)],
            "types": [t for t in TYPES if any(c.type == t for c in self.rows)],
            "addressees": sorted(seen(a for c in self.rows for a in c.addressees), key=str.casefold),
        }


# OWASP "CSV Injection": a cell a spreadsheet would read as a formula starts with one of these (the
# full-width forms too, which some spreadsheets fold into them). Such a cell gets a leading apostrophe,
# which spreadsheets take as "text" and do not show.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
BOM = "\ufeff"  # so that Excel reads the file as UTF-8 ("é", "’"), not as the local code page


def neutralised(value: object) -> object:
    """A cell that no spreadsheet evaluates: text starting like a formula gets a leading ``'``."""
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(rows: Iterable[Commitment]) -> str:
    """The rows as CSV for spreadsheets: a UTF-8 BOM, every cell quoted, formula-like text neutralised."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writeheader()
    for c in rows:
        writer.writerow({k: neutralised(v) for k, v in c.row().items()})
    return out.getvalue()


def to_jsonl(rows: Iterable[Commitment]) -> str:
    return "".join(c.model_dump_json() + "\n" for c in rows)
