"""Formats → blocks: each reader turns one file format into a list of (kind, text) blocks.

A block is a title line, a heading or a paragraph ("auto" when the format does not say which); the
shared step in :mod:`assistant.ingest.structure` then finds the document's structure from them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from assistant.ingest.text import is_sentence_block, normalize, one_line, strip_markdown

Kind = Literal["title", "heading", "para", "auto"]
Block = tuple[Kind, str]


def text_blocks(raw: str) -> list[Block]:
    """Plain text and markdown: blocks are separated by blank lines; ``#`` lines are headings."""
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", normalize(raw)):
        lines = [ln for ln in chunk.split("\n") if ln.strip()]
        if not lines or all(re.fullmatch(r"\s*([-*_=]\s*){3,}", ln) for ln in lines):
            continue  # blank or a horizontal rule
        para: list[str] = []
        for line in lines:
            match = re.match(r"\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$", line)
            if match:  # a markdown heading can sit directly above its paragraph
                if para:
                    blocks.append(("auto", "\n".join(para)))
                    para = []
                kind: Kind = "title" if len(match.group(1)) == 1 else "heading"
                blocks.append((kind, strip_markdown(match.group(2))))
            else:
                para.append(re.sub(r"^\s{0,3}>\s?", "", line))
        if para:
            blocks.append(("auto", strip_markdown("\n".join(para))))
    return blocks


_HTML_DROP = ("script", "style", "noscript", "template", "svg", "form", "button", "iframe", "nav", "aside")
_HTML_NOISE = re.compile(r"cookie|breadcrumb|share|social|menu|sidebar|skip|newsletter|banner|subscribe", re.I)
_HTML_BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "pre", "dd", "dt", "figcaption")


def html_blocks(raw: str) -> list[Block]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(normalize(raw), "html.parser")
    page_title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in soup(_HTML_DROP):
        tag.decompose()
    for tag in soup.select('[role="navigation"], [role="banner"], [role="contentinfo"], [role="complementary"]'):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.decomposed or tag.attrs is None:
            continue
        marker = " ".join([*(tag.get("class") or []), tag.get("id") or ""])
        if marker.strip() and _HTML_NOISE.search(marker):
            tag.decompose()
    # Site headers and footers go; an article's own header (its title and date) stays.
    for tag in soup.find_all(["header", "footer"]):
        if not tag.decomposed and not tag.find_parent(["article", "main"]):
            tag.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    blocks: list[Block] = []
    for el in root.find_all(_HTML_BLOCKS):
        if el.find_parent(_HTML_BLOCKS):
            continue  # its text is part of the enclosing block
        text = one_line(el.get_text(" ", strip=True))
        if not text:
            continue
        if el.name == "h1":
            blocks.append(("title", text))
        elif el.name[0] == "h":
            blocks.append(("heading", text))
        else:
            blocks.append(("auto", text))
    if not blocks:
        blocks = text_blocks(root.get_text("\n"))
    if page_title and not any(kind == "title" for kind, _ in blocks):
        blocks.insert(0, ("title", page_title))
    return blocks


def docx_blocks(path: Path) -> list[Block]:
    import docx

    document = docx.Document(str(path))
    blocks: list[Block] = []
    seen_body = False
    for para in document.paragraphs:
        text = one_line(normalize(para.text))
        if not text:
            continue
        style = (para.style.name if para.style is not None else "") or ""
        if style == "Title" or (style == "Heading 1" and not seen_body and not blocks):
            blocks.append(("title", text))
        elif style.startswith("Heading"):
            blocks.append(("heading", text))
        else:
            blocks.append(("auto", text))
            seen_body = seen_body or is_sentence_block(text)
    return blocks
