"""Gradio without its type-stub writer: every class Gradio defines re-parses its module's source.

On import, Gradio's ``ComponentMeta`` calls ``create_or_modify_pyi`` for each of its ~80 component
classes: it reads the class's source file, parses it with ``ast`` and rewrites the ``.pyi`` stub
beside it when it differs. That is a development aid for Gradio's own authors; here it costs about 2 s
of CPU in every process that imports Gradio (a third of ``serve``'s cold start, and the same again
in every server the tests start), and writes into the installed package.

:func:`install` makes the stub writer a no-op as Gradio's ``component_meta`` module is loaded, before
any component class exists. If a Gradio version no longer has that function, nothing is changed.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from types import ModuleType
from typing import Any

MODULE = "gradio.component_meta"
STUB_WRITER = "create_or_modify_pyi"


def _no_stub(*args: Any, **kwargs: Any) -> None:
    """Write no type stub (see the module's docstring)."""


def without_stub_writer(module: ModuleType) -> None:
    """Replace the module's stub writer, if it has one, by a no-op."""
    if callable(getattr(module, STUB_WRITER, None)):
        setattr(module, STUB_WRITER, _no_stub)


class _Finder(importlib.abc.MetaPathFinder):
    """Finds ``gradio.component_meta`` as usual and patches it right after it runs."""

    def find_spec(self, name: str, path: Any, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if name != MODULE:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        run = spec.loader.exec_module

        def exec_module(module: ModuleType) -> None:
            run(module)
            without_stub_writer(module)

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def install() -> None:
    """Patch Gradio's stub writer when Gradio is imported (or now, if it already was). Idempotent."""
    if MODULE in sys.modules:
        without_stub_writer(sys.modules[MODULE])
    elif not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
