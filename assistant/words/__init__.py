"""Word lists, one file per purpose, kept as data so that editing one never changes another's behaviour.

Each ``NAME.txt`` holds one entry a line; ``#`` starts a comment. The file's opening comment says what
the list is for and who reads it.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def load(name: str) -> frozenset[str]:
    """The entries of ``NAME.txt`` (lower case as written), read once per process."""
    return frozenset(load_ordered(name))


@cache
def load_ordered(name: str) -> tuple[str, ...]:
    """The entries of ``NAME.txt`` in file order (for lists whose order means something)."""
    text = resources.files(__package__).joinpath(f"{name}.txt").read_text(encoding="utf-8")
    entries = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return tuple(dict.fromkeys(e for e in entries if e))
