"""Builders for small communiqué fixtures in every supported input format.

Every ``write_*`` function writes one file into ``directory`` and returns its path. The
structured writers (markdown, HTML, PDF, DOCX) all render the same tiny fictional communiqué,
whose cleaned content is described by the constants below, so a test can parse any of them
and compare against one expectation. Everything is generated at test time; nothing binary is
committed.

The communiqué (``STEM`` + suffix)::

    Joint Communiqué                                 <- title
    Seventh Ministerial Meeting                      <- title block: meeting
    12-13 March 2024 | Nairobi, Kenya                <- title block: date | place
    <paragraph 1>                                    <- "Preamble"
    Participation                                    <- heading
    <paragraph 2>, <paragraph 3>
    Protection                                       <- heading
    <paragraph 4>, <paragraph 5>                     <- 5 contains "implementation"

The PDF hyphenates "imple-" / "mentation" across a line end inside paragraph 5 and carries a
running header and a page footer on each of its three pages; the HTML page is wrapped in
navigation, banner, script, style, aside and cookie-footer noise. ``NOISE`` lists strings from
that wrapping which must never reach the cleaned text.
"""

from __future__ import annotations

import random
from pathlib import Path

STEM = "2024-03-13_nairobi_seventh-ministerial-meeting"

TITLE = "Joint Communiqué"
MEETING = "Seventh Ministerial Meeting"
DATELINE = "12-13 March 2024 | Nairobi, Kenya"
DATE = "2024-03-13"
PLACE = "Nairobi, Kenya"

PARTICIPATION = "Participation"
PROTECTION = "Protection"

# (section, cleaned paragraph text) in document order. Plain latin-1 text, no hyphenated
# compounds (the only hyphen a parser should see at a PDF line end is the forced "imple-").
PARAGRAPHS: list[tuple[str, str]] = [
    (
        "Preamble",
        (
            "We, the members of the Women, Peace and Security Focal Points Network, convened in "
            "Nairobi under the theme of resilient partnerships. The meeting was hosted by Kenya and "
            "Iceland as chairs of the Network, with UN Women serving as Secretariat. Delegates "
            "welcomed the tamarind accord as a shared point of departure for the coming year."
        ),
    ),
    (
        PARTICIPATION,
        (
            "We recommend that States guarantee the full, equal and meaningful participation of "
            "women in every ceasefire negotiation. Mediation rosters should include at least one "
            "woman from each affected community. The heron initiative will track this progress "
            "annually."
        ),
    ),
    (
        PARTICIPATION,
        (
            "We value the work of local women peacebuilders in the lakeside districts and recommend "
            "flexible core funding for their organizations. Such funding should be predictable and "
            "span several years. Reporting burdens on small grantees should be reduced through the "
            "saffron template."
        ),
    ),
    (
        PROTECTION,
        (
            "We recommend services for survivors of sexual violence in conflict that include legal "
            "aid and psychosocial care. Courts should receive sustained support to prosecute these "
            "crimes. The obsidian protocol sets out minimum standards for safe referral."
        ),
    ),
    (
        PROTECTION,
        (
            "Recalling the commitments made at earlier meetings of our Network, we call once more "
            "for the swift implementation of national action plans that address online abuse "
            "against women human rights defenders. Platforms should remove abusive content within "
            "one day of a report. Progress will be reviewed at the marigold conference next year."
        ),
    ),
]

SECTIONS = ["Preamble", PARTICIPATION, PROTECTION]

# The PDF wraps paragraph 5 itself, full width like multi_cell, and breaks this word as a
# hyphenating typesetter would: "... for the swift imple-" / "mentation of national ...".
PDF_HYPHENATED = ("implementation", "imple")

PDF_RUNNING_HEADER = "WPS Focal Points Network - Ministerial Communique"
PDF_PAGES = 3

# Numbered plain-text communiqué: (label, paragraph text without its "N. " prefix).
NUMBERED_PARAGRAPHS: list[tuple[str, str]] = [
    (
        "1",
        (
            "We recommend that ministries publish gender budgets every spring. The quince ledger "
            "will make these budgets comparable across members."
        ),
    ),
    (
        "2",
        (
            "We recommend that security sector training include a module on the women, peace and "
            "security agenda. Instructors should be drawn from the cobalt roster."
        ),
    ),
    (
        "3",
        (
            "We recommend that humanitarian appeals fund women-led relief groups directly. Such "
            "funding reached the delta provinces last year with visible results."
        ),
    ),
    (
        "4",
        (
            "We encourage members to share evaluation reports through the juniper exchange. Peer "
            "learning strengthens national action plans."
        ),
    ),
]

# Strings from page chrome (HTML) and page furniture (PDF) that must never reach doc.text.
HTML_NOISE = [
    "Network Home",
    "Member Directory",
    "Press Room",
    "WPS Focal Points Portal",
    "Skip to content",
    "window.dataLayer",
    "trackPageview",
    "function",
    "cookie-banner",
    "display:none",
    "We use cookies to improve your browsing experience",
    "Accept all cookies",
    "Copyright 2024 WPS Secretariat",
    "Privacy policy",
    "Related stories",
    "Lakeside workshop recap",
]
PDF_NOISE = [
    PDF_RUNNING_HEADER,
    "Ministerial Communique",
    "Page 1 of 3",
    "Page 2 of 3",
    "Page 3 of 3",
]
NOISE = HTML_NOISE + PDF_NOISE


def _path(directory: Path, suffix: str, stem: str = STEM) -> Path:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    return directory / f"{stem}{suffix}"


# --------------------------------------------------------------------------------------------
# Markdown
# --------------------------------------------------------------------------------------------


def _markdown_paragraph(index: int, text: str) -> str:
    """Decorate some paragraphs with emphasis and a link (cleaning must remove all of it)."""
    if index == 1:
        text = text.replace(
            "full, equal and meaningful participation",
            "**full, equal and meaningful participation**",
        )
        text = text.replace("ceasefire", "_ceasefire_")
    elif index == 2:
        text = text.replace(
            "local women peacebuilders",
            "[local women peacebuilders](https://example.org/peacebuilders)",
        )
        text = text.replace("saffron template", "*saffron template*")
    elif index == 3:
        text = text.replace("obsidian protocol", "__obsidian protocol__")
    return text


def write_markdown(directory: Path) -> Path:
    """``# Title``, bold meeting line + dateline, ``##`` sections, bold/italic/link inline."""
    lines = [f"# {TITLE}", "", f"**{MEETING}**", DATELINE, ""]
    current = "Preamble"
    for i, (section, text) in enumerate(PARAGRAPHS):
        if section != current:
            lines += [f"## {section}", ""]
            current = section
        lines += [_markdown_paragraph(i, text), ""]
    path = _path(directory, ".md")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------


def _html_paragraph(index: int, text: str) -> str:
    """Inline markup, and the first paragraph wrapped over indented source lines."""
    if index == 0:
        words = text.split(" ")
        return "\n          ".join(" ".join(words[i : i + 12]) for i in range(0, len(words), 12))
    if index == 1:
        return text.replace(
            "full, equal and meaningful participation",
            "<strong>full, equal and meaningful participation</strong>",
        )
    if index == 2:
        return text.replace(
            "local women peacebuilders",
            '<a href="https://example.org/peacebuilders">local women peacebuilders</a>',
        )
    if index == 3:
        return text.replace("obsidian protocol", "<em>obsidian protocol</em>")
    return text


def write_html(directory: Path, suffix: str = ".html") -> Path:
    """A whole web page: the communiqué sits in ``<main><article>``, surrounded by chrome."""
    body = [
        f"        <h1>{TITLE}</h1>",
        f'        <p class="meeting">{MEETING}</p>',
        f'        <p class="dateline">{DATELINE}</p>',
    ]
    current = "Preamble"
    for i, (section, text) in enumerate(PARAGRAPHS):
        if section != current:
            body.append(f"        <h2>{section}</h2>")
            current = section
        body.append(f"        <p>{_html_paragraph(i, text)}</p>")
    article = "\n".join(body)
    page = f"""<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>{TITLE} | WPS Focal Points Portal</title>
    <style>
      .cookie-banner {{ display:none; position: fixed; }}
      nav ul {{ list-style: none; }}
    </style>
    <script>
      window.dataLayer = window.dataLayer || [];
      function trackPageview() {{ window.dataLayer.push({{event: "pageview"}}); }}
    </script>
  </head>
  <body>
    <a class="skip" href="#main">Skip to content</a>
    <header class="site-banner">
      <div class="logo">WPS Focal Points Portal</div>
    </header>
    <nav>
      <ul>
        <li><a href="/">Network Home</a></li>
        <li><a href="/members">Member Directory</a></li>
        <li><a href="/press">Press Room</a></li>
      </ul>
    </nav>
    <main id="main">
      <article>
{article}
      </article>
      <aside>
        <h3>Related stories</h3>
        <p>Lakeside workshop recap</p>
      </aside>
    </main>
    <footer>
      <p>Copyright 2024 WPS Secretariat. <a href="/privacy">Privacy policy</a></p>
      <div class="cookie-banner">
        <p>We use cookies to improve your browsing experience.</p>
        <button>Accept all cookies</button>
      </div>
    </footer>
    <script>trackPageview();</script>
  </body>
</html>
"""
    path = _path(directory, suffix)
    path.write_text(page, encoding="utf-8")
    return path


# --------------------------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------------------------


def _hyphenating_wrap(pdf, text: str) -> list[str]:
    """Greedy wrap at multi_cell's width, splitting ``PDF_HYPHENATED`` across a line end."""
    width = pdf.epw - 2 * pdf.c_margin
    word, head = PDF_HYPHENATED
    lines: list[str] = []
    current = ""
    for w in text.split():
        candidate = f"{current} {w}".strip()
        if pdf.get_string_width(candidate) <= width:
            current = candidate
        elif w == word and pdf.get_string_width(f"{current} {head}-") <= width:
            lines.append(f"{current} {head}-")
            current = w[len(head) :]
        else:
            lines.append(current)
            current = w
    lines.append(current)
    return lines


def write_pdf(directory: Path, page_numbers: str = "of") -> Path:
    """A three-page PDF with a running header and a page-number footer on every page.

    ``page_numbers="of"`` prints "Page N of M" in the footer; ``"lone"`` prints just "N".
    Paragraphs are wrapped by fpdf2's ``multi_cell`` except paragraph 5, which is wrapped
    at the same width line by line so that "implementation" is hyphenated across the end of
    its (full-width) first line.
    Page 1: title block, paragraph 1, "Participation", paragraphs 2 and 3 (back to back, so
    only vertical space separates them). Page 2: "Protection", paragraph 4. Page 3: paragraph 5.
    """
    from fpdf import FPDF

    if page_numbers not in ("of", "lone"):
        raise ValueError(f"page_numbers must be 'of' or 'lone', not {page_numbers!r}")

    class CommuniquePDF(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", "I", 9)
            self.cell(0, 8, PDF_RUNNING_HEADER, align="C", new_x="LMARGIN", new_y="NEXT")
            self.ln(6)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Helvetica", "", 9)
            label = f"Page {self.page_no()} of {{nb}}" if page_numbers == "of" else str(self.page_no())
            self.cell(0, 10, label, align="C")

    pdf = CommuniquePDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.set_title(TITLE)

    def heading(text: str) -> None:
        pdf.set_font("Helvetica", "B", 13)
        pdf.cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)

    def paragraph(text: str) -> None:
        pdf.set_font("Helvetica", "", 11)
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(5)

    text = dict(enumerate(t for _, t in PARAGRAPHS))

    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.cell(0, 10, TITLE, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 7, MEETING, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    pdf.cell(0, 7, DATELINE, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    paragraph(text[0])
    heading(PARTICIPATION)
    paragraph(text[1])
    paragraph(text[2])

    pdf.add_page()
    heading(PROTECTION)
    paragraph(text[3])

    pdf.add_page()
    pdf.set_font("Helvetica", "", 11)
    lines = _hyphenating_wrap(pdf, text[4])
    if not any(line.endswith(f"{PDF_HYPHENATED[1]}-") for line in lines):
        raise AssertionError(f"fixture drift: paragraph 5 no longer hyphenates: {lines}")
    for line in lines:
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(5)

    path = _path(directory, ".pdf")
    pdf.output(str(path))
    return path


# --------------------------------------------------------------------------------------------
# DOCX
# --------------------------------------------------------------------------------------------


def write_docx(directory: Path) -> Path:
    """A "Title" paragraph, Normal title-block lines, "Heading 2" sections, Normal paragraphs.

    Paragraph 2 is split over several runs (one bold), and an empty Normal paragraph sits
    between the title block and the preamble, as Word documents often have.
    """
    import docx

    document = docx.Document()
    document.add_paragraph(TITLE, style="Title")
    document.add_paragraph(MEETING)
    document.add_paragraph(DATELINE)
    document.add_paragraph("")
    current = "Preamble"
    for i, (section, text) in enumerate(PARAGRAPHS):
        if section != current:
            document.add_paragraph(section, style="Heading 2")
            current = section
        if i == 1:
            emphasised = "full, equal and meaningful participation"
            before, after = text.split(emphasised)
            para = document.add_paragraph(before)
            para.add_run(emphasised).bold = True
            para.add_run(after)
        else:
            document.add_paragraph(text)
    path = _path(directory, ".docx")
    document.save(str(path))
    return path


# --------------------------------------------------------------------------------------------
# Plain text
# --------------------------------------------------------------------------------------------


def write_numbered_txt(directory: Path) -> Path:
    """Plain text, no headings: title block, then paragraphs "1. …", "2. …", one per line."""
    lines = [TITLE, MEETING, DATELINE, ""]
    for label, text in NUMBERED_PARAGRAPHS:
        lines += [f"{label}. {text}", ""]
    path = _path(directory, ".txt", stem="2024-03-13_nairobi_numbered-recommendations")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


# --------------------------------------------------------------------------------------------
# Unreadable files
# --------------------------------------------------------------------------------------------


def write_corrupt(directory: Path, suffix: str, size: int = 2048, seed: int = 7) -> Path:
    """Deterministic garbage bytes saved under ``suffix`` (``size=0`` gives an empty file)."""
    data = random.Random(seed).randbytes(size)
    path = _path(directory, suffix, stem=f"corrupt{suffix.replace('.', '_')}")
    path.write_bytes(data)
    return path


def write_pdf_with_bad_xref(directory: Path) -> Path:
    """The communiqué PDF with its ``startxref`` offset off by a few bytes: readable, but pypdf warns
    ("incorrect startxref pointer") while it finds the cross-reference table itself."""
    import re

    path = write_pdf(directory)
    data = re.sub(
        rb"startxref\s+(\d+)", lambda m: b"startxref\n" + str(int(m.group(1)) + 7).encode(), path.read_bytes()
    )
    path.write_bytes(data)
    return path


WRITERS = {
    "markdown": write_markdown,
    "html": write_html,
    "pdf": write_pdf,
    "docx": write_docx,
}
