"""The README stays short; the documentation's links and file paths resolve; its reference pages are
written from the code (settings, command line, OpenAPI) by ``scripts/docs_hooks.py``."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
from functools import cache
from pathlib import Path

import pytest
import yaml
from markdown.extensions.toc import slugify

from assistant.settings import Settings
from tests.conftest import ROOT

pytestmark = pytest.mark.unit

DOCS = ROOT / "docs"
README = ROOT / "README.md"
PAGES = sorted(DOCS.rglob("*.md"))
README_MAX_LINES = 150

FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*$", re.M)
EXPLICIT_ID = re.compile(r"\{#([\w-]+)\}\s*$")
# A code span naming a file of the project: a folder, a name, an extension.
PATH = re.compile(r"^(?:\.\./)?[\w.-]+(?:/[\w.-]+)+\.(?:py|json|jsonl|txt|md|sh|yml|toml|png)$")
# Paths the docs name that are written by a command, not kept in the repository.
WRITTEN = ("artifacts/", "../shared/", "index/", "/var/", "/etc/", "/run/", "WPS_")


def docs_hooks():
    spec = importlib.util.spec_from_file_location("docs_hooks", ROOT / "scripts" / "docs_hooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def prose(text: str) -> str:
    """Markdown without its code blocks (links and headings inside them are not links or headings)."""
    return FENCE.sub("", text)


@cache
def anchors(page: Path) -> frozenset[str]:
    """The ids MkDocs gives a page's headings: an explicit ``{#id}``, else the slug of the heading's text."""
    ids = set()
    for heading in HEADING.findall(prose(page.read_text(encoding="utf-8"))):
        explicit = EXPLICIT_ID.search(heading)
        if explicit:
            ids.add(explicit.group(1))
            continue
        text = CODE_SPAN.sub(lambda m: m.group(2), heading)
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text).replace("*", "")
        ids.add(slugify(text, "-"))
    return frozenset(ids)


def relative_links(page: Path) -> list[str]:
    text = CODE_SPAN.sub("", prose(page.read_text(encoding="utf-8")))
    return [link for link in LINK.findall(text) if not re.match(r"^[a-z]+:|^#|^/", link)]


def test_the_readme_is_at_most_150_lines():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= README_MAX_LINES, f"README.md has {len(lines)} lines; move detail into docs/"


@pytest.mark.parametrize("page", [README, *PAGES], ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves_to_a_file_and_heading(page: Path):
    broken = []
    for link in relative_links(page):
        target, _, anchor = link.partition("#")
        path = (page.parent / target).resolve() if target else page
        if not path.exists():
            broken.append(f"{link}: no file {path}")
        elif anchor and path.suffix == ".md" and anchor not in anchors(path):
            broken.append(f"{link}: no heading #{anchor} in {path.name}")
    assert not broken, "\n".join(broken)


def tracked_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return listed.splitlines() or [str(p.relative_to(ROOT)) for p in ROOT.rglob("*") if ".venv" not in p.parts]


@pytest.mark.parametrize("page", [README, *PAGES], ids=lambda p: str(p.relative_to(ROOT)))
def test_every_file_path_named_in_code_exists(page: Path):
    """A module or script named in the docs (``pipeline/plan/route.py``, ``bench/bench_ask.py``) is the end of a
    path in the repository, so a moved module shows here instead of in a reader's search."""
    files = tracked_files() + [str(p.relative_to(ROOT)) for p in PAGES]
    named = {m.group(2).strip() for m in CODE_SPAN.finditer(page.read_text(encoding="utf-8"))}
    paths = {n for n in named if PATH.match(n) and not n.startswith(WRITTEN)}
    missing = [p for p in sorted(paths) if not any(f == p or f.endswith("/" + p) for f in files)]
    assert not missing, f"{page.name} names files that do not exist: {missing}"


@pytest.mark.parametrize("page", [README, *PAGES], ids=lambda p: str(p.relative_to(ROOT)))
def test_every_code_block_is_closed(page: Path):
    """An unclosed fence turns the rest of a page into code (MkDocs builds it without a warning)."""
    fences = re.findall(r"^\s*(?:```|~~~)", page.read_text(encoding="utf-8"), re.M)
    assert len(fences) % 2 == 0, f"{page.name}: {len(fences)} fence lines"


def test_every_page_is_in_the_navigation():
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))

    def pages(nav) -> list[str]:
        found = []
        for item in nav:
            value = next(iter(item.values())) if isinstance(item, dict) else item
            found += pages(value) if isinstance(value, list) else [value]
        return found

    assert sorted(pages(config["nav"])) == sorted(str(p.relative_to(DOCS)) for p in PAGES)


def test_the_settings_page_lists_every_setting_with_its_default():
    page = docs_hooks().settings_markdown()
    rows = {
        env: default for env, _, default in re.findall(r"^\| `(WPS_[A-Z_0-9]+)` \|.*?\| (`+)(.*?)\2 \|", page, re.M)
    }
    for name, field in Settings.model_fields.items():
        env = f"WPS_{name.upper()}"
        assert env in rows, f"{env} is missing from the settings page"
        default = field.get_default(call_default_factory=True)
        shown = (
            "(unset)"
            if default is None
            else "(empty)"
            if default == ""
            else json.dumps(default)
            if isinstance(default, list | dict)
            else str(default)
        )
        assert rows[env].replace("\\|", "|") == shown, f"{env}: the page says {rows[env]!r}, the default is {shown!r}"
        assert field.description, f"{env} has no description for the settings page"


def test_the_settings_page_says_each_type_and_bound():
    hooks = docs_hooks()
    page = hooks.settings_markdown()
    assert "| `WPS_TOP_K` | integer (≥ 1, ≤ 50) | `5` |" in page
    assert "| `WPS_CHROMA_HOST` | text, optional | `(unset)` |" in page
    assert "| `WPS_MINILM_BACKEND` | onnx \\| torch | `onnx` |" in page
    assert "| `WPS_ALLOWED_ORIGINS` | JSON list | `[]` |" in page


def test_the_cli_page_shows_every_command_as_its_help_prints_it():
    from assistant.cli import _parser

    page = docs_hooks().cli_markdown()
    commands = re.findall(r"^### `([\w-]+)`$", page, re.M)
    subparsers = next(a for a in _parser()._actions if a.__class__.__name__ == "_SubParsersAction")
    assert commands == ["wps-assistant", *subparsers.choices]
    assert "usage: wps-assistant ingest [-h] [--corpus CORPUS]" in page


def test_the_openapi_page_renders_every_operation_and_schema():
    hooks = docs_hooks()
    schema = hooks.openapi_schema()
    page = hooks.openapi_markdown(schema)
    for path, operations in schema["paths"].items():
        for method in operations:
            assert f"### `{method.upper()} /api{path}`" in page
    for name in schema["components"]["schemas"]:
        assert f"### {name} {{#schema-{name.lower()}}}" in page
    # every schema link on the page points at a schema section of the page
    targets = set(re.findall(r"\]\(#(schema-[\w-]+)\)", page))
    assert targets <= {f"schema-{name.lower()}" for name in schema["components"]["schemas"]}


def test_schema_types_read_as_words():
    hooks = docs_hooks()
    assert hooks.schema_type({"$ref": "#/components/schemas/Citation"}) == "[Citation](#schema-citation)"
    assert hooks.schema_type({"type": "array", "items": {"type": "string"}}) == "list of string"
    assert hooks.schema_type({"anyOf": [{"type": "integer"}, {"type": "null"}]}) == "integer or null"
    assert hooks.schema_type({"enum": ["up", "down"]}) == "`up` \\| `down`"
