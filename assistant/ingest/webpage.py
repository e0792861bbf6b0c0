"""HTML page → blocks: the article without the site around it; lists and tables kept as text.

A published web page wraps the communiqué in navigation, banners, cookie notices and footers; the
communiqué sits in ``<article>`` or ``<main>`` when the site says so. ``<h1>`` is a title line, ``<h2>``
–``<h6>`` headings; a list item is a paragraph of its own with the number the browser would print
("3. …"), its nested items ("(a) …") kept with it; a table row is one paragraph.
"""

from __future__ import annotations

import re
import string

from assistant.ingest.readers import Block, text_blocks
from assistant.ingest.tables import row_texts
from assistant.ingest.text import normalize, one_line, roman_numeral

_DROP = ("script", "style", "noscript", "template", "svg", "form", "button", "iframe", "nav", "aside")
_NOISE = re.compile(r"cookie|breadcrumb|share|social|menu|sidebar|skip|newsletter|banner|subscribe", re.I)
# A page may set its date or venue in a bare <div> or <time> ("<div class="date">9-10 June 2026</div>"):
# such an element counts as a block when it holds no block of its own.
_LEAVES = ("div", "time", "section")
_BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "pre", "dd", "dt", "figcaption", "table")


def html_blocks(raw: str) -> list[Block]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(normalize(raw), "html.parser")
    page_title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in soup(_DROP):
        tag.decompose()
    for tag in soup.select('[role="navigation"], [role="banner"], [role="contentinfo"], [role="complementary"]'):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.decomposed or tag.attrs is None:
            continue
        marker = " ".join([*(tag.get("class") or []), tag.get("id") or ""])
        if marker.strip() and _NOISE.search(marker):
            tag.decompose()
    # Site headers and footers go; an article's own header (its title and date) stays.
    for tag in soup.find_all(["header", "footer"]):
        if not tag.decomposed and not tag.find_parent(["article", "main"]):
            tag.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    for br in root.find_all("br"):
        br.replace_with("\n")  # "<strong>Eighth Meeting</strong><br>9–10 June 2026, Rome": two lines
    blocks: list[Block] = []
    for el in root.find_all([*_BLOCKS, *_LEAVES]):
        if el.find_parent(_BLOCKS) or (el.name in _LEAVES and (el.find(_BLOCKS) or _leaf_inside_leaf(el))):
            continue  # its text is part of the enclosing block (or of the blocks it holds)
        if el.name == "table":
            blocks.extend(("para", row) for row in row_texts(_table_rows(el)))
            continue
        raw = _list_item_text(el) if el.name == "li" else el.get_text(" ")
        text = "\n".join(line for part in raw.split("\n") if (line := one_line(part)))
        if not text:
            continue
        if el.name == "h1":
            blocks.append(("title", text))
        elif el.name[0] == "h":
            blocks.append(("heading", text))
        elif el.name == "li":
            blocks.append(("item", text))
        else:
            blocks.append(("auto", text))
    if not blocks:
        blocks = text_blocks(root.get_text("\n"))
    if page_title and not any(kind == "title" for kind, _ in blocks):
        blocks.insert(0, ("title", page_title))
    return blocks


def _leaf_inside_leaf(el) -> bool:
    """A <div> inside a <div> that is itself a leaf block: the outer one carries the text."""
    parent = el.find_parent(_LEAVES)
    return parent is not None and not parent.find(_BLOCKS)


def _marker(li, ordered_list) -> str:
    """What a browser prints before an ordered list's item: "3." (or "(c)" for ``type="a"``)."""
    if ordered_list is None or ordered_list.name != "ol":
        return ""
    siblings = ordered_list.find_all("li", recursive=False)
    try:
        start = int(ordered_list.get("start", 1))
    except ValueError:
        start = 1
    n = start + siblings.index(li)
    kind = ordered_list.get("type", "1")
    if kind == "a" and 1 <= n <= 26:
        return f"({string.ascii_lowercase[n - 1]})"
    if kind == "i":
        return f"({roman_numeral(n)})"
    return f"{n}."


def _list_item_text(li) -> str:
    """The item's own words, then each nested item with its marker: "3. Call on States to: (a) …; (b) …"."""
    own = []
    nested = []
    for child in li.children:
        if getattr(child, "name", None) in ("ol", "ul"):
            nested.extend(child.find_all("li", recursive=False))
        elif getattr(child, "name", None):
            own.append(child.get_text(" ", strip=True))
        else:
            own.append(str(child).strip())
    parts = [_marker(li, li.parent), *own]
    for item in nested:
        parts.append(_list_item_text(item))
    return " ".join(p for p in parts if p)


def _table_rows(table) -> list[list[str]]:
    rows = []
    for tr in table.find_all("tr"):
        cells = [one_line(cell.get_text(" ", strip=True)) for cell in tr.find_all(["th", "td"])]
        if any(cells):
            rows.append(cells)
    return rows
