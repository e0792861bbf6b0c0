"""Pipeline step after chunking: the facts of each sentence, stored on the node that begins it.

Quotable sentence nodes may be clauses of one long sentence; the facts are those of the whole
sentence (from its first node's start to :attr:`SentenceFacts.end`): whether it is operative, its type
and addressees (:mod:`.operative`), its pillar (:mod:`.pillars`) and the terms it defines
(:mod:`.definitions`). Computed from the document's own nodes only, so a changed document recomputes
only its own facts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from llama_index.core.schema import BaseNode, TransformComponent

from assistant.index.store import paragraph_text
from assistant.ingest.chunking import sentence_spans
from assistant.ingest.definitions import definitions
from assistant.ingest.operative import classify
from assistant.ingest.pillars import pillar_of
from assistant.schema import FACT_KEYS, SentenceFacts, continuation_metadata, is_sentence, sentence_of

WHOLE = 10**9  # no clause cuts: the grammatical sentences of a paragraph


def facts_of(sentence: str, section: str, end: int) -> SentenceFacts:
    """The facts of one whole sentence ending at ``end`` in its paragraph."""
    operative = classify(sentence)
    return SentenceFacts(
        end=end,
        operative=operative.type if operative else "",
        addressees=operative.addressees if operative else (),
        pillar=pillar_of(section, sentence),
        defines=tuple(definitions(sentence)),
    )


class SentenceFactsExtractor(TransformComponent):
    """Adds :class:`SentenceFacts` to the first node of each sentence (kept out of the embedded text)."""

    def __call__(self, nodes: Sequence[BaseNode], **kwargs: Any) -> list[BaseNode]:
        by_paragraph: dict[str, list[BaseNode]] = {}
        for node in nodes:
            if is_sentence(node):
                by_paragraph.setdefault(sentence_of(node).para_key, []).append(node)
        for group in by_paragraph.values():
            pieces = sorted(((sentence_of(n), n) for n in group), key=lambda p: p[0].start)
            text = paragraph_text(pieces[0][0].para_key, [s for s, _ in pieces])
            ends = dict(sentence_spans(text, WHOLE))  # sentence start → end
            for sentence, node in pieces:
                if sentence.start in ends:
                    end = ends[sentence.start]
                    facts = facts_of(text[sentence.start : end], sentence.address.section, end)
                    node.metadata.update(facts.metadata())
                else:
                    node.metadata.update(continuation_metadata())
                # The facts describe the text; they must not change what is embedded or shown to a model.
                node.excluded_embed_metadata_keys = [*node.excluded_embed_metadata_keys, *FACT_KEYS]
                node.excluded_llm_metadata_keys = [*node.excluded_llm_metadata_keys, *FACT_KEYS]
        return list(nodes)
