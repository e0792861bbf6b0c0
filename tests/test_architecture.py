"""The package's layout holds: no import cycles, the question path's stages import only earlier ones,
and every module opens by saying what it is for. Read from the source (ast), nothing is imported."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

PACKAGE = Path(__file__).resolve().parents[1] / "assistant"

# The question path's stages, in order: a stage may import an earlier one, never a later one.
# The wiring (pipeline/assistant.py, factory.py, host.py) may import every stage; no stage imports it.
STAGES = ["plan", "retrieve", "answer", "llm"]
WIRING = {"assistant.pipeline.assistant", "assistant.pipeline.factory", "assistant.pipeline.host"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(path: Path, known: set[str]) -> set[str]:
    """The project's modules this file imports, at any depth (a function's lazy import counts: it
    still ties the two modules together), except under ``if TYPE_CHECKING:``."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("assistant"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("assistant"):
            for alias in node.names:  # "from assistant.pipeline.llm import claims" imports a module
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in known else node.module)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text("utf-8")))
    return {name for name in found if name in known}


def import_graph() -> dict[str, set[str]]:
    files = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    known = set(files)
    return {name: imports_of(path, known) - {name} for name, path in files.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import cycles: strongly connected components of more than one module, each sorted."""
    import networkx as nx

    directed = nx.DiGraph([(a, b) for a, targets in graph.items() for b in targets])
    directed.add_nodes_from(graph)
    return sorted(sorted(c) for c in nx.strongly_connected_components(directed) if len(c) > 1)


def stage_of(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) > 2 and parts[1] == "pipeline" and parts[2] in STAGES:
        return parts[2]
    return None


def test_cycles_finds_a_loop_of_three_and_ignores_a_chain():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_the_package_has_no_import_cycles():
    assert cycles(import_graph()) == []


def test_each_stage_of_the_question_path_imports_only_earlier_stages_and_never_the_wiring():
    wrong = []
    for module, imported in import_graph().items():
        stage = stage_of(module)
        if stage is None:
            continue
        for other in imported:
            other_stage = stage_of(other)
            if other in WIRING or (other_stage and STAGES.index(other_stage) > STAGES.index(stage)):
                wrong.append(f"{module} imports {other}")
    assert wrong == []


def test_every_module_opens_with_a_docstring_saying_what_it_is_for():
    missing = [
        module_name(path)
        for path in PACKAGE.rglob("*.py")
        if path.name != "__init__.py" and not ast.get_docstring(ast.parse(path.read_text("utf-8")))
    ]
    assert missing == []
