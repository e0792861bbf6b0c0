"""Run the systems over a question file on a temporary index of the corpus, and summarise.

A cited paragraph is relevant when it contains one of the question's gold substrings.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from assistant.evaluation.metrics import Outcome, by_split, score, summarize
from assistant.evaluation.questions import Question, QuestionFileError, load_questions
from assistant.evaluation.systems import BaselineSystem, OurSystem
from assistant.index.embeddings import MiniLMEmbedding
from assistant.pipeline.factory import build_assistant
from assistant.settings import Settings


def evaluate(system, questions: list[Question], progress: Callable[[int, int], None] | None = None) -> list[Outcome]:
    outcomes = []
    for i, q in enumerate(questions, start=1):
        started = time.perf_counter()
        got = system.reply(q)
        latency = (time.perf_counter() - started) * 1000
        outcomes.append(score(q, got, system.relevant(q), latency))
        if progress:
            progress(i, len(questions))
    return outcomes


def run(
    settings: Settings,
    questions_path: Path,
    corpus_dir: Path | None = None,
    baseline: bool = False,
    split: str | None = None,
    embed_model: MiniLMEmbedding | None = None,
    modes: list[str] | None = None,
) -> dict:
    """Index the corpus into a temporary folder, answer every question, summarize (and the baseline).

    ``modes`` (e.g. ``["extractive", "generative"]``) runs the assistant once per answerer, side by
    side on the same index and questions; a generative run condenses follow-ups with the model too.
    """
    questions = load_questions(questions_path, split)
    if not questions:
        raise QuestionFileError(f"{questions_path}: no questions{f' in split {split!r}' if split else ''}")
    corpus = Path(corpus_dir or settings.corpus_dir)
    embed_model = embed_model or MiniLMEmbedding.from_settings(settings)
    with tempfile.TemporaryDirectory(prefix="wps-eval-") as tmp:
        # An embedded store in a temporary folder, whatever WPS_CHROMA_HOST says: evaluation never
        # touches the index people are using.
        eval_settings = settings.model_copy(update={"corpus_dir": corpus, "index_dir": Path(tmp), "chroma_host": None})
        assistant, report = build_assistant(
            _mode(eval_settings, modes[0] if modes else None), ingest=True, embed_model=embed_model
        )
        results = {"questions": str(questions_path), "corpus": str(corpus), "split": split, "systems": {}}
        for i, mode in enumerate(modes or [None]):
            if i:
                assistant, _ = build_assistant(_mode(eval_settings, mode), embed_model=embed_model)
            name = f"assistant {mode}" if mode else "assistant"
            results["systems"][name] = _result(evaluate(OurSystem(assistant), questions))
        if report and report.failed:
            results["unreadable_files"] = report.failed
        if baseline:
            base = evaluate(BaselineSystem(corpus, embed_model), questions)
            results["systems"]["baseline"] = _result(base)
            small = BaselineSystem(corpus, embed_model, chunk_size=eval_settings.chunk_max_tokens)
            results["systems"][f"baseline {eval_settings.chunk_max_tokens}-token"] = _result(evaluate(small, questions))
    return results


def _mode(settings: Settings, mode: str | None) -> Settings:
    """The settings answering with ``mode`` (extractive, generative); None keeps them as they are."""
    if mode is None:
        return settings
    condenser = {"extractive": "rules", "generative": "llm"}.get(mode, settings.condenser)
    return settings.model_copy(update={"answerer": mode, "condenser": condenser})


def _result(outcomes: list[Outcome]) -> dict:
    return {
        "summary": asdict(summarize(outcomes)),
        "by_split": by_split(outcomes),
        "outcomes": [asdict(o) for o in outcomes],
    }
