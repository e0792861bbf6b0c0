"""The glossary: acronyms and resolutions the corpus names, agenda terms it uses
(``words/glossary_terms.txt``) and named instruments it defines ("Alicante Roster of Women Mediators"),
each with its defining sentence when a communiqué has one, its first mention, and every document using it.

Acronym long forms were found at ingest (:class:`~assistant.schema.Definition` on each sentence); the
other defining sentences (:mod:`assistant.views.defining`) and the uses are found here, once per
assistant, because a document may use a term another document defines. A term no sentence defines says
so ("Not defined in the communiqués; first mentioned in …") rather than showing a sentence that only
uses it: a wrong definition is worse than none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel, Field, computed_field

from assistant import words
from assistant.ingest.definitions import resolution_term
from assistant.pipeline.answer.compose import document_name
from assistant.schema import Citation
from assistant.views.defining import how_defined, inside_longer_name, instrument_names, is_named
from assistant.views.table import CorpusTable, Line


class GlossaryUse(BaseModel):
    """One document using a term: how often, and its first use there."""

    doc_id: str
    meeting: str
    date: str
    mentions: int
    first: Citation


class GlossaryEntry(BaseModel):
    term: str = Field(description="'NAP', 'Resolution 1325 (2000)', 'conflict-related sexual violence'.")
    kind: str = Field(description="acronym, resolution, term (of the agenda) or name (of an instrument).")
    expansion: str = Field("", description="What an acronym stands for; a resolution's full name (and subject).")
    definition: Citation | None = Field(
        None, description="The sentence that says what the term is (earliest meeting); null when none does."
    )
    defined_by: str = Field(
        "", description="How that sentence defines it: 'long form', 'apposition', 'known as', 'copula', …"
    )
    defined_at: tuple[int, int] | None = Field(
        None, description="Where the term stands in the definition's quote (offsets), to mark it there."
    )
    first_mention: Citation = Field(description="The term's first use (earliest meeting).")
    introduced: Citation = Field(description="The defining sentence, else the first mention.")
    documents: list[GlossaryUse] = Field(default_factory=list, description="Every document that uses it, by date.")
    mentions: int = 0

    @computed_field(description="What the page and the CLI say of the definition, with its document and paragraph.")
    @property
    def definition_note(self) -> str:
        if self.definition is not None:
            return f"Defined in {document_name(self.definition)}, {self.definition.where}"
        return f"Not defined in the communiqués; first mentioned in {document_name(self.first_mention)}, " + (
            self.first_mention.where
        )

    @property
    def explanation(self) -> str:
        """What a reader hovering over the term is told ("" for a term the corpus only uses)."""
        return self.expansion


@dataclass
class _Entry:
    term: str
    kind: str
    expansion: str
    pattern: re.Pattern[str]
    long_form: Line | None = None  # an acronym's: the sentence that spells it out


# "resolutions 2250 (2015) and 2419 (2018)" uses both: numbers listed before the one looked for.
_EARLIER_NUMBERS = r"(?:\d{3,4}\s*(?:\(\d{4}\))?(?:\s*,\s*|\s+and\s+))*"


def _flexible(phrase: str) -> str:
    """A phrase as a pattern: any apostrophe, any run of spaces, an optional final "s"."""
    out = re.escape(phrase.replace("’", "'")).replace(r"\ ", r"\s+").replace("'", "['’]")
    return out + "s?" if phrase[-1].isalpha() and not phrase.endswith("s") else out


class Glossary:
    """Every glossary entry, sorted by term, and the lookup the chat and the UI use."""

    def __init__(self, table: CorpusTable) -> None:
        self.table = table
        found: dict[str, _Entry] = {}
        for line in table.lines:  # date order: the first long form introduces an acronym
            for d in line.facts.defines:
                key = _key(d.term)
                if key not in found:
                    if d.kind == "acronym":
                        pattern = rf"(?<![\w-])(?:{re.escape(d.term)}s?)(?![\w-])|(?i:{_flexible(d.expansion)})"
                        found[key] = _Entry(d.term, d.kind, d.expansion, re.compile(pattern), line)
                    else:
                        pattern = rf"\b[Rr]esolutions?\s+{_EARLIER_NUMBERS}{d.term.split()[1]}\b"
                        found[key] = _Entry(d.term, d.kind, d.expansion, re.compile(pattern))
        expansions = {_key(e.expansion) for e in found.values() if e.kind == "acronym"}
        for entry in words.ordered("glossary_terms"):
            forms = [f.strip() for f in entry.split("|") if f.strip()]
            if _key(forms[0]) in found or any(_key(f) in expansions for f in forms):
                continue
            alternation = "|".join(_flexible(f) for f in sorted(forms, key=len, reverse=True))
            pattern = re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", re.I)
            found[_key(forms[0])] = _Entry(forms[0], "term", "", pattern)
        for name in _defined_names(table):  # named instruments enter only when a sentence defines them
            if _key(name) not in found and _key(name) not in expansions:
                pattern = re.compile(rf"(?<![\w-]){_flexible(name)}(?![\w-])")
                found[_key(name)] = _Entry(name, "name", "", pattern)
        self.entries = sorted(
            (e for e in (self._entry(x) for x in found.values()) if e is not None), key=lambda e: e.term.casefold()
        )
        self._by_key = {_key(e.term): e for e in self.entries}
        for e in self.entries:
            if e.kind == "acronym":
                self._by_key.setdefault(_key(e.expansion), e)
            if e.kind == "resolution":
                self._by_key.setdefault(e.term.split()[1], e)
        for e in self.entries:  # "DDR" finds "disarmament, demobilization and reintegration": both ways
            if e.kind == "term" and (initials := acronym_of(e.term)):
                self._by_key.setdefault(initials.casefold(), e)

    def _entry(self, x: _Entry) -> GlossaryEntry | None:
        uses: dict[str, list[Line]] = {}
        definition: tuple[Line, str] | None = (x.long_form, "long form") if x.long_form else None
        at = _long_form_at(x.long_form.text, x.term, x.expansion) if x.long_form else None
        named = x.kind != "term" or is_named(x.term)
        for line in self.table.lines:
            matches = list(x.pattern.finditer(line.text))
            if matches:
                uses.setdefault(line.address.doc_id, []).extend([line] * len(matches))
            if definition is None:
                for m in matches:
                    if inside_longer_name(line.text, m.start(), m.end()):
                        continue
                    if how := how_defined(line.text, m.start(), m.end(), named):
                        definition, at = (line, how), m.span()
                        break
        if not uses:
            return None
        first = self.table.cite(next(iter(uses.values()))[0])
        defined = self.table.cite(definition[0]) if definition else None
        expansion = x.expansion
        if definition and x.kind == "resolution":  # the defining sentence may name its subject
            said = [d.expansion for d in definition[0].facts.defines if _key(d.term) == _key(x.term)]
            expansion = max([expansion, *said], key=len)
        return GlossaryEntry(
            term=x.term,
            kind=x.kind,
            expansion=expansion,
            definition=defined,
            defined_by=definition[1] if definition else "",
            defined_at=at if definition else None,
            first_mention=first,
            introduced=defined or first,
            documents=[
                GlossaryUse(
                    doc_id=doc_id,
                    meeting=self.table.name(doc_id),
                    date=lines[0].address.date,
                    mentions=len(lines),
                    first=self.table.cite(lines[0]),
                )
                for doc_id, lines in uses.items()
            ],
            mentions=sum(len(lines) for lines in uses.values()),
        )

    def lookup(self, text: str) -> GlossaryEntry | None:
        """The entry for "NAP", "NAPs", "national action plans", "1325", "resolution 1325 (2000)"…"""
        key = _key(text)
        if key in self._by_key:
            return self._by_key[key]
        number = re.search(r"\b(\d{3,4})\b", text)
        if number and re.search(r"resolution", text, re.I):
            return self._by_key.get(number.group(1))
        return self._by_key.get(key.removesuffix("s"))

    def defines(self, text: str) -> bool:
        """Whether the corpus names this acronym or resolution: what the chat answers "what does X stand
        for?" from (an agenda term or an instrument is answered from the passages)."""
        entry = self.lookup(text)
        return entry is not None and entry.kind in ("acronym", "resolution")

    def search(self, text: str) -> list[GlossaryEntry]:
        """Entries whose term or expansion contains every word typed (all entries for nothing typed)."""
        wanted = text.casefold().split()
        return [e for e in self.entries if all(w in f"{e.term} {e.expansion}".casefold() for w in wanted)]

    def explanations(self) -> dict[str, str]:
        """Acronym → what it stands for (as written), for marking terms in answers."""
        return {e.term: e.explanation for e in self.entries if e.kind == "acronym" and e.explanation}


def _long_form_at(sentence: str, term: str, expansion: str) -> tuple[int, int] | None:
    """Where "National Action Plans (NAPs)" stands in the sentence that spells the acronym out."""
    found = re.search(rf"{_flexible(expansion)}\s*\(\s*{re.escape(term)}s?\s*\)", sentence, re.I)
    return found.span() if found else None


def _defined_names(table: CorpusTable) -> list[str]:
    """The names of instruments some sentence defines ("NAP Academy, a training course …"), in date order."""
    names: list[str] = []
    for line in table.lines:
        for start, end in instrument_names(line.text):
            if how_defined(line.text, start, end, named=True) and line.text[start:end] not in names:
                names.append(line.text[start:end])
    return names


def find_term(entry: GlossaryEntry, sentence: str) -> re.Match[str] | None:
    """The term as a sentence writes it (for an acronym, the acronym itself), or None."""
    if entry.kind == "acronym":
        return re.search(rf"(?<![\w-]){re.escape(entry.term)}s?(?![\w-])", sentence)
    return re.search(rf"(?<![\w-]){_flexible(entry.term)}(?![\w-])", sentence, re.I)


_MINOR = {"and", "of", "the", "for", "on", "in", "to", "a", "an"}


def acronym_of(phrase: str) -> str:
    """The initials a phrase of three or more words is abbreviated by ("DDR", "CRSV": each part of a
    hyphenated word counts), "" for a shorter one."""
    initials = [w[0].upper() for w in re.findall(r"[A-Za-z][\w']*", phrase) if w.casefold() not in _MINOR]
    return "".join(initials) if len(initials) >= 3 else ""


def _key(term: str) -> str:
    text = term.casefold().replace("’", "'")
    numbers = re.findall(r"\d{3,4}", text)[:2]
    if text.startswith("resolution ") and numbers:  # "resolution 1325 (2000)"; "resolution x" is a word
        return resolution_term(*numbers).casefold()
    return " ".join(re.sub(r"[^\w' -]", " ", text).split()).removesuffix("s") if len(text) > 3 else text
