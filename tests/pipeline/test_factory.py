"""The question path loads only the models and libraries it uses."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.integration


def test_answering_with_the_default_settings_imports_no_torch_and_no_tokenizer_it_does_not_use(shipped, minilm_cache):
    settings = shipped.settings
    code = (
        "import json, sys; import assistant; from pathlib import Path; "
        "from assistant.settings import Settings; from assistant.pipeline.factory import build_assistant; "
        f"s = Settings(corpus_dir=Path({str(settings.corpus_dir)!r}), index_dir=Path({str(settings.index_dir)!r}), "
        f"minilm_cache_dir=Path({str(minilm_cache)!r})); "
        "a, _ = build_assistant(s); answer = a.ask('Who hosted the meeting?'); "
        "heavy = ('torch', 'sentence_transformers', 'transformers', 'tiktoken', 'gradio'); "
        "print(json.dumps({'backend': a.embed_model.backend, 'cited': bool(answer.citations), "
        "'loaded': sorted(m for m in heavy if m in sys.modules)}))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"backend": "onnx", "cited": True, "loaded": []}
