"""Terms a sentence defines: acronyms ("National Action Plans (NAPs)", "official development assistance
(ODA)") and Security Council resolutions ("resolution 2467 (2019) on conflict-related sexual violence").

An acronym counts when the words before its parentheses spell it: their initials (or the initials of
their hyphenated parts, "Co-operation") match its letters from the end, short words ("and", "of", "for")
may be skipped. A capitalised name may also be abbreviated by its head alone, its complement left out:
"the Global Acceleration Instrument for Women, Peace and Security and Humanitarian Action (GAI)".
Unlike :mod:`assistant.pipeline.plan.acronyms` (which expands questions and only trusts capitalised
phrases), lower-case phrases count too: the glossary should list "ODA".
"""

from __future__ import annotations

import re

from assistant.schema import Definition

_ACRONYM = re.compile(r"\(([A-Z][A-Za-z]{1,9})\)")
_MINOR = {"and", "of", "for", "the", "on", "in", "to", "a", "an", "&", "de", "du", "la"}
_RESOLUTIONS = re.compile(
    r"\b(?P<body>(?:(?:UN|United Nations)\s+)?Security\s+Council\s+)?[Rr]esolutions?\s+"
    r"(?P<list>\d{3,4}\s*\(\d{4}\)(?:(?:\s*,\s*|\s+and\s+)\d{3,4}\s*\(\d{4}\))*)"
)
_ONE = re.compile(r"(\d{3,4})\s*\((\d{4})\)")
_ON = re.compile(r"^\s+on\s+(?P<topic>[a-z][\w\s'’-]{2,60}?)(?=\s*[,.;:)]|\s+and\s+\w+ed\b|\s+and\s+\w+s\b|$)")


def definitions(sentence: str) -> list[Definition]:
    """The acronyms and resolutions a sentence defines, in order."""
    out: list[tuple[int, Definition]] = []
    for match in _ACRONYM.finditer(sentence):
        found = _acronym(sentence[: match.start()], match.group(1))
        if found:
            out.append((match.start(), found))
    for match in _RESOLUTIONS.finditer(sentence):
        body = "Security Council resolution" if match.group("body") else "Resolution"
        numbers = list(_ONE.finditer(match.group("list")))
        on = _ON.match(sentence[match.end() :]) if len(numbers) == 1 else None
        for number in numbers:
            expansion = f"{body} {number.group(1)} ({number.group(2)})"
            if on:
                expansion += f" on {on.group('topic').strip()}"
            term = resolution_term(number.group(1), number.group(2))
            out.append((match.start(), Definition(term, expansion, "resolution")))
    return [d for _, d in sorted(out, key=lambda x: x[0])]


def resolution_term(number: str, year: str = "") -> str:
    return f"Resolution {number} ({year})" if year else f"Resolution {number}"


def _acronym(before: str, written: str) -> Definition | None:
    """The definition of ``written`` if the words ending ``before`` spell it."""
    core = written[:-1] if written.endswith("s") and len(written) > 2 and written[:-1].isupper() else written
    letters = core.upper()
    if len(letters) < 2 or not core[0].isupper():
        return None
    tokens = re.findall(r"[\w'’-]+", before)[-(len(letters) * 2 + 2) :]
    start = _spell(tokens, len(tokens) - 1, letters, len(letters) - 1)
    if start is None:
        return _head_acronym(before, core)
    phrase = _phrase(before, len(tokens) - start)
    return Definition(core, phrase, "acronym") if phrase else None


_COMPLEMENT_WORDS = {"for", "of", "on"}


def _head_acronym(before: str, core: str) -> Definition | None:
    """The definition of ``core`` when it abbreviates the head of the capitalised name ending ``before``
    ("Global Acceleration Instrument" of "… Instrument for Women, Peace and Security … (GAI)")."""
    letters = core.upper()
    tokens = re.findall(r"[\w'’-]+", before)[-30:]
    for i in range(len(tokens) - 1, -1, -1):  # the name: capitalised words and short ones, back from "("
        word = tokens[i]
        if not (word[0].isupper() or word.lower() in _MINOR):
            break
        if not word[0].isupper():
            continue
        for j in range(i + 1, len(tokens)):
            if tokens[j].lower() in _COMPLEMENT_WORDS:  # the head is tokens[i:j]; the rest its complement
                if _spell(tokens[i:j], j - i - 1, letters, len(letters) - 1) == 0:
                    phrase = _phrase(before, len(tokens) - i)
                    return Definition(core, phrase, "acronym") if phrase else None
                break
    return None


def _spell(tokens: list[str], t: int, letters: str, k: int) -> int | None:
    """Index of the token where the phrase spelling ``letters[:k+1]`` (ending at token t) begins."""
    if k < 0:
        return t + 1
    if t < 0:
        return None
    word = tokens[t]
    for initials in _initials(word):
        n = len(initials)
        if n <= k + 1 and letters[k - n + 1 : k + 1] == initials:
            found = _spell(tokens, t - 1, letters, k - n)
            if found is not None:
                return found
    if word.lower() in _MINOR and k < len(letters) - 1:  # a short word inside the phrase may be skipped
        return _spell(tokens, t - 1, letters, k)
    return None


def _initials(word: str) -> list[str]:
    """A word's possible contributions to an acronym: its first letter, or those of its hyphenated parts."""
    parts = [p for p in re.split(r"[-’']", word) if p]
    options = [word[0].upper()]
    if len(parts) > 1:
        options.insert(0, "".join(p[0].upper() for p in parts))
    return options


def _phrase(before: str, count: int) -> str:
    """The last ``count`` words of ``before``, as written (commas inside kept, trailing ones dropped)."""
    spans = [m.span() for m in re.finditer(r"[\w'’-]+", before)]
    if count > len(spans) or count <= 0:
        return ""
    return before[spans[-count][0] : spans[-1][1]].strip(" ,")
