"""``AssistantHost``: the assistant a running app answers with, following the index's generations.

The web app asks the host for the current :class:`Assistant` on every request. A background thread
reads the pointer (one small Chroma read, every ``WPS_INDEX_CHECK_SECONDS``); when another generation
has gone live it builds a new assistant over it (store view, BM25, catalogue) beside the old one and
swaps the reference in one assignment. Questions already running finish on the old assistant, whose
generation outlives the switch by ``WPS_GENERATION_GRACE_SECONDS``; new ones get the new assistant.
A store failure during a question makes the host look again at once and retry once on the new
assistant if there is one; otherwise the question gets the store's state as a clear error.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from assistant.index.client import forget_client, heartbeat, make_client
from assistant.index.e5 import E5Model
from assistant.index.embeddings import MiniLMEmbedding
from assistant.index.errors import (
    IndexBuildingError,
    IndexDamagedError,
    IndexMissingError,
    IndexUnavailableError,
    StoreUnreachableError,
    failure_to_handle,
    store_failure,
)
from assistant.index.generations import Generations
from assistant.index.store import Store
from assistant.pipeline.assistant import Assistant
from assistant.pipeline.plan.question import QuestionError
from assistant.schema import Answer, Filters, SentenceCheck
from assistant.settings import Settings

log = logging.getLogger(__name__)

_ERRORS: dict[str, type[IndexUnavailableError]] = {
    "building": IndexBuildingError,
    "missing": IndexMissingError,
    "damaged": IndexDamagedError,
    "unreachable": StoreUnreachableError,
}
Build = Callable[[Settings, MiniLMEmbedding, Store, "E5Model | None"], Assistant]


def _build(settings: Settings, embed_model: MiniLMEmbedding, store: Store, e5: E5Model | None) -> Assistant:
    from assistant.pipeline.factory import build_assistant

    return build_assistant(settings, embed_model=embed_model, store=store, e5=e5)[0]


@dataclass(frozen=True)
class IndexStatus:
    """What /api/health and the page say about the index."""

    state: str  # ready, building, missing, damaged, unreachable, unavailable
    message: str = ""
    generation: int = 0

    @property
    def ready(self) -> bool:
        return self.state == "ready"


class AssistantHost:
    """Holds the current assistant; ``follow=False`` serves a fixed one (tests, benchmarks)."""

    def __init__(
        self,
        settings: Settings,
        embed_model: MiniLMEmbedding | None = None,
        assistant: Assistant | None = None,
        follow: bool = True,
        build: Build = _build,
    ) -> None:
        self.settings = settings
        self.embed_model = embed_model
        self.follow = follow
        self._build = build
        self._e5: E5Model | bool | None = False  # False: not loaded yet; None: off or unavailable
        self._assistant = assistant
        self._status = (
            IndexStatus("ready", generation=assistant.store.generation)
            if assistant
            else IndexStatus("unavailable", "The index has not been opened yet.")
        )
        self._client: Any = None
        self._local_ingest = ""  # message while this process's own ingest builds the first generation
        self._lock = threading.Lock()  # one check at a time
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @classmethod
    def fixed(cls, assistant: Assistant) -> AssistantHost:
        return cls(assistant.settings, assistant.embed_model, assistant=assistant, follow=False)

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> AssistantHost:
        """Open the live generation now (or record why not), then follow the pointer in the background."""
        if self.follow:
            self.check()
            if self._thread is None:
                self._thread = threading.Thread(target=self._poll, name="index-follower", daemon=True)
                self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _poll(self) -> None:
        while not self._stop.wait(self.settings.index_check_seconds):
            self.check()

    # ------------------------------------------------------------------ what callers use
    def current(self) -> Assistant:
        """The assistant to answer with now, or :class:`IndexUnavailableError` saying why there is none."""
        assistant = self._assistant
        if assistant is None:
            raise self._error()
        return assistant

    def ask(self, question: str, history: Sequence[str] | None = None, filters: Filters | None = None) -> Answer:
        for event in self.ask_stream(question, history, filters):
            if isinstance(event, Answer):
                return event
        raise RuntimeError("the question path ended without an answer")  # ask_stream always ends with one

    def ask_stream(
        self, question: str, history: Sequence[str] | None = None, filters: Filters | None = None
    ) -> Iterator[str | SentenceCheck | Answer]:
        """:meth:`Assistant.ask_stream` on the current assistant (text as a model writes, then the answer).

        A store failure before anything was sent is retried once, on the generation live now (the old
        one may have been dropped under a reader that lagged behind) or on the same one after a
        transient failure; after text was sent, or a second time, the question gets the store's state.
        """
        assistant = self.current()
        sent = False
        try:
            for event in assistant.ask_stream(question, history, filters):
                sent = True
                yield event
            return
        except BaseException as exc:
            if not failure_to_handle(exc):
                raise
            failure = self._store_failure(exc)
            if sent:
                raise failure from exc
            log.warning("question failed on the store (%s); checking the index", failure)
            newer = self.check() if self.follow else assistant
            if newer is None or not self._status.ready:
                raise self._error() from exc
        try:
            yield from newer.ask_stream(question, history, filters)
        except BaseException as again:
            if not failure_to_handle(again):
                raise
            raise self._store_failure(again) from again

    def _store_failure(self, exc: BaseException) -> IndexUnavailableError:
        """The store's state behind ``exc``; anything else (a refused question, a bug) is raised as it is."""
        failure = None if isinstance(exc, QuestionError) else store_failure(exc, self.settings)
        if failure is None:
            raise exc
        return failure

    def documents(self) -> list[dict]:
        return self.current().documents()

    def paragraphs(self, doc_id: str) -> list[dict]:
        return self.current().paragraphs(doc_id)

    def status(self) -> IndexStatus:
        return self._status

    def probe(self) -> IndexStatus:
        """The status, after asking the store whether it answers (for /api/health)."""
        if self.follow:
            try:
                heartbeat(self._connect(), self.settings)
            except Exception as exc:
                self._fail(exc)
            else:
                if self._status.state == "unreachable":
                    self.check()
        return self._status

    # ------------------------------------------------------------------ this process's own ingest
    def ingest_started(self, message: str) -> None:
        self._local_ingest = message
        if self._assistant is None:
            self._status = IndexStatus("building", message)

    def ingest_finished(self) -> None:
        self._local_ingest = ""
        self.check()

    # ------------------------------------------------------------------ following the pointer
    def check(self) -> Assistant | None:
        """Read the pointer; build and swap in a newer generation's assistant. Returns the current one."""
        with self._lock:
            try:
                client = self._connect()
                generations = Generations(self.settings, client)
                live = generations.pointer().live
                current = self._assistant
                if current is not None and live == current.store.generation:
                    self._status = IndexStatus("ready", generation=live)
                    return current
                number, collection = Generations(self.settings, self._generation_client()).open_live()
                store = Store(self.settings, collection, number)
                fresh = self._build(self.settings, self._model(), store, self.e5_model())
                self._assistant = fresh  # the swap: requests from now on use the new generation
                self._status = IndexStatus("ready", generation=number)
                log.info("now answering from index generation %d", number)
            except BaseException as exc:
                if not failure_to_handle(exc):
                    raise
                self._fail(exc)
            return self._assistant

    def _fail(self, exc: BaseException) -> None:
        failure = store_failure(exc, self.settings)
        if failure is None:
            log.exception("checking the index failed")
            failure = IndexUnavailableError(f"The index could not be opened ({type(exc).__name__}: {exc}).")
        if failure.state in ("damaged", "unreachable"):
            self._client = None  # reconnect next time (a rebuilt store is new files)
            forget_client(self.settings)
        elif self._assistant is not None:
            # The store answers but the new generation could not be opened or built (or a read was
            # refused in passing): keep answering from the current one and try again next time.
            log.warning("staying on index generation %d: %s", self._assistant.store.generation, failure)
            return
        if self._local_ingest and self._assistant is None and failure.state in ("missing", "building"):
            failure = IndexBuildingError(self._local_ingest)
        self._status = IndexStatus(failure.state, str(failure), self._status.generation)

    def _error(self) -> IndexUnavailableError:
        status = self._status
        return _ERRORS.get(status.state, IndexUnavailableError)(status.message)

    def _connect(self) -> Any:
        if self._client is None:
            self._client = make_client(self.settings, create=False)
        return self._client

    def _generation_client(self) -> Any:
        """The Chroma client a new generation's assistant reads through.

        Embedded, each generation gets a client (a chromadb ``System``) of its own: chromadb keeps the
        HNSW index and open files of every collection a ``System`` ever read, dropped ones included
        (measured: 3.6 MB and five file descriptors a switch, without end); this way they go with the
        old assistant. A server client holds no such cache.
        """
        if self.settings.chroma_host:
            return self._connect()
        forget_client(self.settings)
        return make_client(self.settings, create=False)

    def _model(self) -> MiniLMEmbedding:
        if self.embed_model is None:
            self.embed_model = MiniLMEmbedding.from_settings(self.settings)
        return self.embed_model

    def e5_model(self) -> E5Model | None:
        """The e5 model, loaded once for every generation (None when off or unavailable here)."""
        if self._e5 is False:
            self._e5 = E5Model.from_settings(self.settings)
        return self._e5 or None

    def wait_until(self, ready: Callable[[IndexStatus], bool], timeout: float) -> IndexStatus:
        """Check until ``ready(status)`` or ``timeout`` seconds (for start-up scripts and tests)."""
        deadline = time.monotonic() + timeout
        while not ready(self.status()) and time.monotonic() < deadline:
            time.sleep(0.2)
            self.check()
        return self.status()


class LiveViews:
    """The live generation's views (``Assistant.views``), looked up on every use.

    The web tabs and the views API hold this instead of one assistant's views, so after a switch they
    answer from the new generation; while the index cannot answer, a use raises the host's
    :class:`IndexUnavailableError` (a 503 in the API, a message in the page).
    """

    def __init__(self, host: AssistantHost) -> None:
        self._host = host

    def __getattr__(self, name: str) -> Any:
        return getattr(self._host.current().views, name)
