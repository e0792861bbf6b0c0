"""Synthetic communiqué corpus for benchmarks: N paragraphs of realistic, varied WPS communiqué text.

Each document is a plain-text file shaped like the shipped communiqué, so that parsing, chunking,
embedding and retrieval take the same paths as on real text:

    WPS Focal Points Network
    Nth Capital-Level Meeting
    D Month YYYY | City, Country

    Joint Communiqué

    We, the members of the … (preamble paragraph)

    Participation                       <- pillar section headings
    We recommend that States … . This includes … .
    …

Paragraphs are combined from phrase banks (openers, actors, actions, pillar-specific topics, purposes,
qualifiers, follow-up sentences with numbers and years), 1–4 sentences each, 20–45 words a sentence,
the same shape as the real corpus (~70 words a paragraph). Everything is deterministic for a seed.

    .venv/bin/python bench/corpus_gen.py OUT_DIR --paragraphs 2000 --docs 20 [--seed 7]

From Python, ``generate_corpus(out_dir, paragraphs, docs, seed)`` writes the files and returns what
it wrote (document ids, paragraph numbers as the parser will number them, texts), and
``make_questions(generated, n, seed)`` turns sentence fragments of random paragraphs into lightly
paraphrased questions with their gold paragraph, for latency and sanity-check runs.
"""

from __future__ import annotations

import argparse
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

ORDINALS = [
    "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth",
    "Eleventh", "Twelfth", "Thirteenth", "Fourteenth", "Fifteenth", "Sixteenth", "Seventeenth",
    "Eighteenth", "Nineteenth", "Twentieth",
]  # fmt: skip
MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
PLACES = [
    ("Rome", "Italy"), ("Tokyo", "Japan"), ("Oslo", "Norway"), ("Madrid", "Spain"), ("Ottawa", "Canada"),
    ("Nairobi", "Kenya"), ("Santiago", "Chile"), ("Berlin", "Germany"), ("Manila", "Philippines"),
    ("Windhoek", "Namibia"), ("Helsinki", "Finland"), ("Montevideo", "Uruguay"), ("Dublin", "Ireland"),
    ("Seoul", "Republic of Korea"), ("Accra", "Ghana"), ("Vienna", "Austria"), ("Bangkok", "Thailand"),
    ("Rabat", "Morocco"), ("Prague", "Czech Republic"), ("Freetown", "Sierra Leone"),
]  # fmt: skip
MEMBERS = [
    "Austria", "Bangladesh", "Belgium", "Brazil", "Canada", "Chile", "Côte d'Ivoire", "Croatia", "Denmark",
    "Finland", "France", "Germany", "Guatemala", "Iceland", "Ireland", "Italy", "Japan", "Kazakhstan",
    "Latvia", "Lebanon", "Malta", "Mexico", "Namibia", "the Netherlands", "Norway", "the Philippines",
    "Poland", "Republic of Korea", "Sierra Leone", "South Africa", "Spain", "Sweden", "Ukraine",
    "United Kingdom", "the African Union (AU)", "the European Union (EU)",
]  # fmt: skip

# Pillars and further sections, each with its own topics (the objects of recommendations).
TOPICS: dict[str, list[str]] = {
    "Participation": [
        "the full, equal, meaningful and safe participation of women in peace processes",
        "women mediators' networks at local, national and regional levels",
        "quotas for women in negotiating delegations and ceasefire monitoring bodies",
        "the inclusion of women civil society representatives in track one negotiations",
        "leadership pathways for women in defence and security institutions",
        "the protection of women human rights defenders who engage in peace talks",
        "informal, local and community-based peace processes led by women",
        "the participation of Indigenous women in land and resource dialogues",
        "women's representation in electoral management bodies during transitions",
        "gender expertise in the support teams of special envoys",
    ],
    "Protection": [
        "survivor-centred approaches to conflict-related sexual violence",
        "accountability for sexual and gender-based violence through national courts",
        "the regulation of social media platforms against online harassment of women",
        "reparations programmes for survivors of conflict-related sexual violence",
        "safe shelters and legal aid for women displaced by conflict",
        "the documentation of technology-facilitated gender-based violence",
        "the protection of women journalists and peacebuilders from reprisals",
        "specialized investigators trained in gender-sensitive interviewing",
        "measures against trafficking in persons in and around conflict zones",
        "the prevention of sexual exploitation and abuse by peacekeepers",
    ],
    "Prevention": [
        "gender-sensitive early warning systems and conflict analysis",
        "the integration of disarmament, arms control and non-proliferation into the agenda",
        "controls on the illicit trade in small arms and light weapons",
        "the use of artificial intelligence for early warning, with human rights safeguards",
        "climate security risk assessments that include gender analysis",
        "local women peacebuilders' conflict prevention initiatives",
        "sustained funding for women's organizations working on prevention",
        "the monitoring of hate speech and disinformation targeting women",
        "cross-border cooperation on the prevention of violent extremism",
        "gender-responsive security sector reform",
    ],
    "Relief and Recovery": [
        "gender-responsive budgeting in humanitarian response and recovery plans",
        "maternal care and sexual and reproductive health services in crises",
        "psychosocial, legal and socioeconomic support for survivors",
        "women's economic recovery through access to land, credit and markets",
        "the leadership of local women's organizations in humanitarian coordination",
        "disaggregated data on the needs of displaced women and girls",
        "inclusive reconstruction planning after conflict and disaster",
        "access to education and vocational training for women and girls in recovery",
        "mine action programmes designed with the participation of women",
        "cash-based assistance that reaches female-headed households",
    ],
    "Youth, Peace and Security": [
        "the intergenerational dimension of the women, peace and security agenda",
        "outreach to young men and boys as partners for gender equality",
        "youth-led peacebuilding initiatives in fragile settings",
        "mentoring programmes that connect young women with senior mediators",
        "the participation of young women in national dialogues",
    ],
    "National Action Plans": [
        "costed and funded National Action Plans (NAPs) with clear indicators",
        "a voluntary peer-review modality for National Action Plans within the Network",
        "regional action plans aligned with national implementation",
        "independent monitoring of National Action Plans by civil society",
        "the localization of National Action Plans through municipal strategies",
    ],
    "Climate and Security": [
        "the gendered impacts of climate change on conflict and displacement",
        "women's leadership in natural resource management and adaptation",
        "climate finance that reaches women-led organizations in fragile contexts",
        "disaster risk reduction strategies that address the needs of women and girls",
    ],
    "Technology and Innovation": [
        "gender-inclusive governance of emerging technologies in security",
        "digital literacy and cybersecurity skills for women peacebuilders",
        "safeguards against algorithmic bias in security decision-making",
        "secure communication tools for women human rights defenders",
    ],
}
PILLARS = ["Participation", "Protection", "Prevention", "Relief and Recovery"]
EXTRA_SECTIONS = [s for s in TOPICS if s not in PILLARS]

OPENERS = [
    "We recommend that {actor} {action} {topic}",
    "We recommend {gerund} {topic}",
    "We call on {actor} to {action} {topic}",
    "We encourage {actor} to {action} {topic}",
    "We urge {actor} to {action} {topic}",
    "We commit to {gerund} {topic}",
    "We recommend that {actor} continue to {action} {topic}",
    "Recognizing the persistent gaps in implementation, we recommend that {actor} {action} {topic}",
    "Recalling previous communiqués of the Network, we call on {actor} to {action} {topic}",
    "Concerned by {concern}, we recommend that {actor} {action} {topic}",
    "We welcome progress made on {topic} and recommend that {actor} {action} this work further",
    "We reaffirm our commitment to {topic} and encourage {actor} to {action} this work",
]
ACTORS = [
    "States", "Network members", "regional organizations", "the United Nations system", "donors",
    "security sector institutions", "peace actors", "Member States and regional organizations",
    "national governments", "international financial institutions", "mediation support units",
    "ministries of defence and foreign affairs",
]  # fmt: skip
ACTIONS = [
    ("strengthen", "strengthening"), ("integrate", "integrating"), ("invest in", "investing in"),
    ("expand", "expanding"), ("institutionalize", "institutionalizing"), ("prioritize", "prioritizing"),
    ("support", "supporting"), ("promote", "promoting"), ("scale up", "scaling up"),
    ("systematically include", "systematically including"), ("provide sustained funding for", "funding"),
    ("develop guidance on", "developing guidance on"),
]  # fmt: skip
CONCERNS = [
    "shrinking civic space", "rising military expenditure", "declining official development assistance",
    "the backlash against women's rights", "protracted conflicts and geopolitical fragmentation",
    "the growing number of displaced women and girls", "reprisals against women peacebuilders",
    "the erosion of multilateral institutions",
]  # fmt: skip
PURPOSES = [
    "in order to ensure that peace agreements are inclusive and durable",
    "so that the needs of women and girls are reflected in policy and budgets",
    "to ensure accountability at global, national and regional levels",
    "with a view to closing the gap between commitments and implementation",
    "to build trust between communities and security institutions",
    "to prevent the recurrence of violence",
    "so that women's organizations can plan beyond short project cycles",
    "to safeguard the normative framework of Resolution 1325",
]  # fmt: skip
QUALIFIERS = [
    "in line with international human rights law",
    "in accordance with international humanitarian law",
    "in close consultation with civil society",
    "with adequate operational and financial commitments",
    "drawing on the expertise of women mediators' networks",
    "at national, regional and global levels",
    "through whole-of-government approaches",
    "including in humanitarian and post-conflict settings",
]  # fmt: skip
FOLLOW_UPS = [
    "This includes {detail}.",
    "Such efforts should be supported by {detail}.",
    "We note with concern the impact of {concern} on progress in this area.",
    "We encourage the exchange of good practices among Network members on {short}.",
    "Progress should be reported at the {ordinal} Capital-Level Meeting in {year}.",
    "At least {pct} per cent of relevant funding should be allocated to this purpose by {year}.",
    "We acknowledge the contribution of women-led organizations in {country} and elsewhere to {short}.",
    "These measures should be reviewed every {n} years with the participation of civil society.",
    "We invite UN Women, as Secretariat of the Network, to support {short}.",
]
DETAILS = [
    "dedicated budget lines and sex-disaggregated data",
    "training for military, police and judicial personnel",
    "flexible, multi-year funding for local women's organizations",
    "clear indicators, baselines and regular reporting",
    "partnerships with academia and research institutions",
    "the systematic collection of gender analysis in planning",
    "mechanisms for the safe reporting of threats and reprisals",
    "coordination between humanitarian, development and peace actors",
]  # fmt: skip
PREAMBLE = (
    "We, the members of the Women, Peace and Security (WPS) Focal Points Network, representing {members}, "
    "convened in {city} {date} for the {ordinal} Capital-Level Meeting under the theme: "
    '"{theme}," alongside other participating United Nations (UN) Member States, organizations, and women '
    "human rights defenders;"
)
THEMES = [
    "Delivering on WPS: From Commitments to Implementation",
    "Women's Leadership for Sustainable Peace",
    "Financing the Women, Peace and Security Agenda",
    "Protecting Civic Space and Women Peacebuilders",
    "Prevention, Participation and Accountability in a Fragmented World",
]

# Light paraphrases for generated questions: (word in the corpus, word in the question).
PARAPHRASES = [
    ("strengthen", "reinforce"), ("strengthening", "reinforcing"),
    ("funding", "financing"), ("support", "backing"), ("ensure", "guarantee"), ("expand", "widen"),
    ("promote", "advance"), ("integrate", "mainstream"), ("sustained", "long-term"), ("local", "grassroots"),
    ("programmes", "programs"), ("training", "capacity building"), ("prevention", "preventing"),
    ("States", "governments"), ("recommend", "advise"),
]  # fmt: skip
_STOP = {
    *("a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "with", "by", "at", "as", "from", "that"),
    *("this", "these", "such", "which", "who", "we", "our", "it", "its", "is", "are", "be", "should"),
    *("continue", "recommend", "call", "urge", "encourage", "commit", "includes", "include", "during"),
    *("order", "note", "concern"),
}
QUESTION_TEMPLATES = [
    "What does the communiqué say about {frag}?",
    "What is recommended regarding {frag}?",
    "Is there anything on {frag}?",
    "What did the Network agree on {frag}?",
    "{Frag}: what do the communiqués recommend?",
]


@dataclass
class GeneratedParagraph:
    doc_id: str
    paragraph: int  # as the parser numbers it: position in the document, title block and headings excluded
    section: str
    text: str


@dataclass
class GeneratedCorpus:
    files: list[Path] = field(default_factory=list)
    paragraphs: list[GeneratedParagraph] = field(default_factory=list)

    @property
    def words(self) -> int:
        return sum(len(p.text.split()) for p in self.paragraphs)


def _sentence(rng: random.Random, section: str) -> str:
    actor = rng.choice(ACTORS)
    action, gerund = rng.choice(ACTIONS)
    topic = rng.choice(TOPICS[section] if rng.random() < 0.8 else TOPICS[rng.choice(PILLARS)])
    text = rng.choice(OPENERS).format(
        actor=actor, action=action, gerund=gerund, topic=topic, concern=rng.choice(CONCERNS)
    )
    qualifier = rng.choice(QUALIFIERS)
    if rng.random() < 0.6 and "levels" not in topic + qualifier:
        text += ", " + qualifier
    if rng.random() < 0.6:
        text += ", " + rng.choice(PURPOSES)
    return text + "."


def _follow_up(rng: random.Random, section: str) -> str:
    short = rng.choice(TOPICS[section])
    return (
        rng.choice(FOLLOW_UPS)
        .format(
            detail=rng.choice(DETAILS),
            concern=rng.choice(CONCERNS),
            short=short,
            ordinal=rng.choice(ORDINALS).lower(),
            year=rng.randint(2026, 2035),
            pct=rng.choice([10, 15, 20, 25, 30]),
            country=rng.choice(MEMBERS),
            n=rng.choice([2, 3, 4, 5]),
        )
        .replace("the the", "the")
    )


def make_paragraph(rng: random.Random, section: str) -> str:
    """One recommendation paragraph: 1–4 sentences, the first a recommendation."""
    sentences = [_sentence(rng, section)]
    for _ in range(rng.choices([0, 1, 2, 3], weights=[1, 4, 4, 2])[0]):
        sentences.append(_follow_up(rng, section) if rng.random() < 0.6 else _sentence(rng, section))
    return " ".join(sentences)


def _split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def generate_corpus(out_dir: Path, paragraphs: int = 2000, docs: int = 20, seed: int = 7) -> GeneratedCorpus:
    """Write ``docs`` .txt communiqués with ``paragraphs`` paragraphs in all (preambles included)."""
    if paragraphs < docs:
        raise ValueError("need at least one paragraph per document")
    rng = random.Random(seed)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    corpus = GeneratedCorpus()
    for d, count in enumerate(_split(paragraphs, docs)):
        ordinal = ORDINALS[d % len(ORDINALS)] + ("" if d < len(ORDINALS) else f" {d // len(ORDINALS) + 1}")
        ordinal_slug = ordinal.lower().replace(" ", "-")
        city, country = PLACES[d % len(PLACES)]
        year = 2016 + d % 20
        month = rng.randint(1, 12)
        day = rng.randint(1, 27)
        two_days = rng.random() < 0.5
        date_line = f"{day}-{day + 1} {MONTHS[month - 1]} {year}" if two_days else f"{day} {MONTHS[month - 1]} {year}"
        date_phrase = f"from {day} to {day + 1} {MONTHS[month - 1]} {year}" if two_days else f"on {date_line}"
        stem = f"{year}-{month:02d}-{day:02d}_{city.lower()}_{ordinal_slug}-capital-level-meeting_joint-communique"
        doc_id = re.sub(r"[^a-z0-9._-]+", "-", stem.lower()).strip("-")
        members = ", ".join(rng.sample(MEMBERS, rng.randint(8, 20)))
        theme = rng.choice(THEMES)
        preamble = PREAMBLE.format(members=members, city=city, date=date_phrase, ordinal=ordinal, theme=theme)
        lines = [
            "WPS Focal Points Network",
            f"{ordinal} Capital-Level Meeting",
            f"{date_line} | {city}, {country}",
            "",
            "Joint Communiqué",
            "",
            preamble,
            "",
        ]
        corpus.paragraphs.append(GeneratedParagraph(doc_id, 1, "Preamble", preamble))
        body = count - 1
        sections = PILLARS + rng.sample(EXTRA_SECTIONS, rng.randint(1, 2))
        number = 1
        for section, n in zip(sections, _split(body, len(sections)), strict=True) if body else ():
            if not n:
                continue
            lines += [section, ""]
            for _ in range(n):
                text = make_paragraph(rng, section)
                number += 1
                lines += [text, ""]
                corpus.paragraphs.append(GeneratedParagraph(doc_id, number, section, text))
        path = out_dir / f"{stem}.txt"
        path.write_text("\n".join(lines), encoding="utf-8")
        corpus.files.append(path)
    return corpus


def make_questions(corpus: GeneratedCorpus, n: int = 30, seed: int = 11) -> list[dict]:
    """Questions from a sentence fragment (5–9 words) of random body paragraphs, lightly paraphrased."""
    rng = random.Random(seed)
    body = [p for p in corpus.paragraphs if p.section != "Preamble"] or corpus.paragraphs
    questions = []
    for i in range(n):
        p = rng.choice(body)
        sentences = [s for s in re.split(r"(?<=[.;])\s+", p.text) if len(s.split()) >= 6]
        words = re.sub(r"[.,;:]", "", rng.choice(sentences or [p.text])).split()
        size = min(len(words), rng.randint(5, 9))
        start = rng.randint(0, len(words) - size)
        frag = list(words[start : start + size])
        while len(frag) > 3 and (frag[0].lower() in _STOP or frag[0][:1].isupper()):
            frag.pop(0)
        while len(frag) > 3 and frag[-1].lower() in _STOP:
            frag.pop()
        for k, w in enumerate(frag):
            for src, dst in PARAPHRASES:
                if w == src and rng.random() < 0.7:
                    frag[k] = dst
        text = " ".join(frag)
        template = rng.choice(QUESTION_TEMPLATES)
        question = template.format(frag=text, Frag=text[:1].upper() + text[1:])
        questions.append(
            {"id": f"g{i + 1:03d}", "question": question, "gold_doc": p.doc_id, "gold_paragraph": p.paragraph}
        )
    return questions


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Example: python bench/corpus_gen.py /tmp/wps-corpus --paragraphs 2000 --docs 20",
    )
    parser.add_argument("out_dir", type=Path, help="folder to write the .txt documents into (created)")
    parser.add_argument("--paragraphs", type=int, default=2000, help="paragraphs in all (default 2000)")
    parser.add_argument("--docs", type=int, default=20, help="number of documents (default 20)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.add_argument("--questions", type=Path, help="also write 30 generated questions (JSON Lines) here")
    args = parser.parse_args()
    corpus = generate_corpus(args.out_dir, args.paragraphs, args.docs, args.seed)
    print(
        f"wrote {len(corpus.files)} documents, {len(corpus.paragraphs)} paragraphs, {corpus.words} words "
        f"({corpus.words / len(corpus.paragraphs):.0f} words a paragraph) to {args.out_dir}"
    )
    if args.questions:
        import json

        qs = make_questions(corpus)
        args.questions.write_text("".join(json.dumps(q) + "\n" for q in qs), encoding="utf-8")
        print(f"wrote {len(qs)} questions to {args.questions}")


if __name__ == "__main__":
    main()
