"""Questions in a language the indexed documents are not written in ("¿Cuántos miembros tiene …?").

MiniLM and the lexical signals read English only, so such a question is scored with e5, which is
multilingual: sentences by their e5 cosine to the question (computed for the few candidate
sentences, then kept), confidence by how well the best one matches. The quotes stay in the
documents' language, introduced by a note in the question's; a refusal is said in the question's
language too (messages are data: ``words/messages.txt``).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import cache

import numpy as np

from assistant import words
from assistant.index.e5 import E5Model
from assistant.schema import Sentence


@cache
def _messages() -> dict[tuple[str, str], str]:
    out = {}
    for line in words.ordered("messages"):
        lang, key, text = line.split(" ", 2)
        out[(lang, key)] = text
    return out


def message(language: str | None, key: str) -> str:
    """The message ``key`` in ``language``, else in English."""
    messages = _messages()
    return messages.get((language or "en", key)) or messages[("en", key)]


class SentenceVectors:
    """e5 vectors of sentences, computed on first use and kept (bounded), for cross-lingual scoring."""

    def __init__(self, model: E5Model, capacity: int = 4096) -> None:
        self.model = model
        self.capacity = capacity
        self._vectors: OrderedDict[tuple[str, int], np.ndarray] = OrderedDict()
        self._lock = threading.Lock()  # questions are answered concurrently

    def similarities(self, query: str, sentences: list[Sentence]) -> np.ndarray:
        if not sentences:
            return np.zeros(0)
        with self._lock:
            known = {k: self._vectors[k] for s in sentences if (k := (s.para_key, s.start)) in self._vectors}
        missing = [s for s in sentences if (s.para_key, s.start) not in known]
        if missing:
            for s, v in zip(missing, self.model.passages([s.text for s in missing]), strict=True):
                known[(s.para_key, s.start)] = v
            with self._lock:
                self._vectors.update({(s.para_key, s.start): known[(s.para_key, s.start)] for s in missing})
                while len(self._vectors) > self.capacity:
                    self._vectors.popitem(last=False)
        matrix = np.asarray([known[(s.para_key, s.start)] for s in sentences])
        return matrix @ self.model.query(query)
