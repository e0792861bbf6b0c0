"""Who may frame ``/embed/``, said where the intranet team looks: the start-up log, and the frame itself.

With the default ``WPS_FRAME_ANCESTORS`` ('self') a browser refuses to show ``/embed/`` inside a page
of another origin, and shows only its broken-page icon (the reason is a console CSP error). Browsers
say when a request is for a frame (``Sec-Fetch-Dest: iframe``) and, in the Referer, which origin
asks; when that origin is not allowed, :class:`EmbedRefusalMiddleware` answers with a short page
that may be framed anywhere (it holds nothing but the explanation) and names the setting to change.
"""

from __future__ import annotations

import re
from html import escape
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Receive, Scope, Send

SETTING = "WPS_FRAME_ANCESTORS"


def startup_notice(frame_ancestors: str) -> str:
    """The start-up log's line on framing: who may frame /embed/ now, and how to allow the intranet."""
    return (
        f"Embedding: /embed/ may be framed by {frame_ancestors} ({SETTING}); to embed it in an intranet page, "
        f"set {SETTING}=\"'self' https://intranet.example\" (the intranet page's origin)."
    )


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


SOURCE = re.compile(r"(?:(?P<scheme>[a-z][a-z0-9+.-]*)://)?(?P<host>\*|(?:\*\.)?[^/:*]+)(?::(?P<port>\d+|\*))?(?:/.*)?")
DEFAULT_PORTS = {"http": 80, "https": 443}


def allows(frame_ancestors: str, parent: str, own: str) -> bool:
    """Whether the CSP source list ``frame_ancestors`` lets the page of origin ``parent`` frame the app
    (served at origin ``own``). It errs on "allowed": a source it cannot read counts as allowing, so
    a frame the browser would show is never refused here (at worst the browser refuses it itself)."""
    p = urlsplit(parent)
    for token in frame_ancestors.lower().split():
        if token == "'none'":
            continue
        if token == "'self'":
            if parent == own:
                return True
            continue
        if token.startswith("'"):
            return True  # a keyword this does not know
        if re.fullmatch(r"[a-z][a-z0-9+.-]*:", token):
            if p.scheme == token[:-1]:
                return True
            continue
        match = SOURCE.fullmatch(token)
        if not match:
            return True
        scheme, host, port = match.group("scheme"), match.group("host"), match.group("port")
        if scheme and scheme != p.scheme and not (scheme == "http" and p.scheme == "https"):
            continue
        name = p.hostname or ""
        if host != "*" and name != host and not (host.startswith("*.") and name.endswith(host[1:])):
            continue
        actual = p.port or DEFAULT_PORTS.get(p.scheme)
        if port and port != "*" and int(port) != actual:
            continue
        if not port and actual != DEFAULT_PORTS.get(scheme or p.scheme):
            continue
        return True
    return False


def refusal_page(parent: str, frame_ancestors: str) -> str:
    """What the frame shows instead of a broken-page icon."""
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>WPS Communiqué Assistant: "
        "not allowed in this page</title></head><body style='font-family: system-ui, sans-serif; margin: 1em'>"
        "<h1 style='font-size: 1.2em'>The WPS Communiqué Assistant may not be shown in this page</h1>"
        f"<p>This page ({escape(parent)}) is not among the pages allowed to frame the assistant "
        f"(<code>{escape(frame_ancestors)}</code>).</p>"
        f"<p>Its administrator can allow it: start the assistant with <code>{SETTING}=\"'self' "
        f'{escape(parent)}"</code> (docs/deployment/embedding.md, “Embedding in an intranet page”).</p></body></html>'
    )


class EmbedRefusalMiddleware:
    """A frame of ``/embed/`` asked for by a page the policy refuses gets :func:`refusal_page` (403)."""

    def __init__(self, app: ASGIApp, frame_ancestors: str) -> None:
        self.app = app
        self.frame_ancestors = frame_ancestors

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if path.startswith("/embed") or path.startswith(f"{scope.get('root_path', '')}/embed"):
            headers = Headers(scope=scope)
            parent = _origin(headers.get("referer", ""))
            own = f"{scope.get('scheme', 'http')}://{headers.get('host', '')}".lower()
            if headers.get("sec-fetch-dest") == "iframe" and parent and not allows(self.frame_ancestors, parent, own):
                response = HTMLResponse(
                    refusal_page(parent, self.frame_ancestors),
                    status_code=403,
                    headers={"Content-Security-Policy": "frame-ancestors *", "Cache-Control": "no-store"},
                )
                return await response(scope, receive, send)
        await self.app(scope, receive, send)
