"""Word lists, one file per purpose, kept as data so that editing one never changes another's behaviour.

Each ``NAME.txt`` holds one entry a line; ``#`` starts a comment. The file's opening comment says what
the list is for and who reads it.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def ordered(name: str) -> tuple[str, ...]:
    """The entries of ``NAME.txt`` in file order, read once per process."""
    text = resources.files(__package__).joinpath(f"{name}.txt").read_text(encoding="utf-8")
    entries = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return tuple(e for e in entries if e)


@cache
def load(name: str) -> frozenset[str]:
    """The entries of ``NAME.txt`` as a set, for membership tests."""
    return frozenset(ordered(name))


@cache
def pairs(name: str) -> dict[str, str]:
    """The entries of ``NAME.txt`` as a mapping, one "key value" pair a line ("four 4")."""
    return dict(entry.split(None, 1) for entry in ordered(name))
