"""MiniLM's ONNX backend without the model: atomic cache writes, the agreement check, the cache's
trust decision and the fall back to torch (fakes stand in for the model and the exporter)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from assistant.index import minilm_onnx
from assistant.index.minilm_onnx import (
    CHECK_SENTENCES,
    MANIFEST_FILE,
    MODEL_FILE,
    ExportError,
    agrees,
    atomic_write,
    load_or_export,
    read_cache,
    write_cache,
)

pytestmark = pytest.mark.unit


@pytest.fixture
def model_dir(tmp_path):
    """A stand-in for the packaged model folder: only what the fingerprint reads."""
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "config.json").write_text("{}")
    (folder / "model.safetensors").write_bytes(b"weights")
    return folder


def _reference() -> np.ndarray:
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(len(CHECK_SENTENCES), 8)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_atomic_write_replaces_the_whole_file(tmp_path):
    target = tmp_path / "cache" / "m.onnx"
    atomic_write(target, b"old")
    atomic_write(target, b"new contents")
    assert target.read_bytes() == b"new contents"
    assert [p.name for p in target.parent.iterdir()] == ["m.onnx"]
    assert oct(target.stat().st_mode & 0o777) == oct(0o644)


def test_a_write_killed_midway_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "m.onnx"
    atomic_write(target, b"old")

    def die(fd):
        raise KeyboardInterrupt  # as a kill between writing and renaming

    monkeypatch.setattr(os, "fsync", die)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, b"half a new model")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["m.onnx"]


def test_identical_vectors_agree_and_a_perturbed_one_does_not():
    reference = _reference()
    assert agrees(reference, reference.copy())[0]
    off = reference.copy()
    off[3] += 0.2 * np.roll(off[3], 1)  # cosine about 0.98 for that row
    ok, worst = agrees(reference, off)
    assert not ok and worst < 0.999


def test_vectors_of_another_shape_are_an_export_error():
    with pytest.raises(ExportError):
        agrees(_reference(), _reference()[:, :4])


def test_a_cache_is_trusted_only_when_its_manifest_matches_the_model_file_and_the_weights(tmp_path, model_dir):
    cache = tmp_path / "cache"
    assert read_cache(cache, model_dir) is None  # nothing yet
    write_cache(cache, model_dir, b"onnx bytes", _reference(), 1.0)
    cached = read_cache(cache, model_dir)
    assert cached is not None and cached.model == cache / MODEL_FILE
    np.testing.assert_allclose(cached.reference, _reference(), atol=1e-6)

    (cache / MODEL_FILE).write_bytes(b"onnx by")  # truncated
    assert read_cache(cache, model_dir) is None
    (cache / MODEL_FILE).write_bytes(b"onnx bytez")  # same size, altered
    assert read_cache(cache, model_dir) is None

    write_cache(cache, model_dir, b"onnx bytes", _reference(), 1.0)
    (model_dir / "model.safetensors").write_bytes(b"other weights")  # the package was upgraded
    assert read_cache(cache, model_dir) is None


def test_a_model_file_without_its_manifest_is_not_used(tmp_path, model_dir):
    cache = tmp_path / "cache"
    write_cache(cache, model_dir, b"onnx bytes", _reference(), 1.0)
    (cache / MANIFEST_FILE).unlink()  # an export killed before its manifest was written
    assert read_cache(cache, model_dir) is None
    (cache / MANIFEST_FILE).write_text("{not json")
    assert read_cache(cache, model_dir) is None


class FakeTorchModel:
    """What load_or_export asks of the sentence-transformers model, without a model."""

    max_seq_length = 256

    def encode(self, texts, **kwargs):
        return _reference()[: len(texts)]


class FakeEncoder:
    """An ONNX session stand-in whose vectors are the reference, or off by a little."""

    backend = "onnx"
    max_seq_length = 256

    def __init__(self, model, model_path, threads=1, max_seq_length=256):
        self.model = model.read_bytes() if isinstance(model, Path) else model
        if self.model == b"broken":
            raise ExportError("ONNX Runtime cannot load the model (fake)")

    checks: list[bool] = []  # each check's one_by_one, in order

    def check(self, reference, one_by_one=True):
        FakeEncoder.checks.append(one_by_one)
        vectors = _reference()
        if self.model == b"disagrees":
            vectors = vectors + 0.3 * np.roll(vectors, 1, axis=1)
        ok, worst = agrees(reference, vectors)
        if not ok:
            raise ExportError(f"the ONNX model disagrees with torch (cosine {worst:.4f})")
        return worst


@pytest.fixture
def fakes(monkeypatch):
    """Replaces the exporter and the ONNX session; ``exported`` holds what each export returned."""
    state = {"export": b"good model", "exported": [], "torch_loads": 0}

    def export(st_model):
        state["exported"].append(state["export"])
        if isinstance(state["export"], Exception):
            raise state["export"]
        return state["export"]

    monkeypatch.setattr(minilm_onnx, "export_bytes", export)
    monkeypatch.setattr(minilm_onnx, "OnnxEncoder", FakeEncoder)
    monkeypatch.setattr(FakeEncoder, "checks", [])
    return state


def _load_torch(state):
    def load():
        state["torch_loads"] += 1
        return FakeTorchModel()

    return load


def test_first_use_exports_and_caches_then_a_second_start_loads_no_torch(tmp_path, model_dir, fakes):
    cache = tmp_path / "cache"
    encoder, st_model = load_or_export(model_dir, cache, 1, _load_torch(fakes))
    assert encoder.model == b"good model" and st_model is not None
    assert (cache / MODEL_FILE).read_bytes() == b"good model"
    assert json.loads((cache / MANIFEST_FILE).read_text())["min_cosine"] >= 0.999

    encoder, st_model = load_or_export(model_dir, cache, 1, _load_torch(fakes))
    assert st_model is None and fakes["torch_loads"] == 1 and len(fakes["exported"]) == 1


def test_a_fresh_export_is_checked_alone_and_batched_and_a_cached_one_batched_only(tmp_path, model_dir, fakes):
    cache = tmp_path / "cache"
    load_or_export(model_dir, cache, 1, _load_torch(fakes))
    load_or_export(model_dir, cache, 1, _load_torch(fakes))
    assert FakeEncoder.checks == [True, False]


def test_an_export_that_disagrees_with_torch_is_refused_and_not_cached(tmp_path, model_dir, fakes):
    fakes["export"] = b"disagrees"
    with pytest.raises(ExportError, match="disagrees") as caught:
        load_or_export(model_dir, tmp_path / "cache", 1, _load_torch(fakes))
    assert isinstance(caught.value.torch_model, FakeTorchModel)  # the fallback needs no second load
    assert not (tmp_path / "cache" / MODEL_FILE).exists()


def test_an_exporter_crash_becomes_an_export_error(tmp_path, model_dir, fakes):
    fakes["export"] = RuntimeError("Module onnx is not installed!")
    with pytest.raises(ExportError, match="onnx is not installed"):
        load_or_export(model_dir, tmp_path / "cache", 1, _load_torch(fakes))


def test_a_cached_model_that_fails_its_check_is_exported_again(tmp_path, model_dir, fakes):
    cache = tmp_path / "cache"
    write_cache(cache, model_dir, b"broken", _reference(), 1.0)  # matches its manifest, will not load
    encoder, _ = load_or_export(model_dir, cache, 1, _load_torch(fakes))
    assert encoder.model == b"good model" and fakes["exported"] == [b"good model"]
    assert (cache / MODEL_FILE).read_bytes() == b"good model"


def test_an_unwritable_cache_still_gives_an_onnx_encoder(tmp_path, model_dir, fakes):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the folder should be")
    encoder, _ = load_or_export(model_dir, blocker, 1, _load_torch(fakes))
    assert encoder.model == b"good model"


def test_the_embedding_falls_back_to_torch_with_a_log_line(tmp_path, model_dir, fakes, monkeypatch, caplog):
    from assistant.index import embeddings

    fakes["export"] = b"disagrees"
    loads = []

    def fake_st(path, threads):
        loads.append(path)
        return FakeTorchModel()

    monkeypatch.setattr(embeddings, "load_sentence_transformer", fake_st)
    encoder = embeddings.MiniLMEmbedding._load(model_dir, "onnx", tmp_path / "cache", 1, 1)
    assert encoder.backend == "torch" and isinstance(encoder.model, FakeTorchModel)
    assert len(loads) == 1  # the model loaded for the export serves the fallback
    assert "falls back to torch" in caplog.text


def test_the_torch_backend_never_tries_an_export(tmp_path, model_dir, fakes, monkeypatch):
    from assistant.index import embeddings

    monkeypatch.setattr(embeddings, "load_sentence_transformer", lambda path, threads: FakeTorchModel())
    encoder = embeddings.MiniLMEmbedding._load(model_dir, "torch", tmp_path / "cache", 1, 1)
    assert encoder.backend == "torch" and fakes["exported"] == []


def test_a_failed_export_is_remembered_and_not_tried_again_until_a_package_changes(
    tmp_path, model_dir, fakes, monkeypatch
):
    cache = tmp_path / "cache"
    versions = {"torch": "2.0", "onnx": None}
    monkeypatch.setattr(minilm_onnx, "package_versions", lambda: dict(versions))
    fakes["export"] = RuntimeError("Module onnx is not installed!")
    with pytest.raises(ExportError, match="onnx is not installed"):
        load_or_export(model_dir, cache, 1, _load_torch(fakes))
    with pytest.raises(ExportError, match="failed before") as caught:
        load_or_export(model_dir, cache, 1, _load_torch(fakes))
    assert len(fakes["exported"]) == 1 and fakes["torch_loads"] == 1  # the second start tried nothing
    assert getattr(caught.value, "torch_model", None) is None

    versions["onnx"] = "1.17"  # the missing package got installed: the export is tried again, and works
    fakes["export"] = b"good model"
    encoder, _ = load_or_export(model_dir, cache, 1, _load_torch(fakes))
    assert encoder.model == b"good model" and len(fakes["exported"]) == 2
    assert not (cache / minilm_onnx.FAILED_FILE).exists()


def test_the_fallback_after_a_remembered_failure_loads_torch_once(tmp_path, model_dir, fakes, monkeypatch):
    from assistant.index import embeddings

    fakes["export"] = b"disagrees"
    loads = []
    monkeypatch.setattr(
        embeddings, "load_sentence_transformer", lambda path, threads: loads.append(1) or FakeTorchModel()
    )
    embeddings.MiniLMEmbedding._load(model_dir, "onnx", tmp_path / "cache", 1, 1)
    encoder = embeddings.MiniLMEmbedding._load(model_dir, "onnx", tmp_path / "cache", 1, 1)
    assert encoder.backend == "torch" and len(loads) == 2 and len(fakes["exported"]) == 1


def test_a_start_waiting_for_another_export_loads_its_result_instead_of_exporting(tmp_path, model_dir, fakes):
    import fcntl
    import threading

    cache = tmp_path / "cache"
    cache.mkdir()
    holder = (cache / minilm_onnx.LOCK_FILE).open("a+b")
    fcntl.flock(holder, fcntl.LOCK_EX)  # another process is exporting

    def finish_export():
        write_cache(cache, model_dir, b"their model", _reference(), 1.0)
        holder.close()  # releases the lock, after the cache is complete

    other = threading.Timer(0.2, finish_export)
    other.start()
    encoder, st_model = load_or_export(model_dir, cache, 1, _load_torch(fakes))
    other.join()
    assert encoder.model == b"their model" and st_model is None
    assert fakes["exported"] == [] and fakes["torch_loads"] == 0
