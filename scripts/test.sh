#!/usr/bin/env bash
# Install everything (test tools included), lint, build the documentation, and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh --test
# The browser tests (tests/test_ui.py) drive Debian's chromium (Playwright's own browser download
# is never used). Installed once; later runs only check.
if ! command -v chromium >/dev/null; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_HUB_DISABLE_TELEMETRY=1 \
       GRADIO_ANALYTICS_ENABLED=False ORT_DISABLE_TELEMETRY=1
.venv/bin/ruff check .
# The documentation site (docs/, mkdocs.yml): strict, so a broken link, a missing page or a reference page
# that no longer builds from the code fails here. Nothing is fetched; a few seconds; output git-ignored.
NO_MKDOCS_2_WARNING=1 .venv/bin/python -m mkdocs build --strict --quiet --site-dir .cache/site
# Two workers on this two-core machine (-n auto: one a core, none for `-m unit`; tests/conftest.py), each
# taking a whole module at a time, the longest modules first (tests/conftest.py's SLOW_FIRST).
exec .venv/bin/python -m pytest -n auto --dist loadfile --no-loadscope-reorder "$@"
