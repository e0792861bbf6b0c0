"""``python -m tests.ingest.killpoint STEP N``: a real ingest (settings from WPS_* variables) that
SIGKILLs its own process the Nth time it reaches STEP — a crash at a precise point, for the kill tests.

The steps are the ones ``ingest_corpus`` reports (:class:`assistant.ingest.pipeline.Step`). Exits 3
if the ingest finished without reaching the step.
"""

from __future__ import annotations

import os
import signal
import sys

import assistant  # noqa: F401  (offline environment first)
from assistant.index.embeddings import MiniLMEmbedding
from assistant.ingest.pipeline import Step, ingest_corpus
from assistant.settings import Settings


def main(step_name: str, nth: int) -> int:
    seen = 0

    def on_step(step: Step) -> None:
        nonlocal seen
        if step.name == step_name:
            seen += 1
            if seen == nth:
                print(f"killed at {step}", flush=True)
                os.kill(os.getpid(), signal.SIGKILL)

    settings = Settings()
    ingest_corpus(settings, lambda: MiniLMEmbedding.from_settings(settings), show_progress=False, on_step=on_step)
    print(f"finished without reaching {step_name} #{nth}", flush=True)
    return 3


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2])))
