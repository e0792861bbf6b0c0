"""A scripted OpenAI-compatible model server on loopback, for the tests of the generative answerer.

This is a fake, and the only one in these tests: no capable language model runs on this machine.
It is a real HTTP server (``http.server`` on a free 127.0.0.1 port) speaking the OpenAI chat API —
``GET /v1/models``, ``POST /v1/chat/completions`` with and without ``stream`` (server-sent events
in OpenAI's chunk format) — so the assistant's real llama-index ``OpenAILike`` client talks to it
exactly as it would to vLLM, llama.cpp's server or a gateway; and Ollama's (``GET /api/tags``,
``POST /api/chat``, one JSON object a line) for the real ``Ollama`` client. What it answers is scripted per
question: a reply (text, or a function of the prompt so that a script can cite "the passage that
says X" whatever order retrieval gave), how slowly it streams, a delay before the first byte, an
HTTP error, or raw bytes that are no valid reply. Every request is recorded for assertions.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODEL = "scripted-model"


@dataclass(frozen=True)
class Prompt:
    """What the model was sent: the system rules and the user message."""

    system: str
    user: str

    @property
    def condensing(self) -> bool:
        return "<Follow Up Message>" in self.user

    @property
    def question(self) -> str:
        """The question asked (or, when condensing, the follow-up message)."""
        pattern = r"<Follow Up Message>\n(.*?)\n" if self.condensing else r"^Question: (.*)$"
        match = re.search(pattern, self.user, re.M)
        return match.group(1).strip() if match else ""

    @property
    def passages(self) -> dict[int, str]:
        return {int(n): t for n, t in re.findall(r'<passage n="(\d+)">\n(.*?)\n</passage>', self.user, re.S)}

    def passage_with(self, phrase: str) -> int:
        """The number of the passage whose text contains ``phrase`` (the script cites it)."""
        found = [n for n, text in self.passages.items() if phrase in text]
        assert found, f"no passage with {phrase!r} among {list(self.passages)}"
        return found[0]

    def passage_without(self, phrase: str) -> int:
        found = [n for n, text in self.passages.items() if phrase not in text]
        assert found, f"every passage has {phrase!r}"
        return found[0]


@dataclass(frozen=True)
class Script:
    """How the fake answers one question."""

    reply: str | Callable[[Prompt], str] = ""
    chunk_delay: float = 0.0  # seconds between streamed pieces
    first_delay: float = 0.0  # seconds before anything is sent (longer than the client's timeout: a timeout)
    status: int = 200  # an HTTP error instead of a reply
    raw: bytes | None = None  # sent as the body instead of a well-formed reply

    def text(self, prompt: Prompt) -> str:
        return self.reply(prompt) if callable(self.reply) else self.reply


@dataclass
class ScriptedModelServer:
    """``answers`` / ``condense``: question substring → :class:`Script`; ``default`` for the rest."""

    answers: dict[str, Script] = field(default_factory=dict)
    condense: dict[str, Script] = field(default_factory=dict)
    default: Script = field(default_factory=Script)
    requests: list[dict] = field(default_factory=list)
    url: str = ""

    def script_for(self, prompt: Prompt) -> Script:
        scripts = self.condense if prompt.condensing else self.answers
        return next((s for key, s in scripts.items() if key in prompt.question), self.default)

    def prompts(self, question_part: str = "") -> list[Prompt]:
        """The prompts received (for one question, when given), oldest first."""
        out = [_prompt(r) for r in self.requests]
        return [p for p in out if question_part in p.question]


def _prompt(body: dict) -> Prompt:
    messages = body.get("messages", [])
    system = "\n".join(m.get("content", "") for m in messages if m.get("role") == "system")
    user = "\n".join(m.get("content", "") for m in messages if m.get("role") == "user")
    return Prompt(system, user)


def _chunk(content: str | None, finish: str | None = None) -> bytes:
    delta = {"role": "assistant", "content": content} if content is not None else {}
    event = {
        "id": "chatcmpl-scripted",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": MODEL,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(event)}\n\n".encode()


def _handler(server: ScriptedModelServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # quiet
            pass

        def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            if self.path.rstrip("/").endswith("/models"):
                self._send(200, json.dumps({"object": "list", "data": [{"id": MODEL, "object": "model"}]}).encode())
            elif self.path.rstrip("/") == "/api/tags":  # Ollama's model list
                self._send(200, json.dumps({"models": [{"name": f"{MODEL}:latest", "model": MODEL}]}).encode())
            else:
                self._send(404, b'{"error": "not found"}')

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
            server.requests.append(body)
            prompt = _prompt(body)
            script = server.script_for(prompt)
            try:
                time.sleep(script.first_delay)
                if script.status != 200:
                    self._send(script.status, b'{"error": {"message": "scripted failure"}}')
                elif self.path.rstrip("/") == "/api/chat":
                    self._ollama(script, prompt, stream=body.get("stream", True))
                elif not body.get("stream"):
                    self._complete(script, prompt)
                else:
                    self._stream(script, prompt)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout): fine
                pass

        def _complete(self, script: Script, prompt: Prompt) -> None:
            if script.raw is not None:
                return self._send(200, script.raw)
            reply = {
                "id": "chatcmpl-scripted",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": MODEL,
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": script.text(prompt)},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            }
            self._send(200, json.dumps(reply).encode())

        def _stream(self, script: Script, prompt: Prompt) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Connection", "close")
            self.end_headers()
            if script.raw is not None:
                self.wfile.write(script.raw)
                return
            for piece in re.findall(r"\S+\s*", script.text(prompt)):
                self.wfile.write(_chunk(piece))
                self.wfile.flush()
                time.sleep(script.chunk_delay)
            self.wfile.write(_chunk(None, "stop") + b"data: [DONE]\n\n")
            self.wfile.flush()

        def _ollama(self, script: Script, prompt: Prompt, stream: bool) -> None:
            """Ollama's /api/chat: one JSON object a line, the last with ``done``."""

            def line(content: str, done: bool) -> bytes:
                message = {"role": "assistant", "content": content}
                return (json.dumps({"model": MODEL, "message": message, "done": done}) + "\n").encode()

            if not stream:
                return self._send(200, line(script.text(prompt), True), "application/json")
            self.send_response(200)
            self.send_header("Content-Type", "application/x-ndjson")
            self.send_header("Connection", "close")
            self.end_headers()
            for piece in re.findall(r"\S+\s*", script.text(prompt)):
                self.wfile.write(line(piece, False))
                self.wfile.flush()
                time.sleep(script.chunk_delay)
            self.wfile.write(line("", True))
            self.wfile.flush()

    return Handler


@contextmanager
def scripted_server(server: ScriptedModelServer) -> Iterator[ScriptedModelServer]:
    """Serve ``server`` on a free loopback port; ``server.url`` is its OpenAI base URL (…/v1)."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(server))
    httpd.daemon_threads = True  # a scripted timeout keeps sleeping after the client left
    thread = threading.Thread(target=httpd.serve_forever, name="scripted-llm", daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
