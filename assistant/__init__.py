"""WPS Communiqué Assistant: cited answers from the communiqués of the WPS Focal Points Network."""

import os

# Offline by construction: set before any Hugging Face, Gradio, Chroma or ONNX module is imported, so
# that nothing in this package can reach a model hub or send telemetry. Setting env vars is the only
# work done at import time. Users may still override them explicitly.
for _name, _value in {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ORT_DISABLE_TELEMETRY": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",  # the model-loading bar on every command is noise
    # OpenMP (e5's engine, torch) reads these once, when the first library using it loads: later, the
    # e5 engine's own thread setting comes too late. One thread, waiting passively: e5 now embeds a
    # query beside MiniLM, and threads spinning for work on two cores made each question 10× slower
    # (bench/bench_ask.py: p50 440 ms without these, 37 ms with them).
    "OMP_NUM_THREADS": "1",
    "OMP_WAIT_POLICY": "PASSIVE",
}.items():
    os.environ.setdefault(_name, _value)

__version__ = "0.1.0"
