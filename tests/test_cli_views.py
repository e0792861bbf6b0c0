"""The views from the command line over the shipped corpus (real model, real Chroma, in-process ``main``)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from docx import Document

from assistant.cli import EXIT_USAGE, main
from assistant.pipeline.assistant import Assistant
from assistant.settings import Settings

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def settings(shipped: Assistant, corpus_settings: Settings) -> Settings:
    return corpus_settings


def run(capsys, settings, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv), settings=settings)
    out, err = capsys.readouterr()
    return code, out, err


def test_commitments_are_listed_with_filters_and_exported_as_csv_and_jsonl(capsys, settings, tmp_path):
    code, out, _ = run(capsys, settings, "commitments", "--type", "call", "--addressee", "members")
    assert code == 0 and out.strip().endswith("1 commitment(s)")
    assert "National Action Plans, ¶21 · call → members" in out
    code, out, _ = run(capsys, settings, "commitments", "--section", "Prevention", "--csv")
    rows = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))
    assert code == 0 and [r["paragraph"] for r in rows] == ["12", "12", "13", "14"]
    target = tmp_path / "all.jsonl"
    code, _, err = run(capsys, settings, "commitments", "--jsonl", "-o", str(target))
    assert "written to" in err
    lines = target.read_text(encoding="utf-8").splitlines()
    assert code == 0 and len(lines) == 20 and json.loads(lines[0])["type"] == "recommend"


def test_an_unknown_type_is_refused_with_the_choices(capsys, settings):
    code, _, err = run(capsys, settings, "commitments", "--type", "promise")
    assert code == EXIT_USAGE and "choose from: recommend, call" in err


def test_topic_guide_glossary_and_quiz(capsys, settings):
    code, out, _ = run(capsys, settings, "topic", "artificial", "intelligence")
    assert code == 0 and "Rome 2026" in out and "artificial intelligence" in out
    code, out, _ = run(capsys, settings, "guide", "rome")
    assert code == 0 and "Co-chairs: Italy and the Philippines" in out and "Prevention (3 paragraph(s)" in out
    code, _, err = run(capsys, settings, "guide", "tokyo")
    assert code == 1 and "no single document matches 'tokyo'" in err
    code, out, _ = run(capsys, settings, "glossary", "NAPs")
    assert code == 0 and out.startswith("NAP — National Action Plans")
    code, out, _ = run(capsys, settings, "quiz", "-n", "3", "--seed", "5", "--json")
    assert code == 0 and len(json.loads(out)["questions"]) == 3


def test_briefing_writes_docx_from_items_and_refuses_a_bad_file(capsys, settings, tmp_path):
    code, out, _ = run(capsys, settings, "commitments", "--jsonl", "--type", "welcome")
    rows = [json.loads(line) for line in out.splitlines()]
    items = tmp_path / "items.json"
    items.write_text(json.dumps([{"heading": r["meeting"], "citations": [r["citation"]]} for r in rows]))
    target = tmp_path / "note.docx"
    code, _, err = run(capsys, settings, "briefing", str(items), str(target))
    assert code == 0 and "2 reference(s)" in err
    paragraphs = [p.text for p in Document(str(target)).paragraphs]
    assert paragraphs[-1].startswith("[2] Joint Communiqué — Eighth Capital-Level Meeting")
    items.write_text("{not json")
    code, _, err = run(capsys, settings, "briefing", str(items), str(target))
    assert code == EXIT_USAGE and "cannot read the items" in err and "Traceback" not in err
