"""One fictional communiqué per published layout, and what parsing each must find.

The text layouts are files in ``tests/data/layouts/`` (plain text, markdown, a web page, numbered
paragraphs with sub-items, operative clauses, hard-wrapped text, a UN letter with its annex as text,
a bilingual English/French text); the binary ones are written here at test time (a PDF report with
running header, footer and footnotes; a Word file with heading and list styles and a table; a UN
letter with its annex as PDF). No file name states a date or a place, so the facts must come from the
text. ``python tests/layouts.py DIR`` writes them all into DIR (for trying the CLI on them).
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).parent / "data" / "layouts"


@dataclass(frozen=True)
class Layout:
    """A fixture and what its parse must show."""

    name: str  # file name
    title_block: str  # the title block as printed (for the report)
    meeting: str
    date: str
    place: str
    sections: list[str]
    labels: list[str | None]  # each paragraph's printed number
    not_paragraphs: list[str]  # title, date/place and masthead lines: never inside a paragraph
    # (paragraph index, texts that must all be inside that one paragraph): sub-items kept together
    together: list[tuple[int, list[str]]] = field(default_factory=list)
    languages: list[str] | None = None  # each paragraph's language; None = all "en"
    starts: list[str] = field(default_factory=list)  # paragraph texts start so, in order (optional)


# ------------------------------------------------------------------------------------------------
# PDF report: running header, "Page N of M", numbered paragraphs with sub-items, footnotes
# ------------------------------------------------------------------------------------------------

REPORT_HEADER = "WPS Focal Points Network - Sixth Ministerial Meeting"
REPORT_TITLE = [
    "Chair's Summary",
    "Sixth Ministerial Meeting",
    "12-13 November 2020 | Sarajevo, Bosnia and Herzegovina",
]
REPORT_NOTE = "See the report of the Secretary-General on women and peace and security of October 2020."


def write_report_pdf(directory: Path) -> Path:
    from fpdf import FPDF

    class Report(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", "I", 8)
            self.cell(0, 8, REPORT_HEADER, align="C", new_x="LMARGIN", new_y="NEXT")
            self.ln(4)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Helvetica", "", 8)
            self.cell(0, 10, f"Page {self.page_no()} of {{nb}}", align="C")

    pdf = Report(format="A4")
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(25, 20, 25)

    def heading(text: str) -> None:
        pdf.set_font("Helvetica", "B", 12)
        pdf.cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)

    def paragraph(text: str, indent: float = 0) -> None:
        pdf.set_font("Helvetica", "", 11)
        pdf.set_x(pdf.l_margin + indent)
        pdf.multi_cell(0, 5.5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)

    def footnote(number: str, text: str) -> None:
        pdf.set_y(-42)
        pdf.set_font("Helvetica", "", 8)
        pdf.cell(0, 4, "__________________", new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(0, 4, f"{number} {text}", new_x="LMARGIN", new_y="NEXT")

    pdf.add_page()
    for text, style, size in zip(REPORT_TITLE, ("B", "B", ""), (16, 12, 11), strict=True):
        pdf.set_font("Helvetica", style, size)
        pdf.cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    paragraph(
        "1. Ministers and senior officials from forty delegations met by video link, as travel was not possible, "
        "and heard from women mediators working in three active conflicts."
    )
    # Paragraph 2 carries a raised footnote mark after "year".
    pdf.set_font("Helvetica", "", 11)
    pdf.write(5.5, "2. The Chair noted that the share of women among negotiators had barely moved in a year")
    pdf.char_vpos = "SUP"
    pdf.write(5.5, "1")
    pdf.char_vpos = "LINE"
    pdf.write(5.5, " and asked members to explain, at the next meeting, what had held them back.")
    pdf.ln(9.5)
    heading("Recommendations")
    paragraph("3. Participants recommended that members:")
    paragraph("(a) publish the names of the women they nominate to mediation rosters;", indent=8)
    paragraph("(b) fund the childcare and travel of women delegates from civil society.", indent=8)
    footnote("1", REPORT_NOTE)
    pdf.add_page()
    heading("Closing")
    paragraph(
        "4. The Chair thanked the interpreters and the technical team, and recalled that the next ministerial "
        "meeting would be held in person if conditions allowed."
    )
    path = Path(directory) / "layout-report.pdf"
    pdf.output(str(path))
    return path


# ------------------------------------------------------------------------------------------------
# Word: Title and Subtitle, Heading 1 sections, a two-level numbered list, bullets, a table
# ------------------------------------------------------------------------------------------------


def _multilevel_numbering(document) -> int:
    """Add a Word multilevel list ("1.", then "(a)") to the document; return its numId."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    numbering = document.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
        '<w:multiLevelType w:val="multilevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%2)"/></w:lvl>'
        "</w:abstractNum>"
    )
    numbering.insert(0, abstract)
    num = numbering.add_num(90)
    return num.numId


def _numbered(document, text: str, num_id: int, level: int):
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    para = document.add_paragraph(text, style="List Paragraph")
    para._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>')
    )
    return para


def write_word_docx(directory: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("Joint Communiqué", style="Title")
    document.add_paragraph("Seventh Capital-Level Meeting", style="Subtitle")
    document.add_paragraph("14 October 2025 | Geneva, Switzerland")
    document.add_paragraph("")
    document.add_paragraph(
        "Meeting at the Palais des Nations, the focal points reviewed five years of commitments and agreed on "
        "the priorities set out below."
    )
    document.add_paragraph("Commitments", style="Heading 1")
    num_id = _multilevel_numbering(document)
    _numbered(
        document, "Members will appoint a deputy focal point so that the work continues during rotations.", num_id, 0
    )
    _numbered(document, "Members will review their national action plans by the end of 2026 to include:", num_id, 0)
    _numbered(document, "a budget for each action;", num_id, 1)
    _numbered(document, "indicators agreed with civil society.", num_id, 1)
    _numbered(document, "Members will publish the results of the review in an accessible format.", num_id, 0)
    document.add_paragraph("Decisions", style="Heading 1")
    document.add_paragraph("Welcome the offer of Chile to host the next capital-level meeting;", style="List Bullet")
    document.add_paragraph("Decide to create a working group on climate and security.", style="List Bullet")
    document.add_paragraph("Pledges", style="Heading 1")
    table = document.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ("Member", "Pledge", "Deadline"), strict=True):
        cell.text = text
    for row in (
        ("Ghana", "A national roster of women mediators", "2026"),
        ("Sweden", "Core funding for ten women's funds", "2027"),
    ):
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    document.add_paragraph("The pledges will be reviewed at each capital-level meeting.")
    path = Path(directory) / "layout-word.docx"
    document.save(str(path))
    return path


# ------------------------------------------------------------------------------------------------
# UN letter with annex as PDF: two-column masthead, running headers, job-number footers, a footnote
# ------------------------------------------------------------------------------------------------

UN_PDF_NOTE = "Resolution 2122 (2013), para. 7."


def write_un_pdf(directory: Path) -> Path:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(20, 15, 20)

    def at(x: float, y: float, text: str, style: str = "", size: float = 10) -> None:
        pdf.set_font("Times", style, size)
        pdf.set_xy(x, y)
        pdf.cell(0, 5, text)

    def body(text: str, y: float | None = None, style: str = "", size: float = 10) -> None:
        if y is not None:
            pdf.set_y(y)
        pdf.set_font("Times", style, size)
        pdf.set_x(35)
        pdf.multi_cell(150, 5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)

    pdf.add_page()
    at(20, 15, "United Nations", "B", 14)
    at(140, 15, "A/80/790-S/2026/155", "B", 12)
    at(20, 25, "General Assembly", "B", 12)
    at(140, 25, "Distr.: General")
    at(20, 31, "Security Council", "B", 12)
    at(140, 31, "9 March 2026")
    at(140, 41, "Original: English")
    at(20, 51, "General Assembly")
    at(110, 51, "Security Council")
    at(20, 56, "Eightieth session")
    at(110, 56, "Eighty-first year")
    at(20, 61, "Agenda item 68")
    at(20, 66, "Women and peace and security")
    body(
        "Letter dated 6 March 2026 from the Permanent Representative of Norway to the United Nations "
        "addressed to the Secretary-General",
        y=80,
        style="B",
    )
    body(
        "I have the honour to transmit herewith the joint statement adopted at the Tenth Capital-Level Meeting "
        "of the Women, Peace and Security Focal Points Network, held in Oslo on 24 and 25 February 2026 (see annex)."
    )
    body(
        "I should be grateful if the present letter and its annex could be circulated as a document of the "
        "General Assembly and of the Security Council."
    )
    at(110, 140, "(Signed) Ingrid Solberg")
    at(110, 145, "Permanent Representative")
    at(20, 275, "26-03217 (E)    090326")
    at(20, 280, "*2603217*")

    pdf.add_page()
    at(20, 10, "A/80/790")
    at(20, 14, "S/2026/155")
    body(
        "Annex to the letter dated 6 March 2026 from the Permanent Representative of Norway to the United "
        "Nations addressed to the Secretary-General",
        y=30,
        style="B",
    )
    body(
        "Joint statement of the Tenth Capital-Level Meeting of the Women, Peace and Security Focal Points Network",
        style="B",
        size=12,
    )
    body("Oslo, Norway, 24-25 February 2026")
    body(
        "1. We, the focal points of the Network, met in Oslo in the tenth year of our work and reaffirm that "
        "women's participation is a condition of lasting peace, not an addition to it."
    )
    pdf.set_font("Times", "", 10)
    pdf.set_x(35)
    pdf.write(5, "2. We will ask every mediation team that we fund to include gender expertise from the start")
    pdf.char_vpos = "SUP"
    pdf.write(5, "1")
    pdf.char_vpos = "LINE"
    pdf.write(5, ".")
    pdf.ln(8)
    at(35, 250, "__________________", size=8)
    at(35, 255, f"1 {UN_PDF_NOTE}", size=8)
    at(20, 280, "2/3    26-03217")

    pdf.add_page()
    at(150, 10, "A/80/790")
    at(150, 14, "S/2026/155")
    body("Climate and security", y=30, style="B")
    body(
        "3. We recommend that climate adaptation funds consult women's organizations in the communities most "
        "exposed to drought and flooding."
    )
    body("4. We thank Norway for hosting the meeting and look forward to our eleventh meeting in 2027.")
    at(150, 280, "26-03217    3/3")
    path = Path(directory) / "layout-un-letter.pdf"
    pdf.output(str(path))
    return path


# ------------------------------------------------------------------------------------------------
# What each layout must parse to
# ------------------------------------------------------------------------------------------------

MASTHEAD = ["Distr.: General", "Original: English", "Agenda item 68", "25-18342", "26-03217", "Letter dated"]

LAYOUTS: list[Layout] = [
    Layout(
        "layout-plain.txt",
        "Communiqué / Inaugural Meeting of the … Network / New York, 23rd of September, 2016",
        "Inaugural Meeting",
        "2016-09-23",
        "New York",
        ["Preamble", "Purpose", "Next steps"],
        [None] * 6,
        ["23rd of September", "Inaugural Meeting of the Women"],
    ),
    Layout(
        "layout-markdown.md",
        "# Joint Communiqué / **5th Capital-Level Meeting** / 6-9 June 2023, Washington, D.C.",
        "5th Capital-Level Meeting",
        "2023-06-09",
        "Washington, D.C.",
        ["Preamble", "Participation", "Protection"],
        [None] * 8,
        ["6-9 June 2023", "5th Capital-Level Meeting"],
        together=[(4, ["Encourage members to report each year on:", "(a) the number of women", "(b) the share"])],
        starts=["We, the members", "We are concerned", "Commit to include", "Welcome the creation", "Encourage"],
    ),
    Layout(
        "layout-webpage.html",
        "<h1>Communiqué of the Second Meeting of the … Network</h1> / (Alicante, Spain, 26 and 27 April 2017)",
        "Second Meeting",
        "2017-04-27",
        "Alicante, Spain",
        ["Preamble", "Decisions", "Participating members by region"],
        [None, "1", "2", "3", None, None, None],
        ["26 and 27 April 2017", "Communiqué of the Second Meeting", "This site uses cookies"],
        together=[(2, ["in the following areas:", "(a) the coordination", "(b) the financing", "(c) the training"])],
        starts=["Focal points", "1. The Network adopts", "2. Members agree", "3. The next meeting", "Region: Africa"],
    ),
    Layout(
        "layout-numbered.txt",
        "Chair's Summary / Third Capital-Level Meeting / Berlin, 9–10 April 2019",
        "Third Capital-Level Meeting",
        "2019-04-10",
        "Berlin",
        ["Main text"],
        ["1", "2", "3", "4", "5"],
        ["9–10 April 2019", "Chair's Summary"],
        together=[
            (1, ["The Chair invited members to:", "(a) attach", "(b) report", "(c) involve the finance ministry"]),
            (2, ["three conditions for success:", "(a) a named official", "(b) a small grant", "(c) regular public"]),
            (3, ["(i) a shared set", "(ii) a peer review"]),
        ],
    ),
    Layout(
        "layout-operative.txt",
        "Declaration of the Fourth Capital-Level Meeting / The Hague, Kingdom of the Netherlands / "
        "Thursday, 4 March 2021",
        "Fourth Capital-Level Meeting",
        "2021-03-04",
        "The Hague, Kingdom of the Netherlands",
        ["Preamble", "Follow-up"],
        [None] * 9,
        ["Thursday, 4 March 2021", "Declaration of the Fourth"],
        starts=[
            "We, the focal points",
            "Welcome",
            "Recognize",
            "Commit",
            "Call upon",
            "Encourage",
            "Decide",
            "Request",
        ],
    ),
    Layout(
        "layout-hardwrap.txt",
        "SUMMARY OF THE TWELFTH MINISTERIAL MEETING / New York, United States, September 24, 2024",
        "Twelfth Ministerial Meeting",
        "2024-09-24",
        "New York, United States",
        ["Preamble", "Financing", "Protection"],
        [None] * 6,
        ["September 24, 2024", "SUMMARY OF THE", "Financing"],
        starts=["Ministers and senior officials", "The Chair opened", "Speakers agreed", "Several ministers"],
    ),
    Layout(
        "layout-un-letter.txt",
        "A/80/512–S/2025/633 masthead, letter dated 10 October 2025; annex: Joint communiqué of the Ninth "
        "Capital-Level Meeting … / Tokyo, 1 and 2 October 2025",
        "Ninth Capital-Level Meeting",
        "2025-10-02",
        "Tokyo",
        ["Preamble", "Participation", "Protection", "Notes"],
        ["1", "2", "3", "4", "5", "6", "7", "1"],
        [
            *MASTHEAD,
            "A/80/512",
            "S/2025/633",
            "Annex to the letter",
            "Tokyo, 1 and 2 October",
            "We have the honour",
            "(2000)1",
            "(Signed)",
            "See also resolution 2493",
        ],
        together=[
            (3, ["support to:", "(a) reserve at least one third", "(b) consult women's organizations"]),
            (4, ["from the women and girls' own communities as well as from the parties."]),  # over a page break
            (7, ["See also resolution 2493 (2019)"]),
        ],
    ),
    Layout(
        "layout-bilingual.txt",
        "Joint Communiqué / Eleventh Capital-Level Meeting / 9-10 June 2026 | Rome, Italy (then the same in French)",
        "Eleventh Capital-Level Meeting",
        "2026-06-10",
        "Rome, Italy",
        ["Preamble", "Participation", "Prevention", "Prévention"],
        [None] * 8,
        ["9-10 June 2026", "9-10 juin 2026", "Communiqué conjoint", "Onzième réunion"],
        languages=["en"] * 4 + ["fr"] * 4,
    ),
    Layout(
        "layout-report.pdf",
        " / ".join(REPORT_TITLE) + " (PDF, running header, page footer, footnote)",
        "Sixth Ministerial Meeting",
        "2020-11-13",
        "Sarajevo, Bosnia and Herzegovina",
        ["Preamble", "Recommendations", "Closing", "Notes"],
        ["1", "2", "3", "4", "1"],
        ["12-13 November 2020", "Chair's Summary", REPORT_HEADER, "Page 1 of 2", "year1", REPORT_NOTE],
        together=[(2, ["recommended that members:", "(a) publish the names", "(b) fund the childcare"])],
    ),
    Layout(
        "layout-word.docx",
        "Title: Joint Communiqué / Subtitle: Seventh Capital-Level Meeting / 14 October 2025 | Geneva, Switzerland",
        "Seventh Capital-Level Meeting",
        "2025-10-14",
        "Geneva, Switzerland",
        ["Preamble", "Commitments", "Decisions", "Pledges"],
        [None, "1", "2", "3", None, None, None, None, None],
        ["14 October 2025", "Seventh Capital-Level Meeting"],
        together=[(2, ["2. Members will review", "(a) a budget for each action;", "(b) indicators agreed"])],
        starts=[
            "Meeting at the Palais",
            "1. Members",
            "2. Members",
            "3. Members",
            "Welcome",
            "Decide",
            "Member: Ghana; Pledge: A national roster",
            "Member: Sweden",
            "The pledges",
        ],
    ),
    Layout(
        "layout-un-letter.pdf",
        "A/80/790–S/2026/155 masthead (PDF), letter dated 6 March 2026; annex: Joint statement of the Tenth "
        "Capital-Level Meeting … / Oslo, Norway, 24-25 February 2026",
        "Tenth Capital-Level Meeting",
        "2026-02-25",
        "Oslo, Norway",
        ["Preamble", "Climate and security", "Notes"],
        ["1", "2", "3", "4", "1"],
        [
            *MASTHEAD,
            "A/80/790",
            "S/2026/155",
            "Annex to the letter",
            "24-25 February 2026",
            "I have the honour",
            "start1",
            "(Signed)",
            UN_PDF_NOTE,
        ],
    ),
]

WRITERS = {
    "layout-report.pdf": write_report_pdf,
    "layout-word.docx": write_word_docx,
    "layout-un-letter.pdf": write_un_pdf,
}


def write(name: str, directory: Path) -> Path:
    """The fixture ``name`` in ``directory`` (a text layout is copied, a binary one generated)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    if name in WRITERS:
        return WRITERS[name](directory)
    return Path(shutil.copy(DATA / name, directory / name))


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "layouts-out")
    for layout in LAYOUTS:
        print(write(layout.name, out))
