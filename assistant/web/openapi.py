"""The JSON API's OpenAPI schema without a model or an index: for the documentation site.

The schema is the one the app serves at ``/api/openapi.json``, built from the same :func:`build_api`
over a host that is never started, so nothing is loaded or opened and no file is written.
"""

from __future__ import annotations

from typing import Any

from assistant.feedback import FeedbackStore
from assistant.pipeline.host import AssistantHost
from assistant.settings import Settings
from assistant.web.api import build_api


def api_schema(settings: Settings | None = None) -> dict[str, Any]:
    """The OpenAPI schema of the API mounted at ``/api`` (its paths are relative to that server URL)."""
    settings = settings or Settings()
    host = AssistantHost(settings)  # not started: no index opened, no model loaded
    schema = build_api(host, FeedbackStore(settings.feedback_file)).openapi()
    return {**schema, "servers": [{"url": f"{settings.root_path}/api"}]}
