#!/usr/bin/env bash
# Install everything, bring index/ up to date with corpus/, and serve the chat on http://127.0.0.1:7860
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_HUB_DISABLE_TELEMETRY=1 \
       GRADIO_ANALYTICS_ENABLED=False ORT_DISABLE_TELEMETRY=1
exec .venv/bin/wps-assistant serve "$@"
