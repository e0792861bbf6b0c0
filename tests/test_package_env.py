"""What ``import assistant`` sets before any model library loads: OpenMP's threads and how they wait."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.unit

OPENMP = ("OMP_NUM_THREADS", "OMP_WAIT_POLICY")


def _env_after_import(env: dict[str, str]) -> dict[str, str | None]:
    code = f"import json, os, assistant; print(json.dumps({{k: os.environ.get(k) for k in {list(OPENMP)!r}}}))"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=True)
    return json.loads(done.stdout)


def test_importing_assistant_gives_openmp_one_passive_thread_before_e5_or_torch_load():
    env = {k: v for k, v in os.environ.items() if k not in OPENMP}
    assert _env_after_import(env) == {"OMP_NUM_THREADS": "1", "OMP_WAIT_POLICY": "PASSIVE"}


def test_an_operator_s_own_openmp_setting_is_kept():
    env = {**os.environ, "OMP_NUM_THREADS": "2", "OMP_WAIT_POLICY": "ACTIVE"}
    assert _env_after_import(env) == {"OMP_NUM_THREADS": "2", "OMP_WAIT_POLICY": "ACTIVE"}
