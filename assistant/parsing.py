"""Read a communiqué file, clean it and recover its structure.

Every format is reduced to a list of blocks (title line, heading or paragraph); one shared step then
finds the title block facts (meeting, date, place), the sections and the numbered paragraphs.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from assistant.documents import Paragraph, ParsedDocument

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx")
PREAMBLE = "Preamble"
MAIN_TEXT = "Main text"  # the section of a document that has no headings at all

Kind = Literal["title", "heading", "para", "auto"]
Block = tuple[Kind, str]


class ParseError(Exception):
    """A file that cannot be read as a communiqué; the message names the file and the reason."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path.name}: {reason}")
        self.path = path
        self.reason = reason


def parse_file(path: Path) -> ParsedDocument:
    """Parse one corpus file into a :class:`ParsedDocument`, or raise :class:`ParseError`."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ParseError(path, f"unsupported file type {suffix or '(none)'}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(path, f"cannot be read ({exc.strerror or exc})") from exc
    if not data.strip():
        raise ParseError(path, "the file is empty")
    try:
        if suffix == ".pdf":
            blocks = _pdf_blocks(path)
        elif suffix == ".docx":
            blocks = _docx_blocks(path)
        elif suffix in (".html", ".htm"):
            blocks = _html_blocks(_decode(data))
        else:
            blocks = _text_blocks(_decode(data))
    except ParseError:
        raise
    except Exception as exc:
        raise ParseError(path, f"not a readable {suffix[1:].upper()} file ({type(exc).__name__}: {exc})") from exc
    doc = _assemble(blocks, path)
    doc.content_hash = hashlib.sha256(data).hexdigest()
    doc.fmt = suffix.lstrip(".")
    return doc


def doc_id_for(path: Path) -> str:
    """A stable, URL-safe id from the file name."""
    return re.sub(r"[^a-z0-9._-]+", "-", path.stem.lower()).strip("-") or "document"


# --------------------------------------------------------------------------- text cleaning

_WS = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u3000]+")


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _normalize(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(r"[\u200b\u200c\u200d\ufeff\u00ad]", "", text)


def _one_line(text: str) -> str:
    """Join hard-wrapped lines into one line with single spaces."""
    return _WS.sub(" ", " ".join(part.strip() for part in text.split("\n"))).strip()


def _strip_markdown(text: str) -> str:
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)  # images
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)  # links keep their words
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text, flags=re.S)
    text = re.sub(r"(?<![\w*])([*_])(?![\s*_])(.+?)(?<![\s*_])\1(?![\w*])", r"\2", text, flags=re.S)
    text = re.sub(r"`([^`]*)`", r"\1", text)
    return text


# --------------------------------------------------------------------------- formats → blocks


def _text_blocks(raw: str) -> list[Block]:
    """Plain text and markdown: blocks are separated by blank lines; ``#`` lines are headings."""
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", _normalize(raw)):
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
                blocks.append((kind, _strip_markdown(match.group(2))))
            else:
                para.append(re.sub(r"^\s{0,3}>\s?", "", line))
        if para:
            blocks.append(("auto", _strip_markdown("\n".join(para))))
    return blocks


_HTML_DROP = ("script", "style", "noscript", "template", "svg", "form", "button", "iframe", "nav", "aside")
_HTML_NOISE = re.compile(r"cookie|breadcrumb|share|social|menu|sidebar|skip|newsletter|banner|subscribe", re.I)
_HTML_BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "pre", "dd", "dt", "figcaption")


def _html_blocks(raw: str) -> list[Block]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(_normalize(raw), "html.parser")
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
        text = _one_line(el.get_text(" ", strip=True))
        if not text:
            continue
        if el.name == "h1":
            blocks.append(("title", text))
        elif el.name[0] == "h":
            blocks.append(("heading", text))
        else:
            blocks.append(("auto", text))
    if not blocks:
        blocks = _text_blocks(root.get_text("\n"))
    if page_title and not any(kind == "title" for kind, _ in blocks):
        blocks.insert(0, ("title", page_title))
    return blocks


def _docx_blocks(path: Path) -> list[Block]:
    import docx

    document = docx.Document(str(path))
    blocks: list[Block] = []
    seen_body = False
    for para in document.paragraphs:
        text = _one_line(_normalize(para.text))
        if not text:
            continue
        style = (para.style.name if para.style is not None else "") or ""
        if style == "Title" or (style == "Heading 1" and not seen_body and not blocks):
            blocks.append(("title", text))
        elif style.startswith("Heading"):
            blocks.append(("heading", text))
        else:
            blocks.append(("auto", text))
            seen_body = seen_body or _is_sentence_block(text)
    return blocks


_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,4})?\s*$", re.I)


@dataclass
class _Line:
    text: str
    y: float
    size: float
    bold: bool


def _page_lines(page) -> list[_Line]:
    """The page's text lines with their height on the page, font size and weight (via pypdf's visitor)."""
    runs: list[tuple[float, str, float, bool]] = []

    def visit(text, cm, tm, font, size) -> None:
        if text.strip():
            name = str((font or {}).get("/BaseFont", ""))
            scale = abs(tm[3]) if tm[3] else 1.0
            runs.append((round(tm[5] * (cm[3] or 1) + cm[5], 1), text, size * scale, "bold" in name.lower()))

    page.extract_text(visitor_text=visit)
    lines: list[_Line] = []
    for y, text, size, bold in runs:
        for part in text.split("\n"):
            if not part.strip():
                continue
            if lines and abs(lines[-1].y - y) < 1.0:
                lines[-1].text += part
            else:
                lines.append(_Line(part, y, size, bold))
    return [_Line(_normalize(ln.text).strip(), ln.y, ln.size, ln.bold) for ln in lines if ln.text.strip()]


def _pdf_blocks(path: Path) -> list[Block]:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    if reader.is_encrypted and not reader.decrypt(""):
        raise ParseError(path, "the PDF is password-protected")
    pages = [_page_lines(page) for page in reader.pages]
    if not any(pages):
        raise ParseError(path, "the PDF has no extractable text (a scanned image?)")
    running = _running_lines([[ln.text for ln in page] for page in pages])
    kept: list[list[_Line]] = []
    for page in pages:
        kept.append(
            [
                ln
                for i, ln in enumerate(page)
                if not (_PAGE_NUMBER.match(ln.text) or ((i < 3 or i >= len(page) - 3) and _shape(ln.text) in running))
            ]
        )
    return _blocks_from_layout(kept)


def _blocks_from_layout(pages: list[list[_Line]]) -> list[Block]:
    """Paragraphs from the page layout: a block ends where the vertical gap exceeds the line spacing,
    and a line in a bolder or larger font than the body is a block of its own (a heading or a title
    line). A paragraph that runs over a page break continues unless its last line ends a sentence."""
    sizes = Counter(round(ln.size) for page in pages for ln in page for _ in ln.text)
    body = sizes.most_common(1)[0][0] if sizes else 0
    whole = " ".join(ln.text for page in pages for ln in page)
    blocks: list[list[str]] = []
    for page in pages:
        gaps = [a.y - b.y for a, b in itertools.pairwise(page) if a.y > b.y]
        spacing = statistics.median(gaps) if gaps else 0
        previous: _Line | None = None
        for line in page:
            standout = line.bold or round(line.size) > body
            if previous is None:
                new = not blocks or bool(re.search(r"[.;:!?\"”)]$", blocks[-1][-1])) or standout
            else:
                new = (
                    (previous.y - line.y) > 1.4 * spacing or standout or (previous.bold or round(previous.size) > body)
                )
            if new:
                blocks.append([line.text])
            else:
                blocks[-1].append(line.text)
            previous = line
    return [("auto", _one_line(_join_hyphenated(lines, whole))) for lines in blocks]


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", line.strip().lower())


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Lines repeated at the top or bottom of most pages: running headers and footers."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for page in pages:
        content = [ln for ln in page if ln.strip()]
        counts.update({_shape(ln) for ln in content[:3] + content[-3:]})
    return {shape for shape, n in counts.items() if n >= max(2, len(pages) // 2 + 1)}


def _join_hyphenated(lines: list[str], whole: str) -> str:
    out = lines[0]
    for line in lines[1:]:
        match = re.search(r"(\w+)-$", out)
        if match and line[:1].islower():
            head, tail = match.group(1), re.match(r"\w+", line)
            compound = f"{head}-{tail.group(0)}" if tail else ""
            if compound and whole.count(compound) > 0 and f"{head}- {tail.group(0)}" not in whole:
                out = out + line  # the compound is a real hyphenated word ("gender-sensitive")
            else:
                out = out[:-1] + line
        else:
            out = out + "\n" + line
    return out


# --------------------------------------------------------------------------- blocks → document

_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ]
    )
}
_MONTH = r"(January|February|March|April|May|June|July|August|September|October|November|December)"
_DATE_PATTERNS = [
    (re.compile(rf"\b\d{{1,2}}\s*(?:[-–]|to)\s*(\d{{1,2}})\s+{_MONTH}\s+(\d{{4}})", re.I), ("d", "m", "y")),
    (re.compile(rf"\b\d{{1,2}}\s+{_MONTH}\s*[-–]\s*(\d{{1,2}})\s+{_MONTH}\s+(\d{{4}})", re.I), ("d", "m", "y")),
    (re.compile(rf"\b(\d{{1,2}})\s+{_MONTH},?\s+(\d{{4}})", re.I), ("d", "m", "y")),
    (re.compile(rf"\b{_MONTH}\s+\d{{1,2}}\s*[-–]\s*(\d{{1,2}}),?\s+(\d{{4}})", re.I), ("m", "d", "y")),
    (re.compile(rf"\b{_MONTH}\s+(\d{{1,2}}),?\s+(\d{{4}})", re.I), ("m", "d", "y")),
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), ("y", "mn", "d")),
]
_MEETING = re.compile(r"\b((?:[A-Z][\w'’-]*\s+){1,5}(?:Meeting|Summit|Conference|Forum|Session|Dialogue|Retreat))\b")
_DOC_KIND = re.compile(r"communiqu|declaration|statement|summary|outcome|report|conclusions", re.I)
_NUMBERED = re.compile(r"^\(?(\d{1,3})[.)]\s+")
_ENUMERATED_HEADING = re.compile(r"^(?:[IVXLC]+|[A-Z]|\d{1,2})[.)]\s+(?=\S)")


def _find_date(text: str) -> tuple[str, re.Match[str]] | None:
    """The ISO date of the (last) day a text states, with the match that stated it."""
    found: list[tuple[int, str, re.Match[str]]] = []
    for pattern, order in _DATE_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        parts: dict[str, str] = {}
        groups = [g for g in match.groups() if g is not None]
        if order == ("d", "m", "y") and len(groups) == 4:  # day Month - day Month year
            groups = groups[1:]
        for key, value in zip(order, groups[-3:], strict=False):
            parts[key] = value
        month = _MONTHS.get(parts.get("m", "").lower()) or int(parts.get("mn", "0") or 0)
        try:
            iso = f"{int(parts['y']):04d}-{month:02d}-{int(parts['d']):02d}"
        except (KeyError, ValueError):
            continue
        if 1 <= month <= 12:
            found.append((match.start(), iso, match))
    if not found:
        return None
    _, iso, match = min(found, key=lambda item: item[0])
    return iso, match


def _is_sentence_block(text: str) -> bool:
    return len(text.split()) > 20 or bool(re.search(r"[.;:!?,]$", text.strip()))


def _looks_like_heading(text: str) -> bool:
    text = text.strip()
    if "\n" in text or not text or len(text) > 80 or len(text.split()) > 10:
        return False
    if re.search(r"[.;:!?,…]$", text):
        return False
    first = _ENUMERATED_HEADING.sub("", text)[:1]
    return first.isupper() or first.isdigit()


def _heading_name(text: str) -> str:
    name = _ENUMERATED_HEADING.sub("", text.strip()).strip()
    return name or text.strip()


def _assemble(blocks: list[Block], path: Path) -> ParsedDocument:
    # 1. The title block: explicit titles and the short, unpunctuated lines before the first paragraph.
    title_lines: list[str] = []
    i = 0
    while i < len(blocks):
        kind, text = blocks[i]
        if kind == "title" or (kind == "auto" and not _is_sentence_block(text)):
            title_lines.extend(ln.strip() for ln in text.split("\n") if ln.strip())
            i += 1
            continue
        break
    # A heading-like last line of the title block directly above body text is the first section.
    body_start = i
    if title_lines and body_start < len(blocks) and blocks[body_start - 1][0] == "auto":
        last = blocks[body_start - 1][1]
        if _looks_like_heading(last) and not _title_fact(last) and len(title_lines) > 1:
            title_lines.pop()
            body_start -= 1
            blocks = [*blocks[:body_start], ("heading", last), *blocks[body_start + 1 :]]

    # 2. Body: headings and paragraphs, written into one cleaned text with offsets.
    pieces: list[str] = []
    offset = 0

    def emit(text: str) -> tuple[int, int]:
        nonlocal offset
        if pieces:
            pieces.append("\n\n")
            offset += 2
        start = offset
        pieces.append(text)
        offset += len(text)
        return start, offset

    for line in title_lines:
        emit(line)
    section: str | None = None
    raw_paragraphs: list[tuple[str | None, str, int, int]] = []
    for kind, text in blocks[body_start:]:
        text = text.strip()
        if kind == "title":
            emit(text)
        elif kind == "heading" or (kind == "auto" and _looks_like_heading(text)):
            emit(text)
            section = _heading_name(text)
        else:
            paragraph = _one_line(text)
            start, end = emit(paragraph)
            raw_paragraphs.append((section, paragraph, start, end))
    if not raw_paragraphs:
        raise ParseError(path, "no paragraphs of text were found")

    has_headings = any(sec is not None for sec, *_ in raw_paragraphs)
    paragraphs: list[Paragraph] = []
    for number, (sec, text, start, end) in enumerate(raw_paragraphs, start=1):
        label = _NUMBERED.match(text)
        paragraphs.append(
            Paragraph(
                number=number,
                section=sec if sec is not None else (PREAMBLE if has_headings else MAIN_TEXT),
                text=text,
                start=start,
                end=end,
                label=label.group(1) if label else None,
            )
        )
    sections = list(dict.fromkeys(p.section for p in paragraphs))
    text = "".join(pieces)
    meeting, date, place, title = _title_facts(title_lines, paragraphs, path)
    return ParsedDocument(
        doc_id=doc_id_for(path),
        title=title,
        text=text,
        paragraphs=paragraphs,
        meeting=meeting,
        date=date,
        place=place,
        source_path=str(path),
        sections=sections,
    )


def _title_fact(line: str) -> bool:
    return bool(_find_date(line) or _MEETING.search(line) or _DOC_KIND.search(line))


def _title_facts(
    title_lines: list[str], paragraphs: list[Paragraph], path: Path
) -> tuple[str | None, str | None, str | None, str]:
    """Meeting, date, place and a display title, from the title block first, then the opening text."""
    opening = " ".join(p.text for p in paragraphs[:3])
    meeting = next((m.group(1) for ln in title_lines if (m := _MEETING.search(ln))), None)
    if meeting is None and (m := _MEETING.search(opening)):
        meeting = re.sub(r"^(?:The|the|For|for)\s+", "", m.group(1))

    date = place = None
    for line in title_lines:
        found = _find_date(line)
        if found:
            date, match = found
            rest = (line[: match.start()] + " | " + line[match.end() :]).strip()
            parts = [p.strip(" ,;–—-") for p in re.split(r"\s*[|·•–—]\s*", rest)]
            candidates = [p for p in parts if p and not _MEETING.search(p) and not _DOC_KIND.search(p)]
            place = candidates[0] if candidates else None
            break
    if date is None and (found := _find_date(opening)):
        date = found[0]
    if place is None:
        m = re.search(
            r"\b(?:convened|held|met|gathered|meeting|hosted)\s+in\s+([A-Z][\w'’-]+(?:,\s*[A-Z][\w'’-]+)?)", opening
        )
        place = m.group(1) if m else None
    stem = re.match(r"(\d{4}-\d{2}-\d{2})[_-]([a-z-]+)", path.stem.lower())
    if date is None and stem:
        date = stem.group(1)
    if place is None and stem:
        place = stem.group(2).replace("-", " ").title()

    kind = next((ln for ln in title_lines if _DOC_KIND.search(ln) and len(ln.split()) <= 6), None)
    if kind and meeting:
        title = f"{kind} — {meeting}"
    elif title_lines:
        title = kind or title_lines[0]
    else:
        title = re.sub(r"[_-]+", " ", path.stem).strip().capitalize()
    return meeting, date, place, title
