"""A live server for tests: an ASGI app served by uvicorn in a background thread on a free loopback port.

Used by test_web.py (HTTP and gradio_client) and test_ui.py (a real browser).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn


@contextmanager
def serve(app, startup_timeout: float = 30, root_path: str = "") -> Iterator[str]:
    """Serve an ASGI app with uvicorn in a background thread; port 0 lets the OS pick a free one.

    Yields the base URL (``http://127.0.0.1:<port>``, no trailing slash); stops the server on exit.
    """
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=0,
        log_level="warning",
        timeout_graceful_shutdown=1,
        root_path=root_path,
        proxy_headers=False,  # as ``serve``: the app sees the real peer and reads X-Forwarded-For itself
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + startup_timeout
    while not server.started:
        assert thread.is_alive(), "uvicorn exited during startup"
        assert time.monotonic() < deadline, f"uvicorn did not start within {startup_timeout:.0f} s"
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
    assert not thread.is_alive(), "uvicorn did not shut down"
