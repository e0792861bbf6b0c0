"""The sentences of recently answered paragraphs, kept so that the next question need not fetch them.

Every question reads the sentences (with their embeddings) of its passages' paragraphs from Chroma:
one filtered ``get`` a question, the largest store cost after the dense queries. A follow-up, or a
colleague's question on the same topic, reads mostly the same paragraphs again. An assistant serves
one index generation, and a generation is never written once it is live (a new ingest writes a new
one and a new assistant over it), so what was read stays true for this cache's whole life.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence

from assistant.schema import Sentence

RECENT_PARAGRAPHS = 256  # ~5 sentences a paragraph, ~12 kB a sentence (384 floats): ~15 MB at most

Fetch = Callable[[list[str]], list[Sentence]]


def document_order(sentence: Sentence) -> tuple[str, int, int]:
    """How ``Store.sentences`` orders sentences: by document, paragraph, then offset."""
    return sentence.address.doc_id, sentence.address.paragraph, sentence.start


class RecentSentences:
    """``Store.sentences(para_keys)`` with the last ``size`` paragraphs' sentences kept in memory.

    Returns what the store would: the sentences of the given paragraphs, in document order. Only the
    paragraphs not kept are fetched, in one call.
    """

    def __init__(self, fetch: Fetch, size: int = RECENT_PARAGRAPHS) -> None:
        self._fetch = fetch
        self._size = size
        self._kept: OrderedDict[str, list[Sentence]] = OrderedDict()
        self._lock = threading.Lock()  # several questions are answered at once

    def __call__(self, para_keys: Sequence[str]) -> list[Sentence]:
        keys = list(dict.fromkeys(para_keys))
        if not keys:
            return []
        found: dict[str, list[Sentence]] = {}
        with self._lock:
            for key in keys:
                if key in self._kept:
                    self._kept.move_to_end(key)
                    found[key] = self._kept[key]
        missing = [k for k in keys if k not in found]
        if missing:
            fetched: dict[str, list[Sentence]] = {k: [] for k in missing}  # a paragraph may have none
            for sentence in self._fetch(missing):
                fetched.setdefault(sentence.para_key, []).append(sentence)
            found.update(fetched)
            with self._lock:
                for key, sentences in fetched.items():
                    self._kept[key] = sentences
                    self._kept.move_to_end(key)
                while len(self._kept) > self._size:
                    self._kept.popitem(last=False)
        # The store's order; a stable sort keeps its order among equal keys, as it did.
        return sorted((s for k in keys for s in found[k]), key=document_order)
