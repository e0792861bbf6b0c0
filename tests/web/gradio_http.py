"""The Gradio chat's queue over plain HTTP, as its page speaks it (no gradio_client: it could not even
send some of what these tests send, such as a lone surrogate, and it hides the status codes).

``POST {mount}/gradio_api/queue/join`` with the event's ``fn_index`` puts a question in the queue;
``GET {mount}/gradio_api/queue/data?session_hash=…`` streams its messages until ``process_completed``.
"""

from __future__ import annotations

import json
import uuid

import httpx


def ask_event_id(http: httpx.Client, mount: str = "") -> int:
    """The fn_index of the chat's question event (the one named ``ask``)."""
    config = http.get(f"{mount}/config").json()
    return next(d["id"] for d in config["dependencies"] if d.get("api_name") == "ask")


def join(http: httpx.Client, data: list, fn_index: int, mount: str = "", session: str | None = None) -> httpx.Response:
    body = {"data": data, "fn_index": fn_index, "session_hash": session or uuid.uuid4().hex, "trigger_id": None}
    return http.post(f"{mount}/gradio_api/queue/join", json=body)


def join_raw(http: httpx.Client, body_text: str, mount: str = "") -> httpx.Response:
    """A join whose JSON is written by hand (e.g. with an escape Python's encoder would refuse)."""
    return http.post(
        f"{mount}/gradio_api/queue/join", content=body_text.encode(), headers={"Content-Type": "application/json"}
    )


def completed(http: httpx.Client, session: str, mount: str = "", timeout: float = 60) -> dict:
    """The ``process_completed`` message of the session's event.

    Event-stream lines end at CR or LF only (a JSON string may hold U+2028 or U+0085, where httpx's
    ``iter_lines`` would also cut), so the stream is split by hand.
    """
    url = f"{mount}/gradio_api/queue/data"
    buffer = b""
    with http.stream("GET", url, params={"session_hash": session}, timeout=timeout) as stream:
        for chunk in stream.iter_bytes():
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            for line in lines:
                if not line.startswith(b"data:"):
                    continue
                message = json.loads(line[5:])
                if message.get("msg") == "process_completed":
                    return message
    raise AssertionError("the event stream ended without process_completed")


def ask_chat(http: httpx.Client, question: str, history: list | None = None, mount: str = "") -> dict:
    """Ask through the queue; the ``process_completed`` message (``success``, ``output``)."""
    session = uuid.uuid4().hex
    # The page sends every input, the session State as null: question, chat, state, documents, sections.
    response = join(http, [question, history or [], None, [], []], ask_event_id(http, mount), mount, session)
    assert response.status_code == 200, response.text
    return completed(http, session, mount)
