"""The views from the command line: ``commitments``, ``topic``, ``guide``, ``glossary``, ``quiz``, ``briefing``.

Registered by :mod:`assistant.cli`; each prints text for people, or ``--json`` / ``--csv`` / ``--jsonl``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from assistant.settings import Settings

EXIT_USAGE = 2


def add_parsers(sub: argparse._SubParsersAction) -> None:
    c = sub.add_parser("commitments", help="list operative sentences (recommend, call, commit …), by meeting date")
    c.add_argument("--meeting", action="append", default=[], help="doc id, 'Rome 2026', a year (repeatable)")
    c.add_argument("--section", action="append", default=[], help="section name (repeatable)")
    c.add_argument("--pillar", action="append", default=[], help="WPS pillar (repeatable)")
    c.add_argument("--type", action="append", default=[], help="recommend, call, commit, encourage, welcome …")
    c.add_argument("--addressee", action="append", default=[], help="'States', 'members' … (repeatable)")
    c.add_argument("--words", default="", help="every word must appear in the sentence")
    form = c.add_mutually_exclusive_group()
    form.add_argument("--csv", action="store_true", help="CSV export")
    form.add_argument("--jsonl", action="store_true", help="JSON Lines export")
    c.add_argument("-o", "--output", type=Path, help="write to this file (default: stdout)")

    t = sub.add_parser("topic", help="a topic across meetings, in date order")
    t.add_argument("topic", nargs="+")
    t.add_argument("--doc", action="append", default=[], help="only this document id (repeatable)")
    t.add_argument("--json", action="store_true")

    g = sub.add_parser("guide", help="a document's facts, sections and central sentences")
    g.add_argument("document", help="doc id, or words of its name ('Rome 2026', 'Nairobi')")
    g.add_argument("--json", action="store_true")

    gl = sub.add_parser("glossary", help="terms the corpus defines and uses (one term, or all)")
    gl.add_argument("term", nargs="*")
    gl.add_argument("--json", action="store_true")

    q = sub.add_parser("quiz", help="multiple-choice questions made from the corpus (answers at the end)")
    q.add_argument("-n", type=int, default=None, help="how many (default: WPS_QUIZ_QUESTIONS)")
    q.add_argument("--seed", type=int, default=1, help="the same seed gives the same quiz")
    q.add_argument("--json", action="store_true")

    b = sub.add_parser("briefing", help="a briefing note (.md or .docx) from a JSON list of items")
    b.add_argument("items", type=Path, help='JSON: {"title", "items": [{"heading", "text", "citations"}]} or a list')
    b.add_argument("output", type=Path, help="briefing.docx or briefing.md")


COMMANDS = ("commitments", "topic", "guide", "glossary", "quiz", "briefing")


def run(args: argparse.Namespace, settings: Settings, load: Callable) -> int:
    if args.command == "briefing":
        return _briefing(args, settings)  # needs no index
    views = load(settings).views
    return {"commitments": _commitments, "topic": _topic, "guide": _guide, "glossary": _glossary, "quiz": _quiz}[
        args.command
    ](args, views, settings)


def _write(text: str, output: Path | None) -> None:
    if output:
        output.write_text(text, encoding="utf-8")
        print(f"written to {output}", file=sys.stderr)
    else:
        sys.stdout.write(text)


def _commitments(args, views, settings) -> int:
    from assistant.ingest.operative import TYPES
    from assistant.views.commitments import CommitmentFilter, to_csv, to_jsonl

    wrong = [t for t in args.type if t not in TYPES]
    if wrong:
        print(f"error: unknown type {wrong[0]!r}; choose from: {', '.join(TYPES)}", file=sys.stderr)
        return EXIT_USAGE
    f = CommitmentFilter(
        tuple(args.meeting),
        tuple(args.section),
        tuple(args.pillar),
        tuple(args.type),
        tuple(args.addressee),
        args.words,
    )
    rows = views.commitments.filter(f)
    if args.csv:
        _write(to_csv(rows), args.output)
    elif args.jsonl:
        _write(to_jsonl(rows), args.output)
    else:
        lines = []
        for c in rows:
            to = f" → {', '.join(c.addressees)}" if c.addressees else ""
            lines += [f"{c.date}  {c.meeting} · {c.citation.where} · {c.type}{to}", f"    “{c.sentence}”"]
        lines.append(f"{len(rows)} commitment(s)")
        _write("\n".join(lines) + "\n", args.output)
    return 0


def _topic(args, views, settings) -> int:
    result = views.topic.across(" ".join(args.topic), tuple(args.doc))
    if args.json:
        print(result.model_dump_json(indent=2))
        return 0
    print(f"On “{result.topic}”, meeting by meeting:")
    for m in result.meetings:
        print(f"\n{m.date}  {m.meeting}: " + ("" if m.addressed else m.note))
        for c in m.citations:
            print(f"  [{c.n}] {c.where}: “{c.quote}”")
    return 0


def _guide(args, views, settings) -> int:
    doc_id = _document(views, args.document)
    if doc_id is None:
        names = ", ".join(f"{views.table.name(d['doc_id'])} ({d['doc_id']})" for d in views.table.documents)
        print(f"error: no single document matches {args.document!r}; indexed: {names}", file=sys.stderr)
        return 1
    guide = views.guides.guide(doc_id)
    if args.json:
        print(guide.model_dump_json(indent=2))
        return 0
    print(guide.title)
    for fact in guide.facts:
        print(f"  {fact.label}: {fact.value}")
    for s in guide.sections:
        print(f"\n{s.name} ({s.paragraphs} paragraph(s), {s.commitments} commitment(s))")
        for c in s.summary:
            print(f"  ¶{c.label or c.paragraph}: “{c.quote}”")
    return 0


def _document(views, text: str) -> str | None:
    if views.table.document(text):
        return text
    wanted = text.casefold().split()
    found = [
        d["doc_id"]
        for d in views.table.documents
        if all(w in f"{views.table.name(d['doc_id'])} {d['title']} {d['doc_id']}".casefold() for w in wanted)
    ]
    return found[0] if len(found) == 1 else None


def _glossary(args, views, settings) -> int:
    term = " ".join(args.term)
    entries = [e] if term and (e := views.glossary.lookup(term)) else views.glossary.search(term)
    if not entries:
        print(f"error: {term!r} is not in the glossary", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps([e.model_dump() for e in entries], indent=2, ensure_ascii=False))
        return 0
    for e in entries:
        meaning = f" — {e.expansion}" if e.expansion else ""
        used = ", ".join(f"{u.meeting} ({u.mentions})" for u in e.documents)
        said = f"\n  “{e.definition.quote}” ({e.definition.reference})" if e.definition else ""
        print(f"{e.term}{meaning}\n  {e.definition_note}{said}\n  used in: {used}")
    return 0


def _quiz(args, views, settings) -> int:
    quiz = views.quiz.make(args.n or settings.quiz_questions, args.seed)
    if args.json:
        print(quiz.model_dump_json(indent=2))
        return 0
    letters = "abcdefgh"
    for i, q in enumerate(quiz.questions, start=1):
        print(f"{i}. {q.prompt}\n   “{q.text}”")
        for j, choice in enumerate(q.choices):
            print(f"     {letters[j]}) {choice}")
    print("\nAnswers: " + ", ".join(f"{i}{letters[q.answer]}" for i, q in enumerate(quiz.questions, start=1)))
    return 0


def _briefing(args, settings: Settings) -> int:
    from assistant.views.briefing import BriefingRequest, numbered, to_docx, to_markdown

    try:
        data = json.loads(args.items.read_text(encoding="utf-8"))
        if isinstance(data, list):
            data = {"items": data}
        request = BriefingRequest.model_validate(data)
    except (OSError, ValueError, ValidationError) as exc:  # JSONDecodeError and ValidationError are ValueErrors
        print(f"error: cannot read the items in {args.items}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    note = numbered(request.title, request.items)
    if args.output.suffix.lower() == ".docx":
        args.output.write_bytes(to_docx(note, settings.briefing_page_size))
    else:
        args.output.write_text(to_markdown(note), encoding="utf-8")
    print(f"{len(note.items)} item(s), {len(note.references)} reference(s) written to {args.output}", file=sys.stderr)
    return 0
