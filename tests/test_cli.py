"""The ``wps-assistant`` command line over the shipped corpus: real model, real Chroma, no mocks.

Most commands run in-process through ``assistant.cli.main(argv, settings=...)`` (each builds its own
assistant; after the session's first model load a reload takes well under a second). One test runs the
installed console script in a subprocess, configured only through ``WPS_*`` environment variables.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.cli import EXIT_USAGE, main
from assistant.pipeline.assistant import Assistant
from assistant.settings import Settings
from tests.conftest import ANSWER_KEYS, CITATION_KEYS, EARLY_WARNING, FOUR_PILLARS, MINILM_CACHE_ENV

pytestmark = pytest.mark.integration

FOLLOW_UP = "and what about funding for it?"

CONSOLE_SCRIPT = Path(sys.executable).with_name("wps-assistant")


@pytest.fixture(scope="module")
def settings(shipped: Assistant, corpus_settings: Settings) -> Settings:
    """The session settings, once ``shipped`` has ingested the corpus into their index."""
    return corpus_settings


def run(capsys: pytest.CaptureFixture[str], settings: Settings, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()  # drop anything printed before
    code = main(list(argv), settings=settings)
    out, err = capsys.readouterr()
    return code, out, err


def assert_answer_shape(answer: dict) -> None:
    assert answer.keys() >= ANSWER_KEYS
    assert isinstance(answer["answer"], str) and answer["answer"]
    assert answer["mode"] == "extractive"
    assert {"retrieve", "answer", "total"} <= answer["timings_ms"].keys()
    assert all(isinstance(v, int | float) and v >= 0 for v in answer["timings_ms"].values())
    for n, citation in enumerate(answer["citations"], start=1):
        assert citation.keys() >= CITATION_KEYS
        assert citation["n"] == n
        assert citation["quote"] in citation["text"]


# ------------------------------------------------------------------ ask


def test_ask_json_prints_the_documented_answer_shape(capsys, settings):
    code, out, err = run(capsys, settings, "ask", "--json", FOUR_PILLARS)

    assert code == 0, err
    answer = json.loads(out)
    assert_answer_shape(answer)
    assert answer["question"] == FOUR_PILLARS
    assert answer["standalone_question"] == FOUR_PILLARS
    assert answer["abstained"] is False
    assert answer["citations"], "a corpus question must come back with citations"
    first = answer["citations"][0]
    assert first["doc_id"] and first["title"] and first["section"]
    assert isinstance(first["paragraph"], int)
    assert first["date"].startswith("2026")
    assert "prevention, participation, protection, and relief and recovery" in answer["answer"]


def test_ask_with_history_answers_the_resolved_follow_up(capsys, settings):
    code, out, err = run(capsys, settings, "ask", "--json", FOLLOW_UP, "--history", EARLY_WARNING)

    assert code == 0, err
    answer = json.loads(out)
    assert answer["question"] == FOLLOW_UP
    assert answer["standalone_question"] != answer["question"]
    assert "gender-sensitive early warning" in answer["standalone_question"]
    assert "funding" in answer["standalone_question"]


def test_plain_ask_prints_the_answer_then_numbered_references(capsys, settings):
    code, out, err = run(capsys, settings, "ask", FOUR_PILLARS)

    assert code == 0, err
    assert "References:" in out
    answer_part, sources = out.split("References:", 1)
    assert "[1]" in answer_part  # the answer text cites its sources inline
    source_lines = [line for line in sources.splitlines() if line.strip()]
    assert source_lines and source_lines[0].startswith("[1] ")
    assert all(", ¶" in line and "2026-06-10" in line for line in source_lines)
    assert not out.lstrip().startswith("{")  # text, not JSON


def test_plain_ask_of_a_follow_up_shows_how_it_was_understood(capsys, settings):
    code, out, err = run(capsys, settings, "ask", FOLLOW_UP, "--history", EARLY_WARNING)

    assert code == 0, err
    assert out.startswith("(understood as: ")
    assert "gender-sensitive early warning" in out.splitlines()[0]


@pytest.mark.parametrize("question", ["", "   ", "\t\n"], ids=["empty", "spaces", "tab-newline"])
def test_ask_with_an_empty_question_exits_2_with_a_message(capsys, settings, question):
    code, out, err = run(capsys, settings, "ask", question)

    assert code == EXIT_USAGE == 2
    assert out == ""
    assert err.startswith("error: ")
    assert "question is empty" in err
    assert "Traceback" not in err


def test_ask_with_an_oversized_question_exits_2_with_a_message(capsys, settings):
    question = "What about funding? " * (settings.max_question_chars // 20 + 5)
    assert len(question.strip()) > settings.max_question_chars

    code, out, err = run(capsys, settings, "ask", question)

    assert code == 2
    assert out == ""
    assert "too long" in err
    assert f"the limit is {settings.max_question_chars}" in err
    assert "Traceback" not in err


def test_ask_with_a_question_of_exactly_the_limit_is_accepted(capsys, settings):
    question = ("What about funding for peacebuilders " * 100)[: settings.max_question_chars - 1] + "?"
    assert len(question) == settings.max_question_chars

    code, out, err = run(capsys, settings, "ask", "--json", question)

    assert code == 0, err
    assert json.loads(out)["question"] == question


def test_console_script_answers_as_json_configured_by_environment(settings, tmp_path):
    assert CONSOLE_SCRIPT.exists(), f"console script not installed at {CONSOLE_SCRIPT}"
    # Only WPS_* variables configure it; the session's MiniLM export is passed on so it is not exported again.
    env = {k: v for k, v in os.environ.items() if not k.startswith("WPS_") or k == MINILM_CACHE_ENV}
    env |= {"WPS_CORPUS_DIR": str(settings.corpus_dir), "WPS_INDEX_DIR": str(settings.index_dir)}

    done = subprocess.run(
        [str(CONSOLE_SCRIPT), "ask", "--json", FOUR_PILLARS],
        env=env,
        cwd=tmp_path,  # no ./corpus or ./index here: the env vars alone locate them
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert_answer_shape(answer)
    assert answer["abstained"] is False
    assert answer["citations"]


# ------------------------------------------------------------------ batch


def test_batch_writes_one_line_per_input_line_with_errors_for_bad_lines(capsys, settings, tmp_path):
    lines = [
        json.dumps({"id": "good", "question": FOUR_PILLARS}),
        json.dumps({"id": "follow", "question": FOLLOW_UP, "history": [EARLY_WARNING]}),
        '{"id": "broken", "question": ',  # invalid JSON
        json.dumps({"id": "empty", "question": "  "}),
        json.dumps(["a", "list", "not", "an", "object"]),
    ]
    source = tmp_path / "questions.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    target = tmp_path / "answers.jsonl"

    code, _, err = run(capsys, settings, "batch", str(source), str(target))

    assert code == 0, err
    records = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert len(records) == len(lines)
    good, follow, broken, empty, listed = records

    assert good["id"] == "good" and "error" not in good
    assert_answer_shape(good)
    assert good["citations"]

    assert follow["id"] == "follow" and "error" not in follow
    assert_answer_shape(follow)
    assert "gender-sensitive early warning" in follow["standalone_question"]

    assert broken == {"line": 3, "error": broken["error"]} and broken["error"]
    assert empty["id"] == "empty" and "question is empty" in empty["error"]
    assert "answer" not in empty
    assert listed["line"] == 5 and "JSON object" in listed["error"]

    assert "3 line(s) could not be answered" in err
    assert "Traceback" not in err


def test_batch_without_output_path_writes_answers_to_stdout(capsys, settings, tmp_path):
    source = tmp_path / "one.jsonl"
    source.write_text(json.dumps({"question": FOUR_PILLARS}) + "\n\n", encoding="utf-8")

    code, out, err = run(capsys, settings, "batch", str(source))

    assert code == 0, err
    records = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert len(records) == 1  # the blank line is skipped
    assert records[0]["id"] == 1  # no id given: the line number stands in
    assert_answer_shape(records[0])


def test_batch_with_a_missing_input_file_exits_1_with_a_message(capsys, settings, tmp_path):
    missing = tmp_path / "nope.jsonl"

    code, out, err = run(capsys, settings, "batch", str(missing))

    assert code == 1
    assert out == ""
    assert "input file not found" in err and str(missing) in err
    assert "Traceback" not in err


def test_batch_line_with_a_non_string_question_gets_an_error_field(capsys, settings, tmp_path):
    source = tmp_path / "numbers.jsonl"
    source.write_text(
        json.dumps({"id": "num", "question": 123}) + "\n" + json.dumps({"id": "ok", "question": FOUR_PILLARS}) + "\n",
        encoding="utf-8",
    )

    code, out, _ = run(capsys, settings, "batch", str(source))

    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert [r["id"] for r in records] == ["num", "ok"]
    assert "error" in records[0] and "error" not in records[1]


# ------------------------------------------------------------------ ingest


def test_ingest_of_an_unchanged_corpus_adds_and_updates_nothing(capsys, settings):
    code, out, err = run(capsys, settings, "ingest", "--quiet")

    assert code == 0, err
    assert "0 added, 0 updated, 1 unchanged" in out
    assert "0 removed" in out


def test_ingest_of_a_missing_corpus_folder_exits_1_with_a_message(capsys, settings, tmp_path):
    code, _, err = run(capsys, settings, "ingest", "--quiet", "--corpus", str(tmp_path / "absent"))

    assert code == 1
    assert "error: Corpus folder not found" in err
    assert "Traceback" not in err


def test_feedback_export_writes_every_readable_record_and_skips_a_damaged_line(capsys, tmp_path):
    from assistant.feedback import FeedbackRecord, FeedbackStore

    store = FeedbackStore(tmp_path / "feedback.jsonl")
    store.add(FeedbackRecord(rating="up", question="q1", answer="a1"))
    with store.path.open("a", encoding="utf-8") as f:
        f.write('{"rating": "do\n')  # a line cut short by a crash
    store.add(FeedbackRecord(rating="down", question="q2", answer="a2"))
    out = tmp_path / "export.jsonl"
    settings = Settings(feedback_path=store.path, index_dir=tmp_path / "index")

    assert main(["feedback", str(out)], settings) == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["question"] for r in lines] == ["q1", "q2"]
    assert "2 feedback record(s)" in capsys.readouterr().err
