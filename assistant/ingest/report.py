"""What one ingest run did, for the command line, the server log and the tests."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field


@dataclass
class IngestReport:
    """By document id, except ``failed``, ``duplicates`` and ``warnings``, which name files."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    resumed: list[str] = field(default_factory=list)  # written by an interrupted ingest, kept as they were
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file name, why it was not indexed)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (file name, the file indexed instead)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (file name, what its reader warned)
    nodes_embedded: int = 0
    nodes_copied: int = 0  # unchanged documents carried into the new generation without re-embedding
    generation: int = 0  # live when the run ended
    switched: bool = False  # this run made a new generation live
    rebuilt: bool = False
    dropped: list[int] = field(default_factory=list)  # old generations removed
    seconds: float = 0.0
    # Where the time went (parse, chunk, model load, minilm, e5, e5 wait, store): e5 runs on its own
    # thread, so its seconds overlap the others and "e5 wait" is what MiniLM's thread waited for it.
    stage_seconds: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add_time(self, stage: str, seconds: float) -> None:
        with self._lock:  # e5's threads add theirs too
            self.stage_seconds[stage] = self.stage_seconds.get(stage, 0.0) + seconds

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def summary(self) -> str:
        lines = [
            f"{len(self.added)} added, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
            f"{len(self.removed)} removed; {self.nodes_embedded} passages and sentences embedded "
            f"in {self.seconds:.1f} s"
        ]
        if self.switched:
            how = "rebuilt from scratch" if self.rebuilt else f"{self.nodes_copied} nodes carried over unchanged"
            lines.append(f"index generation {self.generation} is live ({how})")
        if self.resumed:
            lines.append(f"finished an interrupted ingest: {len(self.resumed)} document(s) kept from it")
        lines += [f"  skipped {name}: {reason}" for name, reason in self.failed]
        lines += [
            f"  skipped {name}: the same text as {kept}, indexed once as {kept}" for name, kept in self.duplicates
        ]
        lines += [f"  warning while reading {name}: {message}" for name, message in self.warnings]
        return "\n".join(lines)
