"""One process: the chat at ``/``, the same chat without chrome at ``/embed``, the JSON API at ``/api``."""

from __future__ import annotations

import gradio as gr
from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse

from assistant.feedback import FeedbackStore
from assistant.pipeline.assistant import Assistant
from assistant.pipeline.factory import build_assistant
from assistant.settings import Settings
from assistant.web.api import build_api
from assistant.web.ui import CSS, EMBED_CSS, build_ui, theme


def create_app(assistant: Assistant, feedback: FeedbackStore | None = None) -> FastAPI:
    settings = assistant.settings
    feedback = feedback or FeedbackStore(settings.feedback_path)
    app = FastAPI(title="WPS Communiqué Assistant", docs_url=None, redoc_url=None, openapi_url=None)

    @app.middleware("http")
    async def framing_headers(request: Request, call_next):
        # Who may frame the app is the intranet's choice (CSP frame-ancestors); X-Frame-Options would
        # override nothing useful and block legitimate embedding, so it is never sent.
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = f"frame-ancestors {settings.frame_ancestors}"
        if "x-frame-options" in response.headers:
            del response.headers["x-frame-options"]
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response

    app.mount("/api", build_api(assistant, feedback))

    @app.get("/embed", include_in_schema=False)
    async def embed_slash() -> RedirectResponse:
        return RedirectResponse(url=f"{settings.root_path}/embed/")

    # The URL prefix reaches Gradio through the ASGI scope (uvicorn's root_path, see ``serve``): set on
    # the mounts themselves it would also be stripped from paths that never carried it.
    common = {"theme": theme(), "footer_links": ["api"]}
    embed = build_ui(assistant, feedback, embed=True).queue(default_concurrency_limit=settings.concurrency_limit)
    app = gr.mount_gradio_app(app, embed, path="/embed", css=EMBED_CSS, **common)
    chat = build_ui(assistant, feedback).queue(default_concurrency_limit=settings.concurrency_limit)
    return gr.mount_gradio_app(app, chat, path="/", css=CSS, **common)


def serve(settings: Settings) -> None:
    """Bring the index up to date (if enabled), then serve until interrupted."""
    import uvicorn

    assistant, report = build_assistant(settings, ingest=settings.ingest_on_start)
    if report is not None:
        print(report.summary(), flush=True)
    print(f"WPS Communiqué Assistant on http://{settings.host}:{settings.port}{settings.root_path}/", flush=True)
    uvicorn.run(
        create_app(assistant),
        host=settings.host,
        port=settings.port,
        root_path=settings.root_path,
        log_level="warning",
    )
