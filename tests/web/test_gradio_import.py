"""Gradio is imported without its type-stub writer (a third of the server's cold start)."""

from __future__ import annotations

import subprocess
import sys
import types

import pytest

from assistant.web import gradio_import
from tests.conftest import ROOT

pytestmark = pytest.mark.unit


def test_importing_the_web_package_then_gradio_leaves_its_stub_writer_a_no_op():
    code = (
        "import assistant.web, gradio, gradio.component_meta as m\n"
        "print(m.create_or_modify_pyi.__name__, gradio.Blocks.__name__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["_no_stub", "Blocks"]


def test_a_gradio_without_the_stub_writer_is_left_as_it_is():
    module = types.ModuleType("gradio.component_meta")
    gradio_import.without_stub_writer(module)
    assert not hasattr(module, gradio_import.STUB_WRITER)

    module.create_or_modify_pyi = print
    gradio_import.without_stub_writer(module)
    assert module.create_or_modify_pyi is not print
