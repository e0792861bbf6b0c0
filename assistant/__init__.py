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
}.items():
    os.environ.setdefault(_name, _value)

__version__ = "0.1.0"
