"""The United Nations document layout: a masthead, a covering letter, and the communiqué as its annex.

    United Nations          A/80/512–S/2025/633        ← masthead: symbol, organs, "Distr.: General",
    General Assembly        Distr.: General               the date of issue, "Original: English",
    Security Council        21 October 2025               session, agenda item, subject
    …
    Letter dated 17 October 2025 from the Permanent    ← the covering letter
    Representatives of … addressed to the Secretary-General
    …
    Annex to the letter dated 17 October 2025 …        ← the annex: the document itself
    Joint communiqué of the Ninth Capital-Level Meeting …

The annex is the document: its title block gives the facts, its sections and paragraphs are the ones
cited. The masthead and the letter stay in the cleaned text as front matter, never as paragraphs; the
letter's own paragraphs (which often say where and when the meeting was held) and the masthead's date
are read for facts only when the annex does not state them. Running headers and footers are page
furniture (:mod:`assistant.ingest.furniture`), already gone when the blocks get here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.ingest.dates import find_date
from assistant.ingest.furniture import SYMBOLS
from assistant.ingest.readers import Block
from assistant.ingest.text import is_sentence_block

_DISTRIBUTION = re.compile(
    r"\bDistr\.?\s*:?\s*(?:General|Limited|Restricted|générale|limitée|general|limitada)\b", re.I
)
# The covering letter's title, in English, French and Spanish.
_LETTER = re.compile(
    r"^(?:(?:Identical\s+)?(?:Letters?|Note\s+verbale|Note)\s+(?:dated|by)"
    r"|(?:Lettres?|Note\s+verbale)\s+(?:identiques\s+)?datées?|Note\s+du"
    r"|(?:Cartas?|Nota\s+verbal)\s+(?:idénticas\s+)?de\s+fecha|Nota\s+del)\b",
    re.I,
)
_ANNEX = re.compile(r"^(?:Annex|Annexe|Anexo|Enclosure|Pièce jointe)\b(?:\s+(?:[IVX]+|\d+))?(?=\s|$|[:.])")
_ANNEX_ENDS = re.compile(
    r"(?:Secretary-General|Security Council|General Assembly|Council|President|Secrétaire général|Conseil de sécurité"
    r"|Secretario General|Consejo de Seguridad)\W*$"
)
_HEAD_BLOCKS = 12  # the masthead sits in the document's first blocks


@dataclass
class Layout:
    """The blocks that are the document, and what comes before them."""

    blocks: list[Block]
    front: list[str] = field(default_factory=list)  # masthead, letter and annex heading: text, not paragraphs
    more: list[str] = field(default_factory=list)  # texts to read facts from when the document lacks them
    symbol: str | None = None  # "A/80/512–S/2025/633"


def read_layout(blocks: list[Block]) -> Layout:
    """Split a UN document into front matter and the annex; any other document passes unchanged."""
    head = " ".join(text for _, text in blocks[:_HEAD_BLOCKS])
    symbol = SYMBOLS.search(head)
    if not (_DISTRIBUTION.search(head) or (symbol and "United Nations" in head)):
        return Layout(blocks)
    i = 0
    while i < len(blocks) and not _LETTER.match(blocks[i][1]) and not _ANNEX.match(blocks[i][1]):
        if is_sentence_block(blocks[i][1]) and i >= 3:
            break  # no letter: the document starts after its masthead
        i += 1
    masthead = [text for _, text in blocks[:i]]
    issued = next((text for text in masthead if find_date(text)), None)
    annex = next((k for k in range(i, len(blocks)) if _ANNEX.match(blocks[k][1])), None)
    if annex is None:  # a masthead over the document itself (no letter, or a letter without annex)
        return Layout(blocks[i:], masthead, [issued] if issued else [], symbol.group(0) if symbol else None)
    letter = [text for _, text in blocks[i:annex]]
    # "Annex to the letter dated … addressed to the Secretary-General" may span several layout blocks.
    end = annex + 1
    while end < len(blocks) and end - annex < 4 and not _ANNEX_ENDS.search(blocks[end - 1][1]):
        if is_sentence_block(blocks[end][1]) and not _ANNEX_ENDS.search(blocks[end][1]):
            break
        end += 1
    if not _ANNEX_ENDS.search(blocks[end - 1][1]):
        end = annex + 1
    heading = [text for _, text in blocks[annex:end]]
    body = [
        ("heading", text) if kind in ("auto", "heading", "title") and _ANNEX.match(text) else (kind, text)
        for kind, text in blocks[end:]
    ]
    more = [text for text in letter[1:] if is_sentence_block(text)] + ([issued] if issued else [])
    return Layout(body, masthead + letter + heading, more, symbol.group(0) if symbol else None)
