#!/usr/bin/env bash
# The independent development set, scored by its own scorer: scripts/eval_shared.sh [SPLIT] [EVAL_DIR]
# SPLIT is a or b (default b, the reported one; tune on a). EVAL_DIR defaults to ../shared/eval.
# Each set is answered by `wps-assistant batch` on a fresh index of its corpus (never index/).
set -euo pipefail
cd "$(dirname "$0")/.."
split="${1:-b}"
eval_dir="${2:-../shared/eval}"
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_HUB_DISABLE_TELEMETRY=1 \
       GRADIO_ANALYTICS_ENABLED=False ORT_DISABLE_TELEMETRY=1
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for set in rome.jsonl:corpus multi.jsonl:tests/data/corpus dev10/questions.jsonl:$eval_dir/dev10/corpus; do
  file="${set%%:*}"
  name="${file%%/*}"; name="${name%.jsonl}"
  export WPS_CORPUS_DIR="${set#*:}" WPS_INDEX_DIR="$work/index-$name"
  .venv/bin/wps-assistant ingest --quiet
  .venv/bin/wps-assistant batch "$eval_dir/$file" "$work/$name.jsonl"
  echo "== $file, split $split"
  python3 "$eval_dir/score.py" "$eval_dir/$file" "$work/$name.jsonl" --split "$split"
done
