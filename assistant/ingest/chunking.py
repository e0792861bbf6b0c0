"""Turn a parsed communiqué into llama-index nodes: one passage per paragraph, plus its sentences.

Passages are what retrieval ranks; sentences are what an answer quotes. Both are embedded at ingest
time so that answering a question needs only the question's own embedding.

MiniLM reads at most 256 word pieces and silently drops the rest, so a paragraph longer than
``max_tokens`` is embedded as overlapping windows of whole sentences, and a sentence longer than
``sentence_max_words`` (the Rome preamble is one ~150-word sentence) is cut at clause boundaries.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from llama_index.core.schema import BaseNode, Document, NodeRelationship, RelatedNodeInfo, TextNode, TransformComponent
from pydantic import PrivateAttr

from assistant import words
from assistant.ingest.document import ParsedDocument
from assistant.schema import DOC_NODES, passage_metadata, sentence_metadata

_BOUNDARY = re.compile(r"[.!?][\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")
# A printed paragraph or item label ("15.", "(a)", "IV."): it opens a sentence, it is not one.
_LABEL = re.compile(r"\(?(?:\d{1,3}|[ivxlcIVXLC]{1,5}|[a-zA-Z])[.)]")
# Where a too-long sentence may be cut for quoting, best first: strong clause marks, then commas that
# open a clause, then any comma. Cutting "…to ensure the full, equal, safe" mid-list reads badly.
_CUTS = (
    re.compile(r"(?:;| –| —|:)\s+"),
    re.compile(
        r",\s+(?=(?:including|particularly|especially|while|where|which|who|whose|recognizing|recognising|"
        r"ensuring|supported|coupled|alongside|as well as|in line with|in accordance|and (?:the|to|in|with))\b)"
    ),
    re.compile(r",\s+"),
)
# Bump when parsing or chunking changes what is stored, so unchanged files are re-embedded once.
INDEX_FORMAT = 7  # 7: sentence facts and centrality for the views, node counts for the generations


def sentence_spans(text: str, max_words: int = 45) -> list[tuple[int, int]]:
    """Character spans of the quotable units of a paragraph: sentences, long ones cut into clauses."""
    abbreviations = words.load("abbreviations")
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        word = re.search(r"(\S+)$", text[start : match.start()])
        if word and (word.group(1).lower().rstrip(".") in abbreviations or re.fullmatch(r"[A-Z]", word.group(1))):
            continue
        if _LABEL.fullmatch(text[start : match.start() + 1].strip()):
            continue
        end = match.end() - (len(match.group(0)) - len(match.group(0).rstrip()))
        spans.append((start, end))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    out: list[tuple[int, int]] = []
    for s, e in spans:
        out.extend(_cut_long(text, s, e, max_words))
    return out


def _cut_long(text: str, start: int, end: int, max_words: int) -> list[tuple[int, int]]:
    """Split a too-long sentence at the clause boundary nearest its middle, recursively."""
    piece = text[start:end]
    if len(piece.split()) <= max_words:
        return [(start, end)]
    middle = len(piece) / 2
    cuts: list[int] = []
    for pattern in _CUTS:
        cuts = [m.end() for m in pattern.finditer(piece) if 0.2 * len(piece) < m.end() < 0.8 * len(piece)]
        if cuts:
            break
    if not cuts:
        return [(start, end)]
    cut = start + min(cuts, key=lambda c: abs(c - middle))
    left_end = cut - (len(text[:cut]) - len(text[:cut].rstrip()))
    return _cut_long(text, start, left_end, max_words) + _cut_long(text, cut, end, max_words)


def passage_windows(
    spans: Sequence[tuple[int, int]], count_tokens: Callable[[str], int], text: str, max_tokens: int
) -> list[tuple[int, int]]:
    """Spans of embedding windows: whole sentences, at most ``max_tokens``, one sentence of overlap."""
    if count_tokens(text) <= max_tokens or len(spans) <= 1:
        return [(0, len(text))]
    windows: list[tuple[int, int]] = []
    i = 0
    while i < len(spans):
        j = i + 1
        while j < len(spans) and count_tokens(text[spans[i][0] : spans[j][1]]) <= max_tokens:
            j += 1
        windows.append((spans[i][0], spans[j - 1][1]))
        if j >= len(spans):
            break
        i = j - 1 if j - 1 > i else j  # overlap by the window's last sentence
    return windows


def build_nodes(
    doc: ParsedDocument, count_tokens: Callable[[str], int], max_tokens: int = 200, sentence_max_words: int = 45
) -> list[TextNode]:
    """Passage and sentence nodes of a document, each carrying the full address of DESIGN.md §2."""
    nodes: list[TextNode] = []
    source = RelatedNodeInfo(node_id=doc.doc_id)
    for p in doc.paragraphs:
        address = doc.address(p)
        key = address.para_key
        spans = sentence_spans(p.text, sentence_max_words)
        windows = passage_windows(spans, count_tokens, p.text, max_tokens)
        for k, (ws, we) in enumerate(windows):
            node_id = key if len(windows) == 1 else f"{key}.w{k + 1}"
            nodes.append(_node(node_id, p.text[ws:we], passage_metadata(address, k + 1), source))
        for j, (ss, se) in enumerate(spans):
            nodes.append(_node(f"{key}.s{j + 1}", p.text[ss:se], sentence_metadata(address, ss, se, j), source))
    for node in nodes:
        node.metadata[DOC_NODES] = len(nodes)
        node.excluded_embed_metadata_keys.append(DOC_NODES)
        node.excluded_llm_metadata_keys.append(DOC_NODES)
    return nodes


# Only the section name joins the text that is embedded and searched; the rest is address.
_EMBED_KEYS = {"section"}


def _node(node_id: str, text: str, metadata: dict[str, Any], source: RelatedNodeInfo) -> TextNode:
    excluded = [k for k in metadata if k not in _EMBED_KEYS]
    return TextNode(
        id_=node_id,
        text=text,
        metadata=metadata,
        excluded_embed_metadata_keys=excluded,
        excluded_llm_metadata_keys=list(metadata),
        relationships={NodeRelationship.SOURCE: source},
    )


def parsed_to_document(doc: ParsedDocument, signature: str) -> Document:
    """The llama-index Document the ingestion pipeline dedupes on.

    Its hash covers the file's content and ``signature`` (index format and chunking settings), so a
    changed file, or a changed way of chunking it, is re-embedded; anything else is skipped.
    """
    metadata = {"content_hash": doc.content_hash, "chunking": signature}
    document = Document(id_=doc.doc_id, text=doc.text, metadata=metadata)
    document.excluded_embed_metadata_keys = list(metadata)
    return document


def chunking_signature(max_tokens: int, sentence_max_words: int, e5: bool = False) -> str:
    """What shapes the stored nodes besides the file: a change re-embeds the file."""
    return f"format{INDEX_FORMAT}-tokens{max_tokens}-words{sentence_max_words}" + ("-e5" if e5 else "")


class CommuniqueNodeParser(TransformComponent):
    """Pipeline step: the Documents of parsed communiqués → passage and sentence nodes."""

    max_tokens: int = 200
    sentence_max_words: int = 45
    _parsed: dict[str, ParsedDocument] = PrivateAttr(default_factory=dict)
    _count_tokens: Callable[[str], int] = PrivateAttr()

    def __init__(self, parsed: dict[str, ParsedDocument], count_tokens: Callable[[str], int], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._parsed = parsed
        self._count_tokens = count_tokens

    def __call__(self, nodes: Sequence[BaseNode], **kwargs: Any) -> list[BaseNode]:
        out: list[BaseNode] = []
        for node in nodes:
            out.extend(
                build_nodes(self._parsed[node.id_], self._count_tokens, self.max_tokens, self.sentence_max_words)
            )
        return out
