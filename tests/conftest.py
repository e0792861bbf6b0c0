"""Shared, expensive fixtures: the real model is loaded once, the shipped corpus indexed once."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

import assistant  # noqa: F401  (offline environment before any library loads)
from assistant.settings import Settings

if TYPE_CHECKING:  # the model, Chroma and llama-index load in the fixtures, not for unit tests
    from assistant.index.embeddings import MiniLMEmbedding
    from assistant.pipeline.assistant import Assistant

ROOT = Path(__file__).parents[1]
MINILM_CACHE_ENV = "WPS_MINILM_CACHE_DIR"  # the session's one MiniLM export, passed on to every child process
CORPUS = ROOT / "corpus"
QUESTIONS = ROOT / "tests" / "data" / "questions.jsonl"
MULTI_CORPUS = ROOT / "tests" / "data" / "corpus"  # four communiqués: txt, html, pdf, txt
MULTI_QUESTIONS = ROOT / "tests" / "data" / "questions_multi.jsonl"
FOUR_PILLARS = "What are the four pillars of the WPS agenda?"
EARLY_WARNING = "What does the communiqué say about gender-sensitive early warning?"
ANSWER_KEYS = {"question", "standalone_question", "answer", "abstained", "citations", "mode", "timings_ms"}
CITATION_KEYS = {"n", "doc_id", "title", "meeting", "date", "section", "paragraph", "quote", "text", "score"}
ROME_SECTIONS = [
    "Preamble",
    "Participation",
    "Protection",
    "Prevention",
    "Relief and Recovery",
    "Youth, Peace and Security",
    "National Action Plans",
]


# Fixtures that load the model, index a corpus or serve the app: a unit test may use none of them.
HEAVY_FIXTURES = {
    "embed_model",
    "shipped",
    "multi",
    "live_app",
    "multi_app",
    "corpus_settings",
    "scripted_llm",
    "browser",
    "generative",
    "generative_app",
}


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """Workers for ``-n auto`` (scripts/test.sh): none for the unit layer alone, which runs faster in this
    process (each worker would import and collect it again), else one a core, at most four (each worker
    loads the model, indexes the test corpora and starts a browser of its own)."""
    if config.option.markexpr.strip() == "unit":
        return 0
    return min(len(os.sched_getaffinity(0)), 4)


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """With ``-m unit``, skip importing modules that hold integration tests only: their imports (the
    model, Chroma, Gradio, a browser driver) are most of a unit run's time."""
    if config.option.markexpr.strip() != "unit" or collection_path.suffix != ".py":
        return None
    if not collection_path.name.startswith("test_"):
        return None
    head = collection_path.read_text(encoding="utf-8", errors="ignore")
    return True if "\npytestmark = pytest.mark.integration" in head else None


# The modules that take longest, longest first (seconds of CPU in a run on this two-core machine:
# real processes, a browser, the evaluation). They run first, so that under pytest-xdist (scripts/test.sh:
# ``-n 2 --dist loadfile --no-loadscope-reorder``, each worker taking the next module as it frees up)
# a run ends on short modules, not on one worker still busy with a long one while the other waits.
SLOW_FIRST = (
    "test_damaged.py",
    "test_page_ui.py",
    "test_killpoints.py",
    "test_accessibility.py",
    "test_generative_ui.py",
    "test_run.py",
    "test_ui.py",
    "test_switch.py",
    "test_replicas.py",
    "test_views_ui.py",
    "test_cli.py",
    "test_lock.py",
    "test_schemathesis.py",
    "test_generative_api.py",
    "test_process.py",
    "test_content_limits.py",
    "test_security.py",
    "test_generative.py",
    "test_limits.py",
    "test_real_llm.py",
)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test says what it needs: ``unit`` or ``integration``, and a unit test loads nothing heavy.
    Then the slowest modules are put first (``SLOW_FIRST``), each module's tests in their own order."""
    rank = {name: i for i, name in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(SLOW_FIRST)))  # stable: the rest keep their order
    wrong = []
    for item in items:
        kinds = {m.name for m in item.iter_markers()} & {"unit", "integration"}
        heavy = HEAVY_FIXTURES & set(getattr(item, "fixturenames", ()))
        if len(kinds) != 1:
            wrong.append(f"{item.nodeid}: mark it either unit or integration")
        elif "unit" in kinds and heavy:
            wrong.append(f"{item.nodeid}: a unit test uses {', '.join(sorted(heavy))}; mark it integration")
    if wrong:
        raise pytest.UsageError("\n".join(wrong))


@pytest.fixture(scope="session", autouse=True)
def minilm_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One ONNX export of MiniLM for the whole run, shared through ``WPS_MINILM_CACHE_DIR`` by every
    process the tests start: each would otherwise export again into its own fresh index folder.

    Under pytest-xdist the workers share it too (the run's folder above theirs): the first to start
    exports under the cache's lock, the others wait and load its result, as two servers would."""
    if MINILM_CACHE_ENV not in os.environ:
        base = tmp_path_factory.getbasetemp()
        cache = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "minilm-onnx"
        cache.mkdir(exist_ok=True)
        os.environ[MINILM_CACHE_ENV] = str(cache)
    return Path(os.environ[MINILM_CACHE_ENV])


@pytest.fixture(scope="session")
def embed_model(minilm_cache: Path) -> MiniLMEmbedding:
    from assistant.index.embeddings import MiniLMEmbedding

    return MiniLMEmbedding(threads=1, cache_dir=minilm_cache)


@pytest.fixture(scope="session")
def corpus_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings over a copy of the shipped corpus and a fresh temporary index."""
    base = tmp_path_factory.mktemp("shipped")
    shutil.copytree(CORPUS, base / "corpus")
    return Settings(corpus_dir=base / "corpus", index_dir=base / "index")


@pytest.fixture(scope="session")
def shipped(corpus_settings: Settings, embed_model: MiniLMEmbedding) -> Assistant:
    """The assistant over the shipped corpus (ingested once for the whole session)."""
    from assistant.pipeline.factory import build_assistant

    built, _ = build_assistant(corpus_settings, ingest=True, embed_model=embed_model)
    return built


@pytest.fixture(scope="session")
def multi(tmp_path_factory: pytest.TempPathFactory, embed_model: MiniLMEmbedding) -> Assistant:
    """The assistant over the four-communiqué test corpus (ingested once for the whole session)."""
    base = tmp_path_factory.mktemp("multi")
    settings = Settings(corpus_dir=MULTI_CORPUS, index_dir=base / "index")
    from assistant.pipeline.factory import build_assistant

    built, _ = build_assistant(settings, ingest=True, embed_model=embed_model)
    return built


@pytest.fixture(scope="session")
def questions() -> list[dict]:
    return [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def feedback_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where thumbs up/down sent to ``live_app`` go (never the project's own feedback file). Shared by
    the session as the app is: a test reads the lines it appended (the last, or a count before and after)."""
    return tmp_path_factory.mktemp("feedback") / "feedback.jsonl"


@pytest.fixture(scope="session")
def live_app(shipped: Assistant, feedback_path: Path):
    """Base URL of the real app over the shipped corpus, served by uvicorn in a background thread. One
    server for the session: a test that needs other settings starts its own (tests/web/servers.py)."""
    from assistant.feedback import FeedbackStore
    from assistant.web.app import create_app
    from tests.live import serve

    with serve(create_app(shipped, FeedbackStore(feedback_path))) as url:
        yield url


@pytest.fixture(scope="session")
def multi_app(multi: Assistant, tmp_path_factory: pytest.TempPathFactory):
    """Base URL of the real app over the four test communiqués (``multi``), default settings; one server
    for the session's page, view and accessibility tests."""
    from assistant.feedback import FeedbackStore
    from assistant.web.app import create_app
    from tests.live import serve

    with serve(create_app(multi, FeedbackStore(tmp_path_factory.mktemp("multi-app") / "feedback.jsonl"))) as url:
        yield url


@pytest.fixture(scope="session")
def scripted_llm():
    """The scripted OpenAI-compatible model server of tests/scripted_cases.py, on loopback (a fake:
    no capable model runs here; real HTTP, so the assistant's real llama-index client talks to it)."""
    from tests.fake_llm import scripted_server
    from tests.scripted_cases import scripted_model

    with scripted_server(scripted_model()) as server:
        yield server


def generative_settings(base: Settings, url: str) -> Settings:
    """``base`` (its index) with the scripted model server configured, as an intranet would set it."""
    from tests.fake_llm import MODEL
    from tests.scripted_cases import TIMEOUT_S, TOP_K

    # The scripted cases prove what the checker does with a model's reply, so each question must reach
    # the model: only a top-tier extractive answer does (a lower tier is never handed to a model). The
    # tier threshold itself is proven in tests/pipeline/answer/test_abstain.py and by the evaluation.
    return base.model_copy(
        update={
            "llm_mode": "openai",
            "llm_base_url": url,
            "llm_model": MODEL,
            "llm_timeout": TIMEOUT_S,
            "llm_first_token_timeout": TIMEOUT_S,
            "top_k": TOP_K,
            "abstain_threshold": 0.2,
        }
    )


@pytest.fixture(scope="session")
def generative(shipped: Assistant, scripted_llm, embed_model: MiniLMEmbedding) -> Assistant:
    """The assistant over the shipped corpus (its index) answering through the scripted model server."""
    from assistant.pipeline.factory import build_assistant

    built, _ = build_assistant(generative_settings(shipped.settings, scripted_llm.url), embed_model=embed_model)
    return built


@pytest.fixture(scope="session")
def generative_app(generative: Assistant, tmp_path_factory: pytest.TempPathFactory):
    """Base URL of the real app over ``generative``, served by uvicorn in a background thread (one
    server for the session's API and browser tests of the language-model path)."""
    from assistant.feedback import FeedbackStore
    from assistant.web.app import create_app
    from tests.live import serve

    feedback = FeedbackStore(tmp_path_factory.mktemp("generative") / "feedback.jsonl")
    with serve(create_app(generative, feedback)) as url:
        yield url
