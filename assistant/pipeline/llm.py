"""The organisation's language model server, as a llama-index LLM: built from the settings, probed for health.

``WPS_LLM_MODE=openai`` is any OpenAI-compatible endpoint (vLLM, llama.cpp's server, LiteLLM, a
gateway) through ``llama-index-llms-openai-like``; ``ollama`` is an Ollama server through
``llama-index-llms-ollama``. Both are optional extras (``pip install .[llm]``), imported only here and
only when the mode asks for them, so the default extractive path never loads them. Building a client
makes no call: the context window is stated (Ollama would otherwise ask the server for it).
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from assistant.settings import Settings

if TYPE_CHECKING:
    from llama_index.core.llms import LLM

# An OpenAI-compatible server on an intranet often needs no key, but the client insists on one.
NO_KEY = "not-needed"
# Health is a quick look, not a model call: it must answer fast even when the server hangs.
PROBE_TIMEOUT_S = 3.0


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


@dataclass
class ModelServer:
    """The configured server: its llama-index client, and a quick look at whether it is up."""

    settings: Settings
    llm: LLM

    @classmethod
    def from_settings(cls, settings: Settings) -> ModelServer:
        return cls(settings, build_llm(settings))

    @property
    def model(self) -> str:
        return self.settings.llm_model or ""

    def health(self) -> dict[str, Any]:
        """``state`` up / model missing / down, the round trip in ms, and what went wrong if anything.

        Lists the server's models (``/models`` on OpenAI-compatible servers, ``/api/tags`` on Ollama):
        cheap, and it also says whether the configured model is there.
        """
        import httpx

        base_url, model = _require(self.settings)
        out: dict[str, Any] = {"mode": self.settings.llm_mode, "model": model}
        headers = {}
        if self.settings.llm_mode == "openai":
            url, key = f"{base_url}/models", ("data", "id")
            if self.settings.llm_api_key:
                headers["Authorization"] = f"Bearer {self.settings.llm_api_key.get_secret_value()}"
        else:
            url, key = f"{base_url}/api/tags", ("models", "name")
        started = time.perf_counter()
        try:
            response = httpx.get(url, headers=headers, timeout=min(PROBE_TIMEOUT_S, self.settings.llm_timeout))
            out["latency_ms"] = round((time.perf_counter() - started) * 1000, 1)
            response.raise_for_status()
            listed = {str(m.get(key[1], "")) for m in response.json().get(key[0], []) if isinstance(m, dict)}
        except (httpx.HTTPError, ValueError, AttributeError) as exc:
            out.setdefault("latency_ms", round((time.perf_counter() - started) * 1000, 1))
            return {**out, "state": "down", "detail": describe_error(exc, PROBE_TIMEOUT_S)}
        # Ollama lists "llama3.1:latest" for "llama3.1"; some gateways list nothing they route.
        names = listed | {n.removesuffix(":latest") for n in listed}
        if listed and model not in names:
            return {**out, "state": "model missing", "detail": f"the server does not list {model!r}"}
        return {**out, "state": "up"}
