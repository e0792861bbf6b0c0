"""Real ingest processes killed with SIGKILL at each step: readers never see a half-written index.

Each kill is a child process (``tests/ingest/killpoint.py``) that kills itself when the ingest reaches
a named step; the next kill runs on what the previous one left, so each run also resumes the last.
After every kill the live generation must hold every document whole, in exactly one version, and a
question about each must be answered from it — or, before the very first switch, nothing is served
at all (with a message), never a partial index.
"""

from __future__ import annotations

import shutil
import signal
import time

import pytest

from assistant.index.client import make_client
from assistant.index.errors import IndexBuildingError, IndexMissingError
from assistant.index.generations import Generations
from assistant.index.store import Store
from assistant.ingest.parse import parse_file
from assistant.ingest.pipeline import ingest_corpus
from assistant.pipeline.factory import build_assistant
from assistant.settings import Settings
from tests import formats
from tests.conftest import CORPUS, EARLY_WARNING
from tests.lifecycle import cli, killed_ingest, live_documents

pytestmark = pytest.mark.integration

ROME = next(CORPUS.glob("*.txt"))
QUOKKA = "What does the quokka charter do?"
QUOKKA_PARAGRAPH = "\n\nWe welcome the quokka charter, which pairs coastal mediators with women peacebuilders.\n"


def _corpus(tmp_path) -> Settings:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ROME, corpus)  # the largest: two write batches, so a kill can land inside it
    formats.write_markdown(corpus)
    formats.write_numbered_txt(corpus)
    return Settings(corpus_dir=corpus, index_dir=tmp_path / "index")


def _questions(settings: Settings) -> dict[str, str]:
    """A question each document alone answers → that document's id."""
    ids = {p.suffix: parse_file(p).doc_id for p in settings.corpus_dir.iterdir()}
    numbered = next(parse_file(p).doc_id for p in settings.corpus_dir.glob("*.txt") if p.name != ROME.name)
    return {
        EARLY_WARNING: parse_file(settings.corpus_dir / ROME.name).doc_id,
        "What does the obsidian protocol set out?": ids[".md"],
        "What will the quince ledger make comparable?": numbered,
    }


def _hashes(settings: Settings) -> dict[str, set[str]]:
    return {parse_file(p).doc_id: {parse_file(p).content_hash} for p in settings.corpus_dir.iterdir()}


def _assert_served(settings: Settings, embed_model, versions: dict[str, set[str]], extra: dict | None = None) -> None:
    """The live generation holds exactly ``versions``, and each document answers its question."""
    assert live_documents(settings) == versions
    assistant, _ = build_assistant(settings, embed_model=embed_model)
    for question, doc_id in (_questions(settings) | (extra or {})).items():
        answer = assistant.ask(question)
        assert not answer.abstained, question
        assert answer.citations[0].doc_id == doc_id, question


def test_a_first_ingest_killed_at_each_step_serves_nothing_until_one_completes(tmp_path, embed_model):
    settings = _corpus(tmp_path)
    # Documents go smallest first: the numbered .txt (one write batch), the markdown (one), then Rome (two).
    # Run by run: nothing written; an empty generation; the numbered .txt whole; the markdown whole and
    # half of Rome; everything but the switch; the switch, before the clean-up.
    before_switch = [("locked", 1), ("planned", 1), ("document", 1), ("stored", 2), ("built", 1)]
    resumed = []
    for step, nth in before_switch:
        done = killed_ingest(settings, step, nth)
        assert done.returncode == -signal.SIGKILL, done.stdout + done.stderr
        with pytest.raises(IndexMissingError) as missing:
            Store.live(settings)
        if step != "locked":  # from "planned" on, the pointer records the generation being built
            assert isinstance(missing.value, IndexBuildingError)
            assert "run `wps-assistant ingest` to finish it" in str(missing.value)
        pointer = Generations(settings, make_client(settings)).pointer()
        resumed.append(pointer.building)
    assert pointer.live == 0 and len(set(resumed[1:])) == 1  # every run resumed the same generation

    done = killed_ingest(settings, "switched", 1)
    assert done.returncode == -signal.SIGKILL
    _assert_served(settings, embed_model, _hashes(settings))

    report = ingest_corpus(settings, embed_model, show_progress=False)
    assert report.nodes_embedded == 0 and not report.changed and len(report.unchanged) == 3


def test_a_re_index_killed_at_each_step_keeps_every_document_in_one_version(tmp_path, embed_model):
    settings = _corpus(tmp_path)
    ingest_corpus(settings, embed_model, show_progress=False)
    old = _hashes(settings)
    rome = settings.corpus_dir / ROME.name
    rome.write_text(rome.read_text(encoding="utf-8") + QUOKKA_PARAGRAPH, encoding="utf-8")
    rome_id = parse_file(rome).doc_id

    # Per run: planned → copied (numbered .txt, then markdown) → stored ×2 (Rome) → document → built → switched;
    # each run resumes the generation the last one left.
    for step, nth in [("planned", 1), ("copied", 1), ("stored", 1), ("document", 1), ("built", 1)]:
        done = killed_ingest(settings, step, nth)
        assert done.returncode == -signal.SIGKILL, done.stdout + done.stderr
        # The old Rome text, whole, and nothing of the new one: the question about it is not answered from it.
        _assert_served(settings, embed_model, old)
        assert live_documents(settings)[rome_id] == old[rome_id]

    done = killed_ingest(settings, "switched", 1)
    assert done.returncode == -signal.SIGKILL
    new = _hashes(settings)
    assert new[rome_id] != old[rome_id]
    _assert_served(settings, embed_model, new, extra={QUOKKA: rome_id})


def test_a_cli_ingest_killed_wherever_it_has_got_to_leaves_the_live_index_whole(tmp_path, embed_model):
    settings = _corpus(tmp_path)
    ingest_corpus(settings, embed_model, show_progress=False)
    old = _hashes(settings)
    for path in settings.corpus_dir.iterdir():
        path.write_text(path.read_text(encoding="utf-8") + QUOKKA_PARAGRAPH, encoding="utf-8")

    process = cli(settings, "ingest", "--quiet")
    generations = Generations(settings, make_client(settings))
    deadline = time.monotonic() + 120
    while not _written(generations):  # it has written part of the new generation
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the ingest never started writing"
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    _assert_served(settings, embed_model, old)

    report = ingest_corpus(settings, embed_model, show_progress=False)  # the next run finishes the job
    assert sorted(report.updated) == sorted(old)
    _assert_served(settings, embed_model, _hashes(settings))


def _written(generations: Generations) -> bool:
    building = generations.pointer().building
    return bool(building) and generations.open(building).count() > 0
