"""The source check on the labelled real model replies: what the reader is shown of each sentence.

.venv/bin/python bench/replay_real_replies.py          # shipped corpus, temporary index

Prints each labelled sentence with its decision, the table per label (sentences, shown, share) and
the check's time per reply (ms). The same replay is asserted in tests/pipeline/llm/test_real_replies.py.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import assistant  # noqa: F401  (sets the offline environment before any model library loads)
from assistant.pipeline.factory import build_assistant
from assistant.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchutil import ROOT, SHIPPED

REPLIES = ROOT / "tests" / "data" / "real_replies.jsonl"


def main() -> None:
    from assistant.evaluation.replay import load_replies, replay, table
    from assistant.pipeline.llm.checker import AnswerChecker
    from assistant.pipeline.llm.prompt import AnswerPrompt
    from assistant.pipeline.plan.acronyms import Acronyms
    from assistant.pipeline.terms import Terms

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        shutil.copytree(SHIPPED, corpus)
        built, _ = build_assistant(Settings(corpus_dir=corpus, index_dir=Path(tmp) / "index"), ingest=True)
        texts = [n.text for n in built.retriever.shared.passages]
        checker = AnswerChecker(built.settings, Terms(texts), Acronyms(texts), built.embed_model.encode)
        prompt = AnswerPrompt.load()
        decisions, times = [], []
        for reply in load_replies(REPLIES):
            found, ms = replay(built, checker, prompt, reply)
            decisions += found
            times.append(ms)
            for d in found:
                print(f"{'SHOWN ' if d.shown else 'hidden'} {d.label:17} {d.reason:40} {d.sentence[:70]!r}")
        for label, row in table(decisions).items():
            print(f"{label:17} {row}")
        checked = sorted(t for t in times if t)
        print(f"check per reply: median {checked[len(checked) // 2]:.1f} ms, max {checked[-1]:.1f} ms")


if __name__ == "__main__":
    main()
