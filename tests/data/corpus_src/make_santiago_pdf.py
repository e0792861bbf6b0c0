"""Regenerate the fictional Santiago communiqué PDF used by the multi-document evaluation corpus.

Usage (from the project root):

    .venv/bin/python tests/data/corpus_src/make_santiago_pdf.py

Writes tests/data/corpus/2022-10-20_santiago_sixth-capital-level-meeting_joint-communique.pdf.
The text is latin-1 only (core Helvetica font): no accents, straight quotes, plain hyphens.
Each page carries a running header and a "Page N of M" footer, as real published PDFs do.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

OUT = (
    Path(__file__).resolve().parents[1]
    / "corpus"
    / "2022-10-20_santiago_sixth-capital-level-meeting_joint-communique.pdf"
)

RUNNING_HEADER = "WPS Focal Points Network - Sixth Capital-Level Meeting"

TITLE_BLOCK = [
    "Joint Communique",
    "Sixth Capital-Level Meeting",
    "19-20 October 2022 | Santiago, Chile",
]

# (heading or None for the preamble, [paragraphs])
SECTIONS: list[tuple[str | None, list[str]]] = [
    (
        None,
        [
            "We, the members of the Women, Peace and Security (WPS) Focal Points Network, convened in Santiago "
            'from 19 to 20 October 2022 for the Sixth Capital-Level Meeting under the theme: "Women Leading '
            'Recovery: Inclusive Peace in a Time of Overlapping Crises," together with representatives of civil '
            "society, women peacebuilders, academia and United Nations (UN) entities, with the participation of "
            "61 delegations from all regions;",
            "Hosted by Chile and Spain in their capacity as 2022 Co-Chairs, and with UN Women as Secretariat, the "
            "meeting was the first in-person capital-level meeting of the Network since the onset of the COVID-19 "
            "pandemic. We thank the Government of Chile for its hospitality and the Government of Spain for its "
            "continued commitment to a feminist foreign policy.",
            "We note with deep concern that the compounded effects of the COVID-19 pandemic, new and protracted "
            "armed conflicts, rising food and energy prices and the accelerating impacts of climate change have "
            "deepened existing gender inequalities, increased the burden of unpaid care work and heightened the "
            "risk of sexual and gender-based violence, while the share of women in formal peace processes has "
            "stagnated.",
            "We reaffirm that the full, equal, safe and meaningful participation of women is not only a matter of "
            "rights but a precondition for durable peace, and we commit to translate the recommendations below "
            "into concrete national measures before the Seventh Capital-Level Meeting.",
        ],
    ),
    (
        "Participation",
        [
            "We recommend that States and regional organizations establish or strengthen regional rosters of "
            "women mediators, including the Ibero-American Network of Women Mediators launched in Santiago, and "
            "that every mediation support team deployed with the backing of Network members include at least one "
            "senior woman mediator from the outset of the process.",
            "We recommend that peace agreements and ceasefire arrangements include specific gender provisions, "
            "and that the implementation of such provisions be monitored by independent mechanisms with the "
            "participation of women's organizations, drawing on the experience of peace processes in the region.",
            "We recommend that States create mechanisms for the structured participation of young women in peace "
            "and security decision-making, including youth advisory boards attached to national WPS coordination "
            "bodies, recognizing the complementarity of Security Council resolutions 1325 (2000) and 2250 (2015).",
        ],
    ),
    (
        "Protection",
        [
            "We recommend that States adopt comprehensive legislation and protocols to prevent and respond to "
            "online violence against women peacebuilders, journalists, politicians and human rights defenders, "
            "and that they establish dedicated reporting channels with law enforcement agencies trained in "
            "handling digital evidence.",
            "We recommend that survivors of conflict-related sexual violence have access to reparations, "
            "including rehabilitation, compensation and guarantees of non-recurrence, and that truth commissions "
            "and other transitional justice mechanisms systematically integrate a gender perspective.",
        ],
    ),
    (
        "Prevention",
        [
            "Noting that less than 5 per cent of bilateral aid to fragile and conflict-affected contexts has "
            "gender equality as its principal objective, we recommend that States progressively allocate at "
            "least 15 per cent of their official development assistance (ODA) to fragile and conflict-affected "
            "contexts to programmes whose principal objective is gender equality and women's empowerment, and "
            "that they report annually on progress towards this target.",
            "We recommend that early warning systems collect and analyse sex- and age-disaggregated data and "
            "incorporate indicators on gender-based violence, misogynistic rhetoric and restrictions on women's "
            "rights as early signals of instability, and that women's organizations be formally included in the "
            "networks of community monitors that feed into national and regional early warning mechanisms.",
            "Recognizing that Latin America and the Caribbean are among the regions most exposed to "
            "climate-related disasters, we recommend that climate security risk assessments be gender-responsive "
            "and that women, including Indigenous and rural women, participate in the design of climate "
            "adaptation, disaster risk reduction and natural resource management policies that have a bearing "
            "on peace and security.",
        ],
    ),
    (
        "Relief and Recovery",
        [
            "We recommend that pandemic recovery and reconstruction plans in conflict-affected settings "
            "prioritize women's economic empowerment, access to decent work, social protection and the "
            "redistribution of unpaid care work, and that recovery funds apply gender-responsive budgeting from "
            "the planning stage.",
            "We recommend that humanitarian responses to forced displacement and human mobility guarantee access "
            "to sexual and reproductive health services, psychosocial support and protection from trafficking "
            "for displaced and migrant women and girls.",
        ],
    ),
    (
        "National Action Plans",
        [
            "We welcome the adoption of new or revised National Action Plans (NAPs) by several members since the "
            "previous meeting, and we recommend that every NAP be accompanied by a costed implementation plan "
            "with a dedicated budget line, measurable indicators and a clear division of responsibilities "
            "between ministries.",
            "We recommend that members without a NAP consider developing one with the support of twinning "
            "arrangements with other members, and that members share the mid-term and final evaluations of their "
            "NAPs through an online repository of good practices maintained by the Secretariat.",
            "We welcome the growth of the Network to 94 members, comprising 86 UN Member States and 8 regional "
            "organizations, and we welcome the offer of Kenya and Canada to co-chair the Network in 2024. The "
            "outcomes of the Santiago meeting will be presented at the ministerial meeting convened during the "
            "seventy-eighth session of the United Nations General Assembly.",
        ],
    ),
]


class CommuniquePDF(FPDF):
    def header(self) -> None:
        self.set_font("Helvetica", "I", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 8, RUNNING_HEADER, align="C", new_x="LMARGIN", new_y="NEXT")
        self.set_draw_color(160, 160, 160)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(6)
        self.set_text_color(0, 0, 0)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 10, f"Page {self.page_no()} of {{nb}}", align="C")
        self.set_text_color(0, 0, 0)


def build(out: Path = OUT) -> Path:
    pdf = CommuniquePDF(format="A4")
    pdf.set_margins(25, 20, 25)
    pdf.set_auto_page_break(auto=True, margin=22)
    pdf.set_title("Joint Communique - Sixth Capital-Level Meeting, Santiago 2022")
    pdf.set_author("WPS Focal Points Network")
    pdf.set_creation_date(__import__("datetime").datetime(2022, 10, 20, 18, 0, 0))
    pdf.add_page()

    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 9, TITLE_BLOCK[0], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 7, TITLE_BLOCK[1], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    pdf.cell(0, 7, TITLE_BLOCK[2], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)

    for heading, paragraphs in SECTIONS:
        if heading:
            pdf.ln(2)
            pdf.set_font("Helvetica", "B", 12)
            pdf.cell(0, 7, heading, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        pdf.set_font("Helvetica", "", 11)
        for text in paragraphs:
            text.encode("latin-1")  # core fonts only: fail loudly on anything else
            pdf.multi_cell(0, 5.5, text, align="J", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(4)

    out.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(out))
    return out


def source_paragraphs() -> list[str]:
    """The body paragraphs in order, for comparing with what the parser recovers."""
    return [p for _, paragraphs in SECTIONS for p in paragraphs]


if __name__ == "__main__":
    path = build()
    print(f"wrote {path} ({path.stat().st_size} bytes)")
