"""The eval command: real pipeline and the llama-index baseline on a temporary index, scored and reported."""

from __future__ import annotations

import json

import pytest

from assistant.evaluation.questions import QuestionFileError, load_questions
from assistant.evaluation.report import table, write_report
from assistant.evaluation.run import run
from tests import formats
from tests.conftest import CORPUS, MULTI_CORPUS, MULTI_QUESTIONS, QUESTIONS

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def subset(tmp_path_factory, questions) -> str:
    """Two questions of each kind from the shipped question set."""
    picked = []
    for kind in ("factual", "paraphrase", "followup", "unanswerable"):
        picked += [q for q in questions if q["kind"] == kind][:2]
    path = tmp_path_factory.mktemp("eval") / "subset.jsonl"
    path.write_text("".join(json.dumps(q) + "\n" for q in picked), encoding="utf-8")
    return path


# Issue 4's targets are hit@3 >= 0.95, hit@1 >= 0.85, abstention >= 0.9 with <= 0.05 wrongly
# abstained on Rome, and hit@3 >= 0.9 on several communiqués. These floors are what the assistant
# reaches today: raised as it improves, never lowered to make a run pass.
#
# One exception, made once and on purpose (issue 9): the abstention floors on these, the project's own
# questions, were 0.94 (Rome) and 0.60 (four communiqués) under rules fitted to these very questions.
# Those rules (MiniLM's z-score among them) did not carry over: on the independent questions of
# ../shared/eval their signal's AUC was 0.48, and split b's abstention was 0.29. The logistic policy
# that replaced them, fitted on shared split a, abstains on 0.57 of split b's unanswerable Rome
# questions, and here on 0.706 and 0.5. The floors below are those measured values; every other floor
# was raised to what the assistant now reaches.
#
# Issue 15 split "answered" in two: the top tier, and "possibly relevant" (the closest passages, shown as
# such). The old "answered" floors (0.96, 0.95) now hold for ``shown_answerable`` — an answerable
# question is never refused — and the top tier gets floors of its own, at what it reaches today.
ROME_FLOORS = {
    "hit1": 0.90,
    "hit3": 0.94,
    "mrr": 0.92,
    "abstain_unanswerable": 0.90,  # 1.0 with the tier model (0.706 before it)
    "shown_answerable": 0.96,
    "answered_answerable": 0.62,
    "top_precision": 0.93,
}
ROME_HELD_OUT_FLOORS = {"hit1": 0.95, "hit3": 0.95, "shown_answerable": 0.95}  # the split nothing was tuned on
MULTI_FLOORS = {"hit1": 0.85, "hit3": 0.94, "docs_cited": 0.98, "abstain_unanswerable": 0.90, "top_precision": 0.92}
# Higher is better for these; shorter is better for cited words.
QUALITY = ("hit1", "mrr", "quote_covers", "key_share", "abstain_unanswerable")


@pytest.fixture(scope="module")
def rome(corpus_settings, embed_model):
    return run(corpus_settings, QUESTIONS, CORPUS, baseline=True, embed_model=embed_model)


@pytest.fixture(scope="module")
def several(corpus_settings, embed_model):
    return run(corpus_settings, MULTI_QUESTIONS, MULTI_CORPUS, baseline=True, embed_model=embed_model)


def _below(summary: dict, floors: dict) -> dict:
    return {k: summary[k] for k, floor in floors.items() if summary[k] < floor}


def test_eval_scores_both_systems_per_kind_and_overall(rome):
    ours = rome["systems"]["assistant"]["summary"]
    base = rome["systems"]["baseline"]["summary"]
    assert set(ours["by_kind"]) == {"factual", "paraphrase", "followup", "structure", "unanswerable"}
    for summary in (ours, base):
        assert 0 <= summary["hit1"] <= summary["hit3"] <= 1
        assert summary["latency_p50_ms"] > 0 and summary["cited_words"] > 0
    assert base["abstain_unanswerable"] == 0.0  # the baseline has no way to abstain
    assert ours["cited_words"] < base["cited_words"]  # paragraphs, not 1024-token chunks


def test_rome_answers_hold_their_floors(rome):
    assert not _below(rome["systems"]["assistant"]["summary"], ROME_FLOORS)


def test_rome_held_out_split_holds_its_floors(rome):
    by_split = rome["systems"]["assistant"]["by_split"]
    assert set(by_split) == {"tune", "test"}
    assert not _below(by_split["test"], ROME_HELD_OUT_FLOORS)


def test_follow_ups_are_answered_as_well_as_first_questions(rome):
    summary = rome["systems"]["assistant"]["summary"]
    assert summary["by_kind"]["followup"]["hit3"] >= summary["hit3"]
    assert summary["by_kind"]["followup"]["hit1"] >= summary["hit1"]


def test_several_communiques_pick_the_right_document(several):
    summary = several["systems"]["assistant"]["summary"]
    assert not _below(summary, MULTI_FLOORS)
    assert summary["by_kind"]["comparison"]["docs_cited"] >= 0.75  # comparisons cite each document


@pytest.mark.parametrize("corpus", ["rome", "several"])
def test_assistant_is_ahead_of_both_baselines_with_passages_no_longer_than_a_paragraph(corpus, request):
    systems = dict(request.getfixturevalue(corpus)["systems"])  # a copy: the fixture is shared
    ours = systems.pop("assistant")["summary"]
    for name, system in systems.items():
        base = system["summary"]
        behind = {k: (ours[k], base[k]) for k in QUALITY if ours[k] <= base[k]}
        assert not behind, f"behind {name}: {behind}"
        assert ours["cited_words"] < base["cited_words"]
    # Same passage size: ahead on hit@3 too (the default 1024-token chunks hold a third of a document each).
    assert ours["hit3"] > systems["baseline 200-token"]["summary"]["hit3"]


def test_eval_report_has_table_chart_and_json(rome, tmp_path):
    written = write_report(rome, tmp_path / "report.md")
    md, png, data = written
    assert png.stat().st_size > 1000 and png.read_bytes()[:4] == b"\x89PNG"
    assert "hit@3" in md.read_text(encoding="utf-8") and "baseline" in table(rome) and "held out" in table(rome)
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


def test_eval_runs_the_extractive_and_generative_answerers_side_by_side(
    subset, corpus_settings, embed_model, scripted_llm
):
    """``--modes extractive,generative`` against the scripted model server (tests/fake_llm.py, a fake
    over real HTTP: no capable model runs here), on the same index and questions."""
    from tests.conftest import generative_settings

    settings = generative_settings(corpus_settings, scripted_llm.url)
    results = run(settings, subset, CORPUS, embed_model=embed_model, modes=["extractive", "generative"])
    extractive = results["systems"]["assistant extractive"]["summary"]
    generative = results["systems"]["assistant generative"]["summary"]
    assert extractive["generated"] == 0.0 and extractive["fell_back"] == 0.0
    assert generative["generated"] + generative["fell_back"] == pytest.approx(1.0)
    assert generative["generated"] > 0  # the scripted model's cited replies passed the checker
    # The abstention decision is the extractive answerer's in both modes.
    assert generative["abstain_unanswerable"] == extractive["abstain_unanswerable"]
    text = table(results)
    assert "assistant generative" in text and "shown as generated" in text


def test_eval_of_a_generative_mode_without_a_model_server_says_what_to_set(
    subset, corpus_settings, embed_model, tmp_path
):
    corpus = tmp_path / "corpus"  # one small document: the run indexes it before it wires the answerer
    corpus.mkdir()
    formats.write_markdown(corpus)
    with pytest.raises(ValueError, match="needs a model server: set WPS_LLM_MODE"):
        run(corpus_settings, subset, corpus, embed_model=embed_model, modes=["generative"])
