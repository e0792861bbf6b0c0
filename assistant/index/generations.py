"""Index generations: each ingest writes a complete collection, then one pointer switches readers to it.

In Chroma (embedded or a server, so every replica sees the same thing):

* ``{collection}__g{N}`` — generation N: every passage and sentence node of the corpus, written by
  one ingest and never changed once live (readers' caches of it stay valid);
* ``{collection}__meta`` — an empty collection whose metadata is the pointer: which generation is
  ``live``, the ``previous`` one, the one being ``building``, and when each was retired.

A switch is one metadata write, so readers see the old generation or the new one, never a mix, and
a killed ingest leaves the pointer (and the live generation) untouched. Generations older than the
previous one are dropped once they have been retired for ``WPS_GENERATION_GRACE_SECONDS``, so a
reader still answering from one has time to move on.
"""

from __future__ import annotations

import contextlib
import json
import re
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from assistant.index.client import files_replaced
from assistant.index.errors import IndexBuildingError, damaged, missing, replaced
from assistant.settings import Settings

HNSW = {"hnsw": {"space": "cosine"}}
HIGH_WATER = "last-generation"


@dataclass(frozen=True)
class Pointer:
    """The ``{collection}__meta`` record: the live generation and the bookkeeping around it."""

    live: int = 0
    previous: int = 0
    building: int = 0
    building_since: float = 0.0
    writer: str = ""  # host:pid of the ingest that is (or was, if it was killed) building
    switched_at: float = 0.0
    retired: dict[int, float] = field(default_factory=dict)  # generation → when it stopped being live

    @classmethod
    def of(cls, metadata: dict | None) -> Pointer:
        m = metadata or {}
        retired = json.loads(m.get("retired") or "{}")
        return cls(
            live=int(m.get("live", 0)),
            previous=int(m.get("previous", 0)),
            building=int(m.get("building", 0)),
            building_since=float(m.get("building_since", 0.0)),
            writer=str(m.get("writer", "")),
            switched_at=float(m.get("switched_at", 0.0)),
            retired={int(k): float(v) for k, v in retired.items()},
        )

    def metadata(self) -> dict[str, Any]:
        return {
            "live": self.live,
            "previous": self.previous,
            "building": self.building,
            "building_since": self.building_since,
            "writer": self.writer,
            "switched_at": self.switched_at,
            "retired": json.dumps({str(k): v for k, v in self.retired.items()}),
        }


class Generations:
    """The generation collections and the pointer of one index (``WPS_COLLECTION``) in one Chroma."""

    def __init__(self, settings: Settings, client: Any) -> None:
        self.settings = settings
        self.client = client
        self.prefix = f"{settings.collection}__g"
        self.meta_name = f"{settings.collection}__meta"

    def name(self, number: int) -> str:
        return f"{self.prefix}{number}"

    # ------------------------------------------------------------------ reading (readers and writers)
    def pointer(self) -> Pointer:
        from chromadb.errors import NotFoundError

        if files_replaced(self.client, self.settings):
            raise replaced(self.settings)  # the reader drops this client and opens the new files
        try:
            return Pointer.of(self.client.get_collection(self.meta_name, embedding_function=None).metadata)
        except NotFoundError:
            return Pointer()

    def open(self, number: int) -> Any:
        """A generation's collection (never created here: readers must not write)."""
        return self.client.get_collection(self.name(number), embedding_function=None)

    def open_live(self) -> tuple[int, Any]:
        """The live generation and its collection, or a clear error saying why there is none."""
        from chromadb.errors import NotFoundError

        from assistant.index.integrity import damage

        pointer = self.pointer()
        reason = damage(self.settings)  # damage Chroma would read past, or report as a passing fault
        if reason is not None:
            raise damaged(self.settings, reason)
        if pointer.live:
            try:
                return pointer.live, self.open(pointer.live)
            except NotFoundError:
                pass  # dropped by hand: as good as no index
        if pointer.building:
            since = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(pointer.building_since))
            raise IndexBuildingError(
                f"The index is being built (an ingest started at {since} by {pointer.writer}); answers start "
                "when it finishes. If that ingest was stopped, run `wps-assistant ingest` to finish it."
            )
        raise missing(self.settings)

    def numbers(self) -> list[int]:
        """Every generation collection present, whatever state it is in."""
        pattern = re.compile(re.escape(self.prefix) + r"(\d+)$")
        names = [getattr(c, "name", c) for c in self.client.list_collections()]
        return sorted(int(m.group(1)) for n in names if (m := pattern.match(str(n))))

    def signature(self, number: int) -> str:
        """How generation ``number`` was chunked (see ``chunking_signature``): copies need the same."""
        return str((self.open(number).metadata or {}).get("signature", ""))

    # ------------------------------------------------------------------ writing (the one ingest)
    def _write(self, pointer: Pointer) -> None:
        meta = self.client.get_or_create_collection(self.meta_name, embedding_function=None)
        meta.modify(metadata=pointer.metadata())

    @property
    def _high_water(self) -> Path | None:
        """Beside an embedded store: the highest generation number it ever began (kept outside its files)."""
        return None if self.settings.chroma_host else self.settings.index_dir / HIGH_WATER

    def last_number(self) -> int:
        """The highest generation number ever begun here, even in files since set aside as damaged.

        A rebuilt index must not start again at 1: a running reader on generation 1 of the old files
        would take the new generation 1 for the one it has, and never reopen.
        """
        path = self._high_water
        try:
            return int(path.read_text(encoding="utf-8").strip()) if path else 0
        except (OSError, ValueError):
            return 0

    def begin(self, number: int, signature: str, writer: str) -> Any:
        """Create generation ``number`` (empty) and record that it is being built."""
        path = self._high_water
        if path is not None and number > self.last_number():
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".tmp")
            partial.write_text(str(number), encoding="utf-8")
            partial.replace(path)
        collection = self.client.get_or_create_collection(
            self.name(number),
            embedding_function=None,
            configuration=HNSW,
            metadata={"signature": signature, "created": time.time()},
        )
        self._write(replace(self.pointer(), building=number, building_since=time.time(), writer=writer))
        return collection

    def resume(self, number: int, writer: str) -> Any:
        """Take over generation ``number`` left unfinished by an interrupted ingest."""
        self._write(replace(self.pointer(), building=number, building_since=time.time(), writer=writer))
        return self.open(number)

    def switch(self, number: int) -> Pointer:
        """Make ``number`` live in one write; the generation it replaces becomes ``previous``."""
        old = self.pointer()
        retired = dict(old.retired)
        if old.live and old.live != number:
            retired[old.live] = time.time()
        retired.pop(number, None)
        pointer = Pointer(
            live=number,
            previous=old.live if old.live != number else old.previous,
            switched_at=time.time(),
            retired=retired,
        )
        self._write(pointer)
        return pointer

    def abandon(self) -> None:
        """Forget the generation being built (it stays on disk until :meth:`cleanup`)."""
        self._write(replace(self.pointer(), building=0, building_since=0.0, writer=""))

    def drop(self, number: int) -> None:
        from chromadb.errors import NotFoundError

        with contextlib.suppress(NotFoundError):
            self.client.delete_collection(self.name(number))

    def cleanup(self, grace_seconds: float, now: float | None = None) -> list[int]:
        """Drop generations that are neither live, previous nor being built and that readers have left.

        A generation that was live is dropped once retired for ``grace_seconds``, and at once when a
        later-retired one is still within its grace (so at most live, previous and one more are kept);
        one that never went live (a killed ingest's, not resumed) is dropped at once. Returns the
        numbers dropped.
        """
        now = time.time() if now is None else now
        pointer = self.pointer()
        keep = {pointer.live, pointer.previous, pointer.building} - {0}
        # Of the older generations still within their grace, only the last retired is kept: ingests a
        # minute apart would otherwise pile up copies (seven were seen); a reader two switches behind
        # is retried on the live generation (AssistantHost).
        in_grace = [
            n
            for n in self.numbers()
            if n not in keep and n in pointer.retired and now - pointer.retired[n] < grace_seconds
        ]
        keep |= set(sorted(in_grace, key=lambda n: pointer.retired[n])[-1:])
        dropped = []
        for number in self.numbers():
            if number in keep:
                continue
            self.drop(number)
            dropped.append(number)
        if dropped:
            retired = {n: t for n, t in pointer.retired.items() if n not in dropped}
            self._write(replace(self.pointer(), retired=retired))
        return dropped

    def drop_legacy(self) -> bool:
        """Remove the single collection of indexes made before generations (re-embedded into one)."""
        names = {str(getattr(c, "name", c)) for c in self.client.list_collections()}
        if self.settings.collection in names:
            self.client.delete_collection(self.settings.collection)
            return True
        return False
