"""The organisation's language model server, as a llama-index LLM: built from the settings, probed for health.

``WPS_LLM_MODE=openai`` is any OpenAI-compatible endpoint (vLLM, llama.cpp's server, LiteLLM, a
gateway) through ``llama-index-llms-openai-like``; ``ollama`` is an Ollama server through
``llama-index-llms-ollama``. Both are optional extras (``pip install .[llm]``), imported only here and
only when the mode asks for them, so the default extractive path never loads them. Building a client
makes no call: the context window is stated (Ollama would otherwise ask the server for it).
"""

from __future__ import annotations

import json
import queue
import statistics
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

from assistant.settings import Settings

if TYPE_CHECKING:
    from llama_index.core.llms import LLM

# An OpenAI-compatible server on an intranet often needs no key, but the client insists on one.
NO_KEY = "not-needed"
# Health is a quick look, not a model call: it must answer fast even when the server hangs.
PROBE_TIMEOUT_S = 3.0
# A speed probe writes a few tokens from a one-line prompt: a model that is up answers it within its
# first-token time for a short prompt, far below an answer's (which reads the passages first).
PROBE_TOKENS = 8
PROBE_WAIT_S = 30.0
# One probe at a time, its result reused meanwhile: the open health check must not let anyone keep
# a shared model server busy.
PROBE_REUSE_S = 30.0
# Recent answers the speed is measured over.
SPEED_WINDOW = 20


T = TypeVar("T")


class ModelTimeout(TimeoutError):
    """The model took too long: to its first token, between two tokens, or for its whole answer.
    The message is the phrase for the reader's notice."""


def client_timeout(settings: Settings) -> float:
    """The client's wait for any one read: the longest silence a timely answer can hold (its first token)."""
    return max(settings.llm_first_token_timeout, settings.llm_timeout)


def timed_stream(start: Callable[[], Iterable[T]], first_token: float, between: float, whole: float) -> Iterator[T]:
    """The pieces of ``start()``'s stream, raising :class:`ModelTimeout` when the first one takes more
    than ``first_token`` seconds, a later one more than ``between``, or all of them more than ``whole``.

    The stream is read in a daemon thread so that each wait has its own limit whatever the client's
    one read timeout; a thread left waiting ends at that client timeout. Once the reader gives up (a
    limit passed, or the user went away and the generator was closed) the thread stops at the next
    piece and closes the model's stream, so a shared model server does not go on writing for no one.
    """
    pieces: queue.Queue[tuple[str, Any]] = queue.Queue()
    abandoned = threading.Event()

    def pump() -> None:
        stream: Iterable[T] = ()
        try:
            stream = start()
            for piece in stream:
                if abandoned.is_set():
                    break
                pieces.put(("piece", piece))
            pieces.put(("end", None))
        except BaseException as exc:  # handed to the reader's thread, raised there
            pieces.put(("error", exc))
        finally:
            close = getattr(stream, "close", None)
            if abandoned.is_set() and callable(close):
                close()  # ends the HTTP response: the server stops generating

    threading.Thread(target=pump, name="model-stream", daemon=True).start()
    started = time.monotonic()
    first = True
    try:
        while True:
            left = whole - (time.monotonic() - started)
            wait = min(first_token if first else between, left)
            try:
                kind, value = pieces.get(timeout=max(wait, 0.0))
            except queue.Empty:
                if wait >= left:
                    raise ModelTimeout(f"the model's answer took longer than {whole:g} s") from None
                if first:
                    raise ModelTimeout(f"the model server did not answer within {first_token:g} s") from None
                raise ModelTimeout(f"the model server stopped for more than {between:g} s mid-answer") from None
            if kind == "end":
                return
            if kind == "error":
                raise value
            first = False
            yield value
    finally:
        abandoned.set()


class ModelServerError(ValueError):
    """The settings name no usable model server; the message says which setting to fix."""


def _require(settings: Settings) -> tuple[str, str]:
    if not settings.llm_base_url or not settings.llm_model:
        example = "http://127.0.0.1:11434" if settings.llm_mode == "ollama" else "http://127.0.0.1:8000/v1"
        raise ModelServerError(
            f"WPS_LLM_MODE={settings.llm_mode} needs WPS_LLM_BASE_URL (e.g. {example}) and WPS_LLM_MODEL."
        )
    return settings.llm_base_url.rstrip("/"), settings.llm_model


def build_llm(settings: Settings) -> LLM:
    """The llama-index LLM for ``WPS_LLM_MODE``; raises :class:`ModelServerError` on incomplete settings."""
    base_url, model = _require(settings)
    try:
        if settings.llm_mode == "openai":
            from llama_index.llms.openai_like import OpenAILike

            key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else NO_KEY
            return OpenAILike(
                model=model,
                api_base=base_url,
                api_key=key,
                is_chat_model=True,  # /chat/completions: what every current server serves
                context_window=settings.llm_context_window,
                max_tokens=settings.llm_max_tokens,
                temperature=settings.llm_temperature,
                timeout=client_timeout(settings),
                max_retries=settings.llm_retries,
            )
        if settings.llm_mode == "ollama":
            from llama_index.llms.ollama import Ollama

            return Ollama(
                model=model,
                base_url=base_url,
                context_window=settings.llm_context_window,
                temperature=settings.llm_temperature,
                request_timeout=client_timeout(settings),
                additional_kwargs={"num_predict": settings.llm_max_tokens},
            )
    except ImportError as exc:
        raise ModelServerError(
            f"WPS_LLM_MODE={settings.llm_mode} needs the llm extra: pip install 'wps-communique-assistant[llm]'"
        ) from exc
    raise ModelServerError(f"WPS_LLM_MODE={settings.llm_mode!r} names no model server; use openai or ollama.")


def describe_error(exc: BaseException, timeout: float) -> str:
    """One short phrase for the user's notice, whichever client raised (openai, ollama, httpx)."""
    names = " ".join(c.__name__ for e in (exc, exc.__cause__) if e is not None for c in type(e).__mro__)
    if isinstance(exc, ModelTimeout):
        return str(exc)
    if "Timeout" in names:
        return f"the model server did not answer within {timeout:g} s"
    if "Connect" in names:
        return "the model server could not be reached"
    status = getattr(exc, "status_code", None) or getattr(getattr(exc, "response", None), "status_code", None)
    if status is not None:
        return f"the model server answered with an error (HTTP {status})"
    return "the model server sent a reply that could not be read"


@dataclass(frozen=True)
class Generation:
    """One answer as the model wrote it: how long to its first piece, how many pieces, how long they took."""

    first_token_s: float
    pieces: int  # streamed pieces: a server's stream sends about one token a piece
    writing_s: float  # first piece to last

    @property
    def tokens_per_s(self) -> float | None:
        """Pieces after the first per second of writing: the rate the reader sees the text grow."""
        return (self.pieces - 1) / self.writing_s if self.pieces > 1 and self.writing_s > 0 else None


class SpeedLog:
    """The model's speed over this process's recent answers, kept in memory only (a restart forgets it)."""

    def __init__(self, size: int = SPEED_WINDOW) -> None:
        self._runs: deque[Generation] = deque(maxlen=size)
        self._failure = ""  # why the latest answer got no text from the model; "" after one that did
        self._lock = threading.Lock()

    def record(self, first_token_s: float, pieces: int, writing_s: float) -> None:
        with self._lock:
            self._runs.append(Generation(first_token_s, pieces, writing_s))
            self._failure = ""

    def failed(self, reason: str) -> None:
        """The latest answer got nothing from the model (``reason``: a phrase of :func:`describe_error`)."""
        with self._lock:
            self._failure = reason

    def summary(self) -> dict[str, Any]:
        """``answers`` measured, the median and last time to first token (ms) and tokens/s, and
        ``last_failure`` when the latest answer got nothing from the model."""
        with self._lock:
            runs, failure = list(self._runs), self._failure
        out: dict[str, Any] = {"answers": len(runs)}
        if failure:
            out["last_failure"] = failure
        if not runs:
            return out
        first = [r.first_token_s * 1000 for r in runs]
        rates = [r.tokens_per_s for r in runs if r.tokens_per_s is not None]
        out["first_token_ms"] = {"median": round(statistics.median(first), 1), "last": round(first[-1], 1)}
        if rates:
            out["tokens_per_s"] = {"median": round(statistics.median(rates), 2), "last": round(rates[-1], 2)}
        return out


def server_label(base_url: str) -> str:
    """The server's URL as the health check may show it: no user, password, query or fragment."""
    parts = urlsplit(base_url)
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 address goes back in brackets
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


@dataclass
class ModelServer:
    """The configured server: its llama-index client, a quick look at whether it is up, and how fast
    it has answered."""

    settings: Settings
    llm: LLM
    speed: SpeedLog = field(default_factory=SpeedLog)
    _probe_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _last_probe: tuple[float, dict[str, Any]] | None = field(default=None, repr=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> ModelServer:
        return cls(settings, build_llm(settings))

    @property
    def model(self) -> str:
        return self.settings.llm_model or ""

    def status_line(self) -> str:
        """One line for the page: which model answers, and how fast over the recent answers. From what
        this process measured, with no call to the server (a page load must not wait for it)."""
        line = f"Answers are written by the language model **{self.model}** and checked sentence by sentence."
        speed = self.speed.summary()
        if speed.get("last_failure"):
            return f"{line} Its last answer failed ({speed['last_failure']}): the communiqués are quoted instead."
        if "first_token_ms" not in speed:
            return line
        first = speed["first_token_ms"]["median"] / 1000
        rate = speed.get("tokens_per_s", {}).get("median")
        pace = f", then {rate:.0f} tokens a second" if rate else ""
        many = speed["answers"]
        return f"{line} Recently ({many} answer{'s' if many > 1 else ''}): first words after {first:.1f} s{pace}."

    def _headers(self) -> dict[str, str]:
        if self.settings.llm_mode == "openai" and self.settings.llm_api_key:
            return {"Authorization": f"Bearer {self.settings.llm_api_key.get_secret_value()}"}
        return {}

    def health(self, probe: bool = False) -> dict[str, Any]:
        """``state`` up / model missing / down, the round trip in ms, what went wrong if anything; the
        server (``server``), the models it lists (``served``), the speed of the recent answers
        (``speed``) and, with ``probe``, a few tokens written now (``probe``).

        Lists the server's models (``/models`` on OpenAI-compatible servers, ``/api/tags`` on Ollama):
        cheap, and it also says whether the configured model is there.
        """
        import httpx

        base_url, model = _require(self.settings)
        out: dict[str, Any] = {
            "mode": self.settings.llm_mode,
            "server": server_label(base_url),
            "model": model,
            "speed": self.speed.summary(),
        }
        if self.settings.llm_mode == "openai":
            url, key = f"{base_url}/models", ("data", "id")
        else:
            url, key = f"{base_url}/api/tags", ("models", "name")
        started = time.perf_counter()
        try:
            response = httpx.get(url, headers=self._headers(), timeout=min(PROBE_TIMEOUT_S, self.settings.llm_timeout))
            out["latency_ms"] = round((time.perf_counter() - started) * 1000, 1)
            response.raise_for_status()
            listed = [str(m.get(key[1], "")) for m in response.json().get(key[0], []) if isinstance(m, dict)]
        except (httpx.HTTPError, ValueError, AttributeError) as exc:
            out.setdefault("latency_ms", round((time.perf_counter() - started) * 1000, 1))
            return {**out, "state": "down", "detail": describe_error(exc, PROBE_TIMEOUT_S)}
        out["served"] = listed[:20]  # a gateway may route hundreds; the first ones say enough
        # Ollama lists "llama3.1:latest" for "llama3.1"; some gateways list nothing they route.
        names = set(listed) | {n.removesuffix(":latest") for n in listed}
        if listed and model not in names:
            return {**out, "state": "model missing", "detail": f"the server does not list {model!r}"}
        if probe:
            out["probe"] = self.probe()
        return {**out, "state": "up"}

    def probe(self) -> dict[str, Any]:
        """A few tokens written now from a one-line prompt: time to first token and tokens/s, or why not.

        At most one probe runs at a time, and its result is reused for ``PROBE_REUSE_S`` seconds."""
        with self._probe_lock:
            now = time.monotonic()
            if self._last_probe and now - self._last_probe[0] < PROBE_REUSE_S:
                return {**self._last_probe[1], "age_s": round(now - self._last_probe[0], 1)}
            result = self._probe()
            self._last_probe = (time.monotonic(), result)
            return {**result, "age_s": 0.0}

    def _probe(self) -> dict[str, Any]:
        s = self.settings
        wait = min(s.llm_first_token_timeout, PROBE_WAIT_S)
        between, whole = min(s.llm_timeout, PROBE_WAIT_S), min(s.llm_answer_timeout, 2 * PROBE_WAIT_S)
        started = time.perf_counter()
        first = last = None
        pieces = 0
        try:
            for _ in timed_stream(self._probe_pieces, wait, between, whole):
                last = time.perf_counter()
                first = first or last
                pieces += 1
        except Exception as exc:  # a probe reports; it never raises into the health check
            return {"ok": False, "detail": describe_error(exc, wait)}
        if first is None or last is None:
            return {"ok": False, "detail": "the model wrote nothing"}
        run = Generation(first - started, pieces, last - first)
        rate = run.tokens_per_s
        return {
            "ok": True,
            "first_token_ms": round(run.first_token_s * 1000, 1),
            "tokens": pieces,
            "tokens_per_s": round(rate, 2) if rate is not None else None,
        }

    def _probe_pieces(self) -> Iterator[str]:
        """The pieces of a tiny streamed completion, read straight over HTTP: the answering client has
        no portable way to cap one call's tokens (Ollama's ignores it)."""
        import httpx

        base_url, model = _require(self.settings)
        message = [{"role": "user", "content": "Reply with one word: ready."}]
        if self.settings.llm_mode == "openai":
            url = f"{base_url}/chat/completions"
            body = {"model": model, "messages": message, "stream": True, "max_tokens": PROBE_TOKENS, "temperature": 0}
        else:
            url = f"{base_url}/api/chat"
            body = {"model": model, "messages": message, "stream": True, "options": {"num_predict": PROBE_TOKENS}}
        timeout = client_timeout(self.settings)
        with httpx.stream("POST", url, json=body, headers=self._headers(), timeout=timeout) as response:
            response.raise_for_status()
            for line in response.iter_lines():
                text = _probe_text(line, self.settings.llm_mode)
                if text:
                    yield text


def _probe_text(line: str, mode: str) -> str:
    """The text of one line of a streamed reply (an OpenAI server-sent event, or Ollama's JSON line)."""
    if mode == "openai":
        if not line.startswith("data:") or line.strip() == "data: [DONE]":
            return ""
        choices = json.loads(line[5:]).get("choices") or [{}]
        return str((choices[0].get("delta") or {}).get("content") or "")
    if not line.strip():
        return ""
    return str((json.loads(line).get("message") or {}).get("content") or "")
