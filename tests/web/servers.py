"""The real app over HTTP with settings of a test's choosing (a key, a limit…), on the shipped index."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from assistant.feedback import FeedbackStore
from assistant.pipeline.assistant import Assistant
from assistant.web.app import create_app
from tests.live import serve


@contextmanager
def serve_with(shipped: Assistant, feedback_path: Path, **settings) -> Iterator[str]:
    """Base URL of the app over ``shipped`` with ``settings`` changed (SecretStr for secrets)."""
    changed = shipped.settings.model_copy(update=settings)
    with serve(create_app(replace(shipped, settings=changed), FeedbackStore(feedback_path))) as url:
        yield url
