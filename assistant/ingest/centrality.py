"""Pipeline step after embedding: how central each sentence is to its section.

A sentence's vector is the normalised mean of its clause nodes' vectors (the embeddings the pipeline
just computed); its centrality is its cosine to the normalised centroid of its section's sentences
(Radev et al.'s centroid summariser, the simplest measure that works with one embedding model and no
tuning). Document guides quote the most central sentences of each section. One document at a time, so
a changed document recomputes only its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from llama_index.core.schema import BaseNode, TransformComponent

from assistant.schema import SentenceFacts, is_sentence, sentence_of

MIN_WORDS = 4  # "1." or a heading-like fragment is no summary sentence


def _unit(vectors: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.where(norm == 0, 1, norm)


class SentenceCentrality(TransformComponent):
    """Sets :attr:`SentenceFacts.centrality` on each sentence's first node (needs embeddings and facts)."""

    def __call__(self, nodes: Sequence[BaseNode], **kwargs: Any) -> list[BaseNode]:
        pieces = sorted(
            ((sentence_of(n), n) for n in nodes if is_sentence(n) and n.embedding is not None),
            key=lambda p: (p[0].address.doc_id, p[0].address.paragraph, p[0].start),
        )
        sections: dict[tuple[str, str], list[tuple[BaseNode, SentenceFacts, np.ndarray]]] = {}
        head: tuple[BaseNode, SentenceFacts, list[list[float]], str] | None = None

        def close() -> None:
            if head is not None:
                node, facts, vectors, key = head
                if len(node.get_content().split()) >= MIN_WORDS:
                    sections.setdefault(key, []).append((node, facts, _unit(np.mean(vectors, axis=0))))

        for sentence, node in pieces:
            facts = SentenceFacts.of(node)
            if facts is not None:
                close()
                head = (node, facts, [node.embedding], (sentence.address.doc_id, sentence.address.section))
            elif head is not None and sentence.para_key == sentence_of(head[0]).para_key:
                head[2].append(node.embedding)
        close()
        for members in sections.values():
            vectors = np.stack([v for _, _, v in members])
            centroid = _unit(vectors.mean(axis=0))
            for (node, facts, _), score in zip(members, vectors @ centroid, strict=True):
                node.metadata.update(facts.with_centrality(float(score)).metadata())
        return list(nodes)
