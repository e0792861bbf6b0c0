"""No lone surrogate or non-finite number gets past the door: JSON bodies are checked before any route.

JSON may spell a UTF-16 surrogate with no partner ("\\ud800"). Python decodes it into a string that
UTF-8 cannot encode, and every layer that writes text then fails: the model's tokenizer, Chroma, the
feedback file, FastAPI's 422 that echoes the input, and Gradio's event stream (which dies mid-message).
:class:`CleanJSONMiddleware` rewrites such a body once, with each lone surrogate replaced by U+FFFD and
control characters dropped (:func:`assistant.pipeline.plan.question.clean_text`), so the question path sees
only text it can encode; a body without a surrogate escape is passed on untouched (one byte scan).

Python's JSON reader also takes ``NaN`` and ``Infinity``, which are not JSON, reads ``1e400`` as
infinity, and recurses once per level of nesting: a 422 that echoed such a number back could not be
written (a 500), and 100,000 nested brackets crash the reader. Such bodies are refused here with 400
and a message, before anything else reads them (``WPS_MAX_JSON_DEPTH`` bounds the nesting).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant.pipeline.plan.question import clean_text
from assistant.web.limits import read_body, replaying
from assistant.web.security import Denied

_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
# A JSON string, or one bracket: what the depth scan steps through (strings may hold brackets).
_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[{\]}]')
NOT_JSON = Denied(400, "The request is not valid JSON: NaN and Infinity are not JSON numbers.")
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class StrictJSONError(ValueError):
    """Valid for Python's reader, refused here: the message says why."""


def _refuse_constant(name: str) -> None:
    raise StrictJSONError(NOT_JSON.message)


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise StrictJSONError(f"The request is not valid JSON: the number {text[:40]} is too large.")
    return value


def depth(body: bytes) -> int:
    """How deep the JSON's arrays and objects nest (brackets inside strings do not count)."""
    deepest = level = 0
    for match in _TOKENS.finditer(body):
        token = match.group()
        if token in (b"[", b"{"):
            level += 1
            deepest = max(deepest, level)
        elif token in (b"]", b"}"):
            level -= 1
    return deepest


def strict_loads(body: bytes, max_depth: int) -> Any:
    """The JSON value; :class:`StrictJSONError` for NaN, ±Infinity, a number beyond a double or nesting
    deeper than ``max_depth`` (checked first, so no reader recurses into it); ValueError if not JSON."""
    if depth(body) > max_depth:
        raise StrictJSONError(f"The request is not accepted: its JSON nests more than {max_depth} levels deep.")
    return json.loads(body, parse_constant=_refuse_constant, parse_float=_finite)


def clean_json(value: Any) -> Any:
    """The same JSON value with every string (keys too) cleaned."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_json(v) for v in value]
    if isinstance(value, dict):
        return {clean_text(k): clean_json(v) for k, v in value.items()}
    return value


class CleanJSONMiddleware:
    """Every JSON body (``application/json``, or a body with no type, which FastAPI reads as JSON) is read
    once, strictly, before any route: refused with 400 when :func:`strict_loads` refuses it, rewritten
    without lone surrogates when it has any. A body that is not JSON at all goes on as it is (the route
    says so)."""

    def __init__(self, app: ASGIApp, max_depth: int = 64) -> None:
        self.app = app
        self.max_depth = max_depth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS:
            return await self.app(scope, receive, send)
        content_type = Headers(scope=scope).get("content-type")
        if content_type is not None and "json" not in content_type:
            return await self.app(scope, receive, send)
        body = await read_body(receive)  # bounded: the body limit stands in front of this
        if body is None:
            return
        if body.strip():
            try:
                value = strict_loads(body, self.max_depth)
            except StrictJSONError as exc:
                return await Denied(400, str(exc)).response()(scope, receive, send)
            except (ValueError, RecursionError):
                value = None  # not JSON after all: the route answers that itself
            else:
                if _SURROGATE_ESCAPE.search(body):
                    body = json.dumps(clean_json(value), ensure_ascii=False).encode("utf-8")
                    MutableHeaders(scope=scope)["content-length"] = str(len(body))
        await self.app(scope, replaying(body, receive), send)
