#!/usr/bin/env bash
# Install everything (test tools included), lint, and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh --test
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_HUB_DISABLE_TELEMETRY=1 \
       GRADIO_ANALYTICS_ENABLED=False ORT_DISABLE_TELEMETRY=1
.venv/bin/ruff check .
exec .venv/bin/python -m pytest "$@"
