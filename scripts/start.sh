#!/usr/bin/env bash
# Install everything, bring index/ up to date with corpus/, and serve the chat on http://127.0.0.1:7860
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_HUB_DISABLE_TELEMETRY=1 \
       GRADIO_ANALYTICS_ENABLED=False ORT_DISABLE_TELEMETRY=1
# glibc gives each of the server's threads its own malloc arena; two keep the resident memory ~10 %
# lower and level it off under a long run (bench/bench_soak.py: +6.3 % over 7 min against +8.8 %).
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
# Index first, in the foreground (re-embeds only what changed; seconds when nothing did), so that the
# page starts over an index and lays out the views' tabs; serve then finds nothing left to do. If it
# fails, serve still starts and says what is wrong with the index.
.venv/bin/wps-assistant ingest || echo "start.sh: the ingest did not complete; serving what the index holds" >&2
exec .venv/bin/wps-assistant serve "$@"
