"""MkDocs hooks: the reference pages are written from the code at build time, so they cannot drift.

- ``<!-- generated: settings -->`` (docs/settings.md): every field of :class:`assistant.settings.Settings`
  with its ``WPS_`` variable, type, default and description.
- ``<!-- generated: cli -->`` (docs/cli.md): every command's ``--help``, from the real argparse parser.
- ``<!-- generated: openapi -->`` (docs/openapi.md): the JSON API's OpenAPI schema, built from the real
  FastAPI app without a model or an index (:func:`assistant.web.openapi.api_schema`), rendered as
  tables; the schema itself is published beside it as ``openapi.json``.

Nothing here reaches the network. Run with the project's environment: ``.venv/bin/python -m mkdocs build``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the assistant of this checkout, whatever the venv's editable install points at
    sys.path.insert(0, str(ROOT))

OPENAPI_FILE = "openapi.json"

# The settings page's groups, each opened by its first field (a new field joins the group above it).
SETTING_GROUPS = {
    "corpus_dir": "Where things live",
    "index_check_seconds": "Index lifecycle and corpus limits",
    "model_path": "Models and CPU",
    "chunk_max_tokens": "Chunking",
    "condenser": "The parts of the question path",
    "top_k": "Retrieval and answering",
    "llm_mode": "A language model server",
    "max_question_chars": "Questions",
    "guide_sentences": "Views",
    "host": "Web",
    "max_body_bytes": "Requests that cannot hurt others",
    "api_key": "Access",
}


# ----------------------------------------------------------------------------------------------- settings
def shown_default(value: Any) -> str:
    """A default as its environment variable would be written (lists and dicts as JSON)."""
    if value is None:
        return "(unset)"
    if value == "":
        return "(empty)"
    if isinstance(value, list | dict):
        return json.dumps(value)
    return str(value)


def type_name(annotation: Any) -> str:
    """``Path | None`` → ``path, optional``; ``Literal["onnx", "torch"]`` → ``onnx | torch``."""
    origin = get_origin(annotation)
    if origin is Literal:
        return " | ".join(str(a) for a in get_args(annotation))
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        inner = " | ".join(type_name(a) for a in args)
        return f"{inner}, optional" if len(args) < len(get_args(annotation)) else inner
    if origin in (list, dict):
        return "JSON " + ("list" if origin is list else "object")
    names = {"Path": "path", "SecretStr": "secret", "str": "text", "int": "integer", "float": "number", "bool": "bool"}
    return names.get(getattr(annotation, "__name__", ""), str(annotation))


def bounds(metadata: list[Any]) -> str:
    """pydantic's ``ge``/``gt``/``le``/``lt`` constraints as ``≥ 1, ≤ 50``."""
    signs = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<"}
    parts = []
    for item in metadata:
        for name, sign in signs.items():
            value = getattr(item, name, None)
            if value is not None:
                parts.append(f"{sign} {value}")
    return ", ".join(parts)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    """An inline code span that survives a table cell (pipes escaped, backticks fenced)."""
    fence = "``" if "`" in text else "`"
    return f"{fence}{_cell(text)}{fence}"


def settings_markdown() -> str:
    """Every setting, grouped, as one table per group: variable, type, default, description."""
    from assistant.settings import Settings

    fields = Settings.model_fields
    missing = set(SETTING_GROUPS) - set(fields)
    if missing:  # a renamed field that opened a group: fail the build rather than lose the heading
        raise ValueError(f"docs_hooks.SETTING_GROUPS names no setting: {', '.join(sorted(missing))}")
    out: list[str] = []
    for name, field in fields.items():
        if name in SETTING_GROUPS:
            out += [
                "",
                f"## {SETTING_GROUPS[name]}",
                "",
                "| variable | type | default | description |",
                "|---|---|---|---|",
            ]
        kind = type_name(field.annotation)
        limit = bounds(field.metadata)
        default = shown_default(field.get_default(call_default_factory=True))
        out.append(
            f"| `WPS_{name.upper()}` | {_cell(kind)}{f' ({limit})' if limit else ''} | {_code(default)} "
            f"| {_cell(field.description or '')} |"
        )
    return "\n".join(out).lstrip("\n") + "\n"


# ----------------------------------------------------------------------------------------------------- cli
def cli_markdown(width: int = 100) -> str:
    """Each command's help as ``wps-assistant COMMAND --help`` prints it."""
    from assistant.cli import _parser

    previous = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = str(width)  # argparse wraps at the terminal's width: fixed, for stable pages
    try:
        parser = _parser()
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        out = ["### `wps-assistant`", "", "```text", parser.format_help().rstrip(), "```"]
        for name, command in sub.choices.items():
            out += ["", f"### `{name}`", "", "```text", command.format_help().rstrip(), "```"]
    finally:
        if previous is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = previous
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------------------------------------- openapi
def openapi_schema() -> dict[str, Any]:
    from assistant.web.openapi import api_schema

    return api_schema()


def _anchor(name: str) -> str:
    return "schema-" + name.lower()


def schema_type(schema: dict[str, Any]) -> str:
    """A JSON schema as a short type: ``[Citation](#schema-citation)``, ``list of string``, ``up | down``."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return f"[{name}](#{_anchor(name)})"
    if "enum" in schema:
        return " \\| ".join(f"`{v}`" for v in schema["enum"])
    if "const" in schema:
        return f"`{schema['const']}`"
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            kinds = [s for s in schema[key] if s.get("type") != "null"]
            text = " or ".join(schema_type(s) for s in kinds)
            return f"{text} or null" if len(kinds) < len(schema[key]) else text
    kind = schema.get("type", "any")
    if kind == "array":
        return f"list of {schema_type(schema.get('items', {}))}"
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        return f"object of {schema_type(schema['additionalProperties'])}"
    return str(kind)


def _body(content: dict[str, Any]) -> str:
    """A request or response body: each media type with its schema's type."""
    parts = []
    for media, spec in content.items():
        schema = spec.get("schema")
        parts.append(f"`{media}`" + (f": {schema_type(schema)}" if schema else ""))
    return "; ".join(parts)


def openapi_markdown(schema: dict[str, Any]) -> str:
    """The operations (path, parameters, body, responses), then the schemas they use."""
    base = schema.get("servers", [{"url": ""}])[0]["url"]
    info = schema["info"]
    out = [f"**{info['title']}** {info.get('version', '')}: {info.get('description', '')}", ""]
    out += [f"The schema as a file: [{OPENAPI_FILE}]({OPENAPI_FILE}). Paths below include the `{base}` prefix.", ""]
    out += ["## Operations", ""]
    for path, operations in schema["paths"].items():
        for method, op in operations.items():
            out += [f"### `{method.upper()} {base}{path}`", ""]
            if op.get("summary"):
                out += [f"**{op['summary']}**", ""]
            if op.get("description"):
                out += [op["description"].strip(), ""]
            params = op.get("parameters", [])
            if params:
                out += ["| parameter | in | type | required | description |", "|---|---|---|---|---|"]
                for p in params:
                    required = "yes" if p.get("required") else "no"
                    kind = schema_type(p.get("schema", {}))
                    default = p.get("schema", {}).get("default")
                    note = _cell(p.get("description", "")) + (
                        f" Default: `{default}`." if default not in (None, "") else ""
                    )
                    out.append(f"| `{p['name']}` | {p['in']} | {kind} | {required} | {note.strip()} |")
                out.append("")
            if "requestBody" in op:
                out += [f"Request body: {_body(op['requestBody'].get('content', {}))}", ""]
            out += ["| status | meaning | body |", "|---|---|---|"]
            for status, response in op["responses"].items():
                out.append(
                    f"| {status} | {_cell(response.get('description', ''))} | {_body(response.get('content', {}))} |"
                )
            out.append("")
    out += ["## Schemas", ""]
    for name, spec in schema.get("components", {}).get("schemas", {}).items():
        out += [f"### {name} {{#{_anchor(name)}}}", ""]
        if spec.get("description"):
            out += [_cell(spec["description"].strip()), ""]
        props = spec.get("properties", {})
        if props:
            required = set(spec.get("required", []))
            out += ["| field | type | required | description |", "|---|---|---|---|"]
            for field, prop in props.items():
                desc = _cell(prop.get("description", ""))
                if "default" in prop and prop["default"] not in ("", None, [], {}):
                    desc = f"{desc} Default: `{json.dumps(prop['default'])}`.".strip()
                out.append(f"| `{field}` | {schema_type(prop)} | {'yes' if field in required else 'no'} | {desc} |")
            out.append("")
        elif "enum" in spec or "type" in spec:
            out += [f"Type: {schema_type(spec)}", ""]
    return "\n".join(out)


# ------------------------------------------------------------------------------------------------- hooks
GENERATED: dict[str, Callable[[], str]] = {
    "<!-- generated: settings -->": settings_markdown,
    "<!-- generated: cli -->": cli_markdown,
    "<!-- generated: openapi -->": lambda: openapi_markdown(openapi_schema()),
}


def on_files(files, config):
    """Publish the schema the OpenAPI page renders, as a file of the site."""
    from mkdocs.structure.files import File

    files.append(File.generated(config, OPENAPI_FILE, content=json.dumps(openapi_schema(), indent=2) + "\n"))
    return files


def on_page_markdown(markdown: str, page, config, files) -> str:
    for marker, render in GENERATED.items():
        if marker in markdown:
            markdown = markdown.replace(marker, render())
    return markdown
