"""The packaged MiniLM exported to ONNX for real: it agrees with torch, and a damaged cache is caught."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.index.embeddings import MiniLMEmbedding, load_sentence_transformer, packaged_model_path
from assistant.index.minilm_onnx import MANIFEST_FILE, MODEL_FILE

pytestmark = pytest.mark.integration

SENTENCES = [
    "What are the four pillars of the WPS agenda?",
    "When is the next meeting of the Network?",
    "La participation des femmes aux négociations de paix",
    "Members pledged 15% of peacebuilding funds to gender equality.",
]


@pytest.fixture(scope="module")
def torch_model():
    return load_sentence_transformer(packaged_model_path(), 1)


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return tmp_path_factory.mktemp("minilm-cache")


@pytest.fixture(scope="module")
def exported(cache, torch_model) -> MiniLMEmbedding:
    return MiniLMEmbedding(cache_dir=cache, backend="onnx")


def test_the_exported_model_agrees_with_torch_and_counts_the_same_word_pieces(exported, torch_model):
    assert exported.backend == "onnx"
    reference = torch_model.encode(SENTENCES, normalize_embeddings=True)
    one_by_one = np.array([exported.get_query_embedding(s) for s in SENTENCES])
    batched = np.array(exported.get_text_embedding_batch(SENTENCES))
    assert (one_by_one * reference).sum(axis=1).min() >= 0.999
    assert (batched * reference).sum(axis=1).min() >= 0.999
    for s in [*SENTENCES, "word " * 400]:
        assert exported.count_tokens(s) == len(torch_model.tokenizer.tokenize(s))


def test_a_truncated_cached_model_is_exported_again(exported, cache, caplog):
    model_file = cache / MODEL_FILE
    whole = model_file.read_bytes()
    model_file.write_bytes(whole[: len(whole) // 2])  # as a disk that filled up under a plain write
    again = MiniLMEmbedding(cache_dir=cache, backend="onnx")
    assert again.backend == "onnx"
    assert model_file.read_bytes() == whole  # the export is deterministic
    assert "does not match its manifest" in caplog.text


def test_a_cached_model_that_answers_wrong_falls_back_to_a_fresh_export(exported, cache, caplog):
    # A manifest whose reference vectors no longer fit the model (as if a weight were altered and the
    # manifest rewritten to match the file): the check on the fixed sentences catches it.
    import json

    manifest = json.loads((cache / MANIFEST_FILE).read_text())
    manifest["reference"] = np.roll(np.array(manifest["reference"]), 1, axis=1).tolist()
    (cache / MANIFEST_FILE).write_text(json.dumps(manifest))
    again = MiniLMEmbedding(cache_dir=cache, backend="onnx")
    assert again.backend == "onnx"
    assert "failed its check" in caplog.text
    assert json.loads((cache / MANIFEST_FILE).read_text())["reference"] != manifest["reference"]
