"""One process serves the chat at ``/`` and the JSON API under ``/api``."""

from __future__ import annotations

import logging

import gradio as gr
from fastapi import FastAPI

from assistant.api import build_router
from assistant.service import Assistant, build_assistant
from assistant.settings import Settings
from assistant.ui import build_ui, theme

log = logging.getLogger(__name__)


def create_app(assistant: Assistant) -> FastAPI:
    app = FastAPI(title="WPS Communiqué Assistant", version="0.1.0")
    app.include_router(build_router(assistant))
    demo = build_ui(assistant)
    demo.queue(default_concurrency_limit=assistant.settings.concurrency_limit)
    return gr.mount_gradio_app(app, demo, path="/", footer_links=["api"], theme=theme())


def serve(settings: Settings) -> None:
    """Bring the index up to date (if enabled), then serve until interrupted."""
    import uvicorn

    assistant, report = build_assistant(settings, ingest=settings.ingest_on_start)
    if report is not None:
        print(report.summary(), flush=True)
    print(f"WPS Communiqué Assistant on http://{settings.host}:{settings.port}/", flush=True)
    uvicorn.run(create_app(assistant), host=settings.host, port=settings.port, log_level="warning")
