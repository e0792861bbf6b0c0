"""No lone surrogate or non-finite number gets past the door: JSON bodies are checked before any route.

JSON may spell a UTF-16 surrogate with no partner ("\\ud800"). Python decodes it into a string that
UTF-8 cannot encode, and every layer that writes text then fails: the model's tokenizer, Chroma, the
feedback file, FastAPI's 422 that echoes the input, and Gradio's event stream (which dies mid-message).
:class:`CleanJSONMiddleware` rewrites such a body once, with each lone surrogate replaced by U+FFFD and
control characters dropped (:func:`assistant.pipeline.question.clean_text`), so the question path sees
only text it can encode; a body without a surrogate escape is passed on untouched (one byte scan).

Python's JSON reader also takes ``NaN`` and ``Infinity``, which are not JSON: a 422 that echoed one
back could not be written (FastAPI refuses to send them) and became a 500. A body with such a constant
is refused here with 400 and a message.
"""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant.pipeline.question import clean_text
from assistant.web.limits import read_body, replaying
from assistant.web.security import Denied

_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_CONSTANTS = (b"NaN", b"Infinity")
NOT_JSON = Denied(400, "The request is not valid JSON: NaN and Infinity are not JSON numbers.")


def _refuse_constant(name: str) -> None:
    raise ValueError(name)


def has_constants(body: bytes) -> bool:
    """Whether the JSON holds NaN or ±Infinity as numbers (the words inside strings do not count)."""
    if not any(c in body for c in _CONSTANTS):
        return False
    try:
        json.loads(body, parse_constant=_refuse_constant)
    except ValueError as exc:
        return str(exc) in ("NaN", "Infinity", "-Infinity")
    return False


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
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or "json" not in Headers(scope=scope).get("content-type", ""):
            return await self.app(scope, receive, send)
        body = await read_body(receive)  # bounded: the body limit stands in front of this
        if body is None:
            return
        if has_constants(body):
            return await NOT_JSON.response()(scope, receive, send)
        if _SURROGATE_ESCAPE.search(body):
            try:
                body = json.dumps(clean_json(json.loads(body)), ensure_ascii=False).encode("utf-8")
                MutableHeaders(scope=scope)["content-length"] = str(len(body))
            except ValueError:
                pass  # not JSON after all: the route answers that itself
        await self.app(scope, replaying(body, receive), send)
