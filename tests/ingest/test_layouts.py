"""Every published layout in ``tests/layouts.py`` parses to its facts, sections and paragraphs.

For each fixture (plain text, markdown, web page, PDF report, Word file, UN letter with annex as text
and as PDF, numbered paragraphs with sub-items, operative clauses, hard-wrapped text, bilingual
English/French): meeting, date and place right; no title, date/place or masthead line among the body
paragraphs; the sections; each paragraph's printed number; sub-items kept with their paragraph; each
paragraph's language. Parsing only: no model, no store.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ingest.document import ParsedDocument
from assistant.ingest.parse import parse_file
from tests import layouts

pytestmark = pytest.mark.unit

NAMES = [layout.name for layout in layouts.LAYOUTS]
BY_NAME = {layout.name: layout for layout in layouts.LAYOUTS}


@pytest.fixture(scope="module")
def parsed(tmp_path_factory):
    """``parsed(name) -> ParsedDocument``, each fixture written and parsed once per module."""
    cache: dict[str, ParsedDocument] = {}
    directory = tmp_path_factory.mktemp("layouts")

    def _parse(name: str) -> ParsedDocument:
        if name not in cache:
            cache[name] = parse_file(layouts.write(name, directory))
        return cache[name]

    return _parse


@pytest.mark.parametrize("name", NAMES)
def test_meeting_date_and_place_come_from_the_title_block(parsed, name):
    doc, want = parsed(name), BY_NAME[name]
    assert (doc.meeting, doc.date, doc.place) == (want.meeting, want.date, want.place)


@pytest.mark.parametrize("name", NAMES)
def test_title_date_place_and_masthead_lines_are_never_body_paragraphs(parsed, name):
    body = [p for p in parsed(name).paragraphs if p.section != "Notes"]  # footnotes have their own section
    leaked = [(s, p.number) for s in BY_NAME[name].not_paragraphs for p in body if s in p.text]
    assert leaked == []


@pytest.mark.parametrize("name", NAMES)
def test_title_lines_stay_in_the_cleaned_text(parsed, name):
    """Metadata is not thrown away: the title block is in the text, just not in any paragraph."""
    doc = parsed(name)
    assert doc.meeting and doc.meeting.split()[0].lower() in doc.text.lower()


@pytest.mark.parametrize("name", NAMES)
def test_sections_are_found_in_order(parsed, name):
    assert parsed(name).sections == BY_NAME[name].sections


@pytest.mark.parametrize("name", NAMES)
def test_each_paragraph_carries_the_number_it_prints(parsed, name):
    assert [p.label for p in parsed(name).paragraphs] == BY_NAME[name].labels


@pytest.mark.parametrize("name", [n for n in NAMES if BY_NAME[n].together])
def test_sub_items_stay_in_the_paragraph_that_introduces_them(parsed, name):
    doc = parsed(name)
    for index, parts in BY_NAME[name].together:
        text = doc.paragraphs[index].text
        missing = [part for part in parts if part not in text]
        assert missing == [], f"paragraph {index + 1}: {text!r}"


@pytest.mark.parametrize("name", [n for n in NAMES if BY_NAME[n].starts])
def test_paragraphs_start_where_the_document_starts_them(parsed, name):
    doc = parsed(name)
    starts = BY_NAME[name].starts
    got = [p.text for p in doc.paragraphs[: len(starts)]]
    assert [t.startswith(s) for t, s in zip(got, starts, strict=True)] == [True] * len(starts), got


@pytest.mark.parametrize("name", NAMES)
def test_each_paragraph_records_its_language(parsed, name):
    doc, want = parsed(name), BY_NAME[name]
    assert [p.language for p in doc.paragraphs] == (want.languages or ["en"] * len(doc.paragraphs))
    assert {doc.address(p).language for p in doc.paragraphs} == set(want.languages or ["en"])


@pytest.mark.parametrize("name", NAMES)
def test_paragraph_offsets_address_the_exact_text(parsed, name):
    doc = parsed(name)
    assert [p.number for p in doc.paragraphs] == list(range(1, len(doc.paragraphs) + 1))
    for p in doc.paragraphs:
        assert doc.text[p.start : p.end] == p.text
        assert "\n" not in p.text and "  " not in p.text


@pytest.mark.parametrize("name", ["layout-un-letter.txt", "layout-un-letter.pdf"])
def test_a_un_document_keeps_its_symbol_and_cites_its_annex_not_its_letter(parsed, name):
    doc = parsed(name)
    assert doc.symbol in ("A/80/512–S/2025/633", "A/80/790-S/2026/155")
    assert doc.title.startswith("Joint")
    assert doc.paragraphs[0].text.startswith("1. We, the focal points of the Network")
    assert "Letter dated" in doc.text  # the letter is front matter: in the text, not a paragraph


@pytest.mark.parametrize("name", ["layout-un-letter.txt", "layout-report.pdf", "layout-un-letter.pdf"])
def test_footnotes_are_a_notes_section_at_the_end_and_their_marks_leave_the_body(parsed, name):
    doc = parsed(name)
    notes = [p for p in doc.paragraphs if p.section == "Notes"]
    assert notes and notes == doc.paragraphs[-len(notes) :]
    assert all(p.text.startswith(f"{p.label} ") for p in notes)


def test_a_paragraph_continues_across_a_page_break_and_its_furniture(parsed):
    doc = parsed("layout-un-letter.txt")
    [fifth] = [p for p in doc.paragraphs if p.label == "5" and p.section != "Notes"]
    assert fifth.text.endswith("from the women and girls' own communities as well as from the parties.")


def test_hard_wrapped_lines_are_joined_and_headings_on_their_own_line_found(parsed):
    doc = parsed("layout-hardwrap.txt")
    assert doc.paragraphs[2].text.startswith("Speakers agreed that women's organizations are among the first")
    assert doc.paragraphs[2].section == "Financing"
    assert all("Financing" not in p.text and p.text != "Protection" for p in doc.paragraphs)


def test_docx_table_rows_are_readable_paragraphs(parsed):
    doc = parsed("layout-word.docx")
    rows = [p.text for p in doc.paragraphs if p.section == "Pledges"]
    assert "Member: Ghana; Pledge: A national roster of women mediators; Deadline: 2026." in rows


def test_html_table_rows_are_readable_paragraphs(parsed):
    doc = parsed("layout-webpage.html")
    assert "Region: Europe; Members present: 17; Host of a future meeting: Germany." in [p.text for p in doc.paragraphs]


# Title blocks in more of the forms communiqués use, each in a one-paragraph document.
VARIANTS = [
    ("place-first.txt", "Joint Communiqué\nRome, 10 June 2026\n\nWe met and agreed.", (None, "2026-06-10", "Rome")),
    (
        "labelled.txt",
        "Outcome Document of the Third Ministerial Meeting\n\nVenue: Geneva, Switzerland\nDate: 14 October 2025\n\n"
        "1) We recommend that members support women mediators.",
        ("Third Ministerial Meeting", "2025-10-14", "Geneva, Switzerland"),
    ),
    (
        "capitals.txt",
        "WPS FOCAL POINTS NETWORK\nJOINT COMMUNIQUÉ\nFIFTH CAPITAL-LEVEL MEETING\nWASHINGTON, D.C., 6-9 JUNE 2023\n\n"
        "PARTICIPATION\n\nWe recommend that members support women mediators.",
        ("Fifth Capital-Level Meeting", "2023-06-09", "Washington, D.C."),
    ),
    (
        "italic.md",
        "# Joint Communiqué of the Tenth Capital-Level Meeting\n\n*9-10 June 2030 · Nairobi*\n\n1. We recommend it.",
        ("Tenth Capital-Level Meeting", "2030-06-10", "Nairobi"),
    ),
    (
        "held-in.txt",
        "Chair's Statement\nHeld in Oslo on 24 and 25 February 2026\n\nThe Chair thanked all participants.",
        (None, "2026-02-25", "Oslo"),
    ),
    (
        "one-line.txt",
        "Joint Communiqué of the 5th Capital-Level Meeting of the WPS Focal Points Network, Washington DC, 6–9 June "
        "2023\n\nWe recommend that members support women mediators.",
        ("5th Capital-Level Meeting", "2023-06-09", "Washington DC"),
    ),
    (
        "heading-title.html",
        "<html><body><h2>Joint Communiqué</h2><p><strong>Eighth Capital-Level Meeting</strong><br>9–10 June 2026, "
        "Rome</p><p>We, the members of the Network, met in Rome.</p></body></html>",
        ("Eighth Capital-Level Meeting", "2026-06-10", "Rome"),
    ),
    (
        "divs.html",
        '<html><body><div class="entry-content"><h1>Joint Communiqué</h1><div class="subtitle">Ninth Capital-Level '
        'Meeting</div><div class="date"><time>9–10 June 2026</time> · <span>Rome, Italy</span></div><p>We, the '
        "members of the Network, met in Rome and agree as follows.</p></div></body></html>",
        ("Ninth Capital-Level Meeting", "2026-06-10", "Rome, Italy"),
    ),
    (
        "front-matter.md",
        '---\ntitle: "Joint Communiqué — Fifth Capital-Level Meeting"\ndate: 2023-06-09\nplace: Washington, D.C.\n'
        "---\n\nWe recommend that members include women in every delegation.",
        ("Fifth Capital-Level Meeting", "2023-06-09", "Washington, D.C."),
    ),
    (
        "french-un.txt",
        "S/2024/123\nNations Unies\nConseil de sécurité     Distr. générale\n5 février 2024\n\nOriginal : français\n\n"
        "Lettre datée du 1er février 2024, adressée au Secrétaire général\n\nJ'ai l'honneur de vous transmettre le "
        "communiqué de la réunion (voir annexe).\n\nAnnexe à la lettre datée du 1er février 2024 adressée au "
        "Secrétaire général\n\nCommuniqué of the Seventh Ministerial Meeting\nParis, 30 and 31 January 2024\n\n"
        "1. Ministers agreed to strengthen the participation of women in peace negotiations.",
        ("Seventh Ministerial Meeting", "2024-01-31", "Paris"),
    ),
]


@pytest.mark.parametrize(("name", "content", "facts"), VARIANTS, ids=[v[0] for v in VARIANTS])
def test_title_block_forms_give_their_facts_and_no_paragraph(tmp_path, name, content, facts):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    doc = parse_file(path)
    assert (doc.meeting, doc.date, doc.place) == facts
    assert len(doc.paragraphs) == 1


def test_a_number_on_a_line_of_its_own_labels_the_paragraph_below_it(tmp_path):
    path = tmp_path / "labels.txt"
    path.write_text("Joint Communique\r\n\r\n1.\r\nWe recommend rosters.\r\n\r\n2.\r\nWe recommend provisions.\r\n")
    doc = parse_file(path)
    assert [(p.label, p.text) for p in doc.paragraphs] == [
        ("1", "1. We recommend rosters."),
        ("2", "2. We recommend provisions."),
    ]


def test_underlined_headings_page_marks_and_indented_first_lines_in_plain_text(tmp_path):
    path = tmp_path / "plain.md"
    path.write_text(
        "Joint Statement\n\nParticipation\n=============\n\n\tWe recommend that members publish their budgets every "
        "year so that\ncivil society can follow the money.\n\tWe also recommend a peer review.\n\nPage 2 of 3\n\n"
        "Protection\n----------\n\nWe recommend protection for defenders."
    )
    doc = parse_file(path)
    assert doc.sections == ["Participation", "Protection"]
    assert [p.text for p in doc.paragraphs] == [
        "We recommend that members publish their budgets every year so that civil society can follow the money.",
        "We also recommend a peer review.",
        "We recommend protection for defenders.",
    ]


DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


@pytest.mark.skipif(not (DEJAVU / "DejaVuSans.ttf").exists(), reason="needs the DejaVu fonts for Unicode text in a PDF")
def test_a_pdf_with_numbers_set_apart_and_unicode_dashes_keeps_labels_and_facts(tmp_path):
    """Centred title block with an en dash ("Rome, 9–10 June 2026"); each number in its own cell."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("DV", "", str(DEJAVU / "DejaVuSans.ttf"))
    pdf.add_font("DV", "B", str(DEJAVU / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    for text, style, size in (("Joint Communiqué", "B", 15), ("Eighth Capital-Level Meeting", "B", 13)):
        pdf.set_font("DV", style, size)
        pdf.cell(0, 9, text, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DV", "", 11)
    pdf.cell(0, 7, "Rome, 9–10 June 2026", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    for number, text in (
        (1, "We met under the theme “Delivering on WPS” and adopted what follows."),
        (2, "We recommend costed plans."),
    ):
        y = pdf.get_y()
        pdf.set_xy(20, y)
        pdf.cell(10, 6, f"{number}.")
        pdf.set_xy(32, y)
        pdf.multi_cell(160, 6, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
    path = tmp_path / "unicode.pdf"
    pdf.output(str(path))
    doc = parse_file(path)
    assert (doc.meeting, doc.date, doc.place) == ("Eighth Capital-Level Meeting", "2026-06-10", "Rome")
    assert [(p.label, p.text[:12]) for p in doc.paragraphs] == [("1", "1. We met un"), ("2", "2. We recomm")]
