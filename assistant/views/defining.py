"""Whether a sentence says what a term is, or only uses it: the glossary's defining sentences.

A sentence defines the term at ``sentence[start:end]`` when its words around the term have one of the
shapes a communiqué defines things with:

- *known as*: "a secure online platform …, to be known as the WPS Focal Points Exchange";
- *apposition*: "the Alicante Roster of Women Mediators, a shared register of women …";
- *gloss*: "the Network (the WPS Focal Points Network)", and the other way round;
- *copula*: "A National Action Plan is a …", "X means …" — the term the subject, the complement not a
  judgement ("… is a precondition for peace", "… is the least resourced pillar" say how much it matters,
  not what it is; "remains" says it still does);
- *purpose*: "The Elsie Initiative Fund was launched in 2019 to support …";
- *established*: "establish a Working Group on Digital Safety, co-led by …, to map threats …",
  "establish the Network as an informal forum …" (named things only);
- *relative*: "the Valletta Solidarity Window …, which will provide flexible funding …" — a
  non-restrictive clause whose verb describes (``words/describing_verbs.txt``), named things only:
  "NAPs, which indicate strong commitment" says nothing of what a NAP is;
- *subject*: "resolution 2467 (2019) on conflict-related sexual violence" (named things only).

Acronym long forms ("National Action Plans (NAPs)") are found at ingest
(:mod:`assistant.ingest.definitions`). Everything here is surface patterns over one sentence: a pattern
that does not hold leaves the term undefined, which the glossary says plainly, rather than guessing.
"""

from __future__ import annotations

import re
from functools import cache

from assistant import words

# What may precede a sentence's first word: a paragraph number, a footnote mark, a bullet, "The".
_LEAD = r"(?:\d{1,3}[.)]?\s+|[a-z]\)\s+|[•*–-]\s+)?"
_SUBJECT_START = re.compile(rf"^\s*{_LEAD}(?:(?:The|the|A|An)\s+)?$")
_THAT_SUBJECT = re.compile(r"\bthat\s+(?:the\s+)?$")
_INTRO_PHRASE = re.compile(
    rf"^\s*{_LEAD}(?:In|Through|Under|With|For|By|At|During|Within|Since|Following|After|Before|Beyond|Despite|"
    r"As|On|Among|Across|From|Given|Like|Unlike)\b[^,;]*$"
)
_LIST_ITEM = re.compile(r"(?:,|\band|\bor)\s+(?:the\s+)?$")
_YEAR_AFTER = re.compile(r"^\s*\(\d{4}\)")

_KNOWN_AS = re.compile(
    r"(?:\b(?:known|referred\s+to|designated|defined)\s+as|\b(?:hereinafter|henceforth)(?:\s+referred\s+to\s+as)?)"
    r"\s+(?:the\s+)?[\"“‘']?$",
    re.I,
)
_APPOSITION = re.compile(r"^,\s+(?:a|an)\s+(?P<next>[\w-]+)")
# ", a number of …" starts a clause; ", a proposal that …" sums up the clause before, not the term.
_NOT_APPOSITIVE = {"number", "total", "few", "lot", "range", "series", "majority", "minimum", "maximum", "share",
                   "third", "quarter", "half", "further", "decade", "year", "month", "week", "day", "proposal",
                   "decision", "step", "move", "commitment", "development", "trend", "figure", "goal", "target",
                   "rise", "increase", "decrease", "sign", "testament", "reflection", "reminder", "call"}  # fmt: skip
# A name after one of these is a preposition's object ("the anniversary of resolution 1325, a proposal …";
# "administered through the Rapid Response Window of the Fund, which will cover …"): what follows may as
# well be about the phrase before it. "The launch of X, a …" is the exception (see _ESTABLISH).
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:of|through|by|to|from|with|in|at|for|under|via|on|into|within|towards?|about|during|since|after|"
    r"before|against|among)\s+(?:the\s+|its\s+|their\s+|our\s+)?$",
    re.I,
)
_GLOSS_AFTER = re.compile(r"^\s*\((?:the|a|an|i\.\s?e\.,?|that\s+is,?|also\s+known\s+as|known\s+as)\s+[^()]{3,}\)")
_GLOSS_AROUND = (re.compile(r"\((?:hereinafter\s+)?(?:the\s+)?[\"“‘']?$", re.I), re.compile(r"^[\"”’']?\)"))
_COPULA = re.compile(r"^\s+(?:is|are|was|were|constitutes?)\s+(?:a|an|the|one\s+of\s+the)\s+(?P<rest>[^,;.]*)", re.I)
_MEANS = re.compile(
    r"^\s+(?:means|mean|refers\s+to|refer\s+to|denotes|(?:is|are)\s+(?:defined|understood)\s+as)\s+\S", re.I
)
_PURPOSE = re.compile(
    r"^\s+(?:was|were|has\s+been|have\s+been|is|are)\s+(?:launched|established|created|set\s+up|founded|designed|"
    r"intended)\b[^.;]{0,100}?\s(?:in\s+order\s+)?to\s+(?P<verb>[a-z]+)"
)
_ESTABLISH = re.compile(
    r"\b(?:establish(?:es|ed|ing)?|launch(?:es|ed|ing)?|creat(?:e|es|ed|ing)|set(?:s|ting)?\s+up|found(?:s|ed|ing)|"
    r"(?:establishment|launch|creation|founding)(?:\s+by\s+(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)?\s+of)"
    r"\s+(?:(?:a|an|the|its|their|our|new)\s+)?(?:[a-z][\w-]*\s+){0,2}$"
)
_ESTABLISHED_AS = re.compile(r"^\s+as\s+(?:a|an)\s+\w")
_ESTABLISHED_PURPOSE = re.compile(r"^(?:,\s+[^;]{0,160}?)?,\s+(?:in\s+order\s+)?to\s+(?P<verb>[a-z]+)")
_RELATIVE = re.compile(
    r"^(?:,\s+(?:to\s+be\s+)?(?:led|co-led|hosted|run|administered|managed|funded|supported|coordinated|chaired|"
    r"co-chaired)\s[^,;]{0,80})?,\s+which\s+(?P<verb>[a-z]+)(?:\s+(?P<then>[a-z]+))?"
)
_ON_SUBJECT = re.compile(r"^\s+on\s+(?:the\s+)?[a-z]")
# "to" followed by one of these is a preposition ("open to all members"), not a purpose ("to map").
_NOT_VERBS = {"the", "a", "an", "all", "every", "each", "its", "their", "our", "his", "her", "this", "these",
              "those", "be", "date", "which", "whom", "it", "them", "women", "men", "states", "members"}  # fmt: skip
# "which will be held in Windhoek", "which will take place": when and where, not what.
_EVENT_TAILS = {"be", "take", "meet", "convene"}


@cache
def _words(name: str) -> frozenset[str]:
    return words.load(name)


def how_defined(sentence: str, start: int, end: int, named: bool = False) -> str:
    """The shape in which ``sentence`` says what the term at ``[start:end]`` is ("apposition",
    "known as", …), or "" when it only uses the term. ``named``: the term is a name (capitalised, a
    resolution), which a relative clause or an establishing verb may define; a common noun they may not."""
    before, after = sentence[:start], sentence[end:]
    written = sentence[start:end]
    if not named and (any(c.isupper() for c in written[1:]) or (written[0].isupper() and before.strip(" .0123456789"))):
        return ""  # "Women Mediators" mid-sentence: a name's words, not the common noun
    if named and (year := _YEAR_AFTER.match(after)):  # "resolution 2419 (2018), which …"
        after = after[year.end() :]
    if _KNOWN_AS.search(before):
        return "known as"
    if _GLOSS_AFTER.match(after) or (_GLOSS_AROUND[0].search(before) and _GLOSS_AROUND[1].match(after)):
        return "gloss"
    if _is_apposition(before, after):
        return "apposition"
    subject = bool(_SUBJECT_START.match(before) or _THAT_SUBJECT.search(before))
    if subject and _is_copula(after):
        return "copula"
    if subject and (m := _PURPOSE.match(after)) and m.group("verb") not in _NOT_VERBS:
        return "purpose"
    if not named:
        return ""
    if _ESTABLISH.search(before):
        if _ESTABLISHED_AS.match(after):
            return "established"
        if (m := _ESTABLISHED_PURPOSE.match(after)) and m.group("verb") not in _NOT_VERBS:
            return "established"
    relative = _RELATIVE.match(after)
    if (
        relative
        and relative.group("verb") in _words("describing_verbs")
        and relative.group("then") not in _EVENT_TAILS
        and not (_PREPOSITION_BEFORE.search(before) and not _ESTABLISH.search(before))
    ):
        return "relative"
    if _ON_SUBJECT.match(after) and _YEAR_AFTER.match(sentence[end:]):  # a dated text's subject
        return "subject"
    return ""


def _is_apposition(before: str, after: str) -> bool:
    """ ", a shared register of …" after a term that is neither a list item nor an opening phrase's end
    ("Through the Fund, a number of …")."""
    m = _APPOSITION.match(after)
    if not m or m.group("next").casefold() in _NOT_APPOSITIVE:
        return False
    if _PREPOSITION_BEFORE.search(before) and not _ESTABLISH.search(before):
        return False
    return not (_LIST_ITEM.search(before) or _INTRO_PHRASE.match(before))


def _is_copula(after: str) -> bool:
    """ "is a …"/"are the …" whose complement says what the term is, or "means …"/"refers to …"."""
    if _MEANS.match(after):
        return True
    m = _COPULA.match(after)
    if not m:
        return False
    head = m.group("rest").split()[:3]  # the article's noun, behind at most two adjectives
    return bool(head) and not any(w.casefold().strip("'’") in _words("evaluative_heads") for w in head)


# A capitalised name: capitalised words (or a leading number, "1325 Anniversary Fund"), joined by
# lower-case connectors or by a comma list ending in "and" ("on Climate, Gender and Security").
_CAP = r"[A-Z][\w’'-]*"
_CONNECTOR = r"(?:of|on|for|and|the|in|against|de|la|del)"
_NAME = re.compile(
    rf"(?<![\w’'-])(?:\d{{3,4}}\s+)?{_CAP}(?:(?:\s+{_CONNECTOR})*\s+{_CAP}|,\s+{_CAP}(?=(?:,\s+{_CAP})*\s+and\s+{_CAP}))*"
)
_COMPLEMENT = re.compile(r"\s+(?:of|on|for|in|against)\s+")


def instrument_names(sentence: str) -> list[tuple[int, int]]:
    """Spans of the capitalised names of instruments in a sentence: two words or more whose head (the
    capitalised words before "of"/"on"/"for", "Alicante Roster" in "Alicante Roster of Women Mediators")
    ends with a noun of ``words/instrument_heads.txt``. A run of capitalised words may hold words that
    are no part of the name ("the launch by Malta of the Mediterranean … Fellowship"): the name starts
    at the first word from which the run reads as one."""
    spans = []
    for m in _NAME.finditer(sentence):
        for run_start, run_end in _runs(m):
            for start in [run_start, *(run_start + c.end() for c in _CONNECTORS.finditer(sentence[run_start:run_end]))]:
                if lead := re.match(r"(?:The|A|An)\s+", sentence[start:run_end]):
                    start += lead.end()
                text = sentence[start:run_end]
                head = _COMPLEMENT.split(text, maxsplit=1)[0]
                if len(text.split()) >= 2 and _HEAD.fullmatch(head) and _ends_with_head(head):
                    spans.append((start, run_end))
                    break
    return spans


def _runs(m: re.Match[str]) -> list[tuple[int, int]]:
    """A capitalised run split where two names are joined ("the X Fellowship and the Y Group")."""
    bounds, start = [], m.start()
    for joint in re.finditer(r",?\s+and\s+the\s+", m.group()):
        bounds.append((start, m.start() + joint.start()))
        start = m.start() + joint.end()
    return [*bounds, (start, m.end())]


_CONNECTORS = re.compile(rf"(?:\s+{_CONNECTOR})+\s+(?=[A-Z\d])")
_HEAD = re.compile(rf"(?:\d{{3,4}}\s+)?{_CAP}(?:\s+(?:and\s+)?{_CAP})*")


def _ends_with_head(head: str) -> bool:
    return any(head == h or head.endswith(" " + h) for h in _words("instrument_heads"))


def inside_longer_name(sentence: str, start: int, end: int) -> bool:
    """Whether the words at ``[start:end]`` are part of a longer instrument's name: "Women Mediators" in
    "the Alicante Roster of Women Mediators, a shared register …" is not the term "women mediators", and
    what follows the name is not said of it."""
    return any(s <= start and end <= e and (s, e) != (start, end) for s, e in instrument_names(sentence))


def is_named(term: str) -> bool:
    """Whether a term is a name ("Women's Situation Rooms", "Resolution 1325 (2000)"), not a common noun."""
    return any(w[0].isupper() for w in re.findall(r"[A-Za-z][\w’'-]*", term)) or bool(re.search(r"\d{3,4}", term))
