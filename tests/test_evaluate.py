"""The eval command: real pipeline and the llama-index baseline on a temporary index, scored and reported."""

from __future__ import annotations

import json

import pytest

from assistant.evaluate import QuestionFileError, load_questions, run, table, write_report
from tests.conftest import CORPUS, QUESTIONS


@pytest.fixture(scope="module")
def subset(tmp_path_factory, questions) -> str:
    """Two questions of each kind from the shipped question set."""
    picked = []
    for kind in ("factual", "paraphrase", "followup", "unanswerable"):
        picked += [q for q in questions if q["kind"] == kind][:2]
    path = tmp_path_factory.mktemp("eval") / "subset.jsonl"
    path.write_text("".join(json.dumps(q) + "\n" for q in picked), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def results(corpus_settings, embed_model, subset):
    return run(corpus_settings, subset, CORPUS, baseline=True, embed_model=embed_model)


def test_eval_scores_both_systems_per_kind_and_overall(results):
    ours = results["systems"]["assistant"]["summary"]
    base = results["systems"]["baseline"]["summary"]
    assert set(ours["by_kind"]) == {"factual", "paraphrase", "followup", "unanswerable"}
    for summary in (ours, base):
        assert 0 <= summary["hit1"] <= summary["hit3"] <= 1
        assert summary["latency_p50_ms"] > 0 and summary["cited_words"] > 0
    assert base["abstain_unanswerable"] == 0.0  # the baseline has no way to abstain
    assert ours["cited_words"] < base["cited_words"]  # paragraphs, not 1024-token chunks


def test_eval_report_has_table_chart_and_json(results, tmp_path):
    written = write_report(results, tmp_path / "report.md")
    md, png, data = written
    assert png.stat().st_size > 1000 and png.read_bytes()[:4] == b"\x89PNG"
    assert "hit@3" in md.read_text(encoding="utf-8") and "baseline" in table(results)
    assert json.loads(data.read_text(encoding="utf-8"))["systems"]["assistant"]["outcomes"]


def test_question_file_split_and_errors(tmp_path):
    assert {q.split for q in load_questions(QUESTIONS, split="test")} == {"test"}
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "question": "ok"}\nnot json\n', encoding="utf-8")
    with pytest.raises(QuestionFileError, match=":2:"):
        load_questions(bad)


def test_eval_command_prints_the_side_by_side_table(capsys, corpus_settings, subset, tmp_path):
    from assistant.cli import main

    code = main(["eval", str(subset), "--corpus", str(CORPUS), "--report", str(tmp_path / "r.md")], corpus_settings)
    out = capsys.readouterr().out
    assert code == 0 and "hit@1" in out and "assistant" in out
    assert (tmp_path / "r.png").exists()
