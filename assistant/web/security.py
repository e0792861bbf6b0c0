"""Who may read and who may administer (docs/deployment/security.md).

Reading — the chat at ``/`` and ``/embed/``, ``/api/ask``, the documents — is open unless
``WPS_API_KEY`` or ``WPS_TRUSTED_USER_HEADER`` is set; then a request needs ``Authorization: Bearer
<key>`` or that header (a reverse proxy sets it to the signed-in user, and must remove it from what
clients send). The header is believed only from the proxies named in ``WPS_FORWARDED_ALLOW_IPS``,
judged by the connection's own peer address: :class:`TrustedHeaderMiddleware` answers 401 to any
other sender of it, before anything reads it (the page, the queue, the API, the rate limit).

Administration — the feedback export and anything that writes beyond feedback — needs
``Authorization: Bearer <WPS_ADMIN_TOKEN>`` whatever the reading rule, and is disabled when no admin
token is set. ``/api/health`` and the API's own documentation stay open, for load balancers and tools.

The API's routes take :class:`Guards` as FastAPI dependencies (so the OpenAPI schema shows the
bearer scheme); the Gradio mounts sit behind :class:`GradioAccessMiddleware`, in front of every path
they serve (page, config, queue, assets), which also refuses Gradio's upload routes (the chat takes no
files) and puts Gradio's monitoring routes under the administration rule.
"""

from __future__ import annotations

import hmac
import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant.settings import Settings

API_PREFIX = "/api"
OPEN_API_PATHS = frozenset({"/api/health", "/api/openapi.json", "/api/docs", "/api/docs/oauth2-redirect"})
# Gradio's monitoring dashboard and its summary (on either mount): administration, not reading.
MONITORING = re.compile(r"^(/embed)?(/gradio_api)?/monitoring(/|$)")
# Gradio routes that take files or recordings; the chat has no component that needs them.
REFUSED_GRADIO_ROUTES = ("/gradio_api/upload", "/gradio_api/upload_progress", "/gradio_api/process_recording")


@dataclass(frozen=True)
class Denied:
    status: int
    message: str
    headers: dict[str, str] = field(default_factory=dict)

    def exception(self) -> HTTPException:
        return HTTPException(self.status, detail=self.message, headers=self.headers or None)

    def response(self) -> JSONResponse:
        return JSONResponse({"detail": self.message}, status_code=self.status, headers=self.headers or None)


def bearer_token(headers: Mapping[str, str]) -> str | None:
    """The token of ``Authorization: Bearer <token>``, or None."""
    scheme, _, token = (headers.get("authorization") or "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def route_path(scope: Scope) -> str:
    """The path the app routes on: without the reverse proxy's prefix (``root_path``)."""
    path, root = scope.get("path", ""), scope.get("root_path", "")
    return path[len(root) :] or "/" if root and path.startswith(root) else path


def _same(given: str | None, secret: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode("utf-8", "replace"), secret.encode("utf-8"))


class TrustedProxies:
    """The addresses of ``WPS_FORWARDED_ALLOW_IPS``: comma-separated IPs, networks (``10.0.0.0/8``), other
    literals (a unix socket path), or ``*`` for every peer."""

    def __init__(self, spec: str) -> None:
        items = [item.strip() for item in spec.split(",") if item.strip()]
        self.everyone = "*" in items
        self.networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        self.literals: set[str] = set()
        for item in items:
            try:
                self.networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                self.literals.add(item)

    def __contains__(self, host: object) -> bool:
        if self.everyone:
            return True
        if not isinstance(host, str) or not host:
            return False
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return host in self.literals
        return any(address in network for network in self.networks)


class Access:
    """The reading and administration rules of one app, from its settings."""

    def __init__(self, settings: Settings) -> None:
        self.api_key = settings.api_key.get_secret_value() if settings.api_key else None
        self.admin_token = settings.admin_token.get_secret_value() if settings.admin_token else None
        self.user_header = (settings.trusted_user_header or "").strip().lower() or None
        self.proxies = TrustedProxies(settings.forwarded_allow_ips)

    def spoofed(self, headers: Mapping[str, str], peer: str | None) -> Denied | None:
        """401 when the trusted user header comes from a peer that is not one of the named proxies."""
        if self.user_header is None or self.user_header not in headers or peer in self.proxies:
            return None
        return Denied(
            401,
            f"The {self.user_header} header is accepted only from the proxy named in WPS_FORWARDED_ALLOW_IPS.",
            {"WWW-Authenticate": "Bearer"},
        )

    @property
    def reading_is_open(self) -> bool:
        return self.api_key is None and self.user_header is None

    def user(self, headers: Mapping[str, str]) -> str | None:
        """The signed-in user the trusted proxy named, when that header is configured and present."""
        return (headers.get(self.user_header) or "").strip() or None if self.user_header else None

    def reader(self, headers: Mapping[str, str]) -> Denied | None:
        """None when the request may read; else why not."""
        if self.reading_is_open or self.user(headers):
            return None
        token = bearer_token(headers)
        if (self.api_key and _same(token, self.api_key)) or (self.admin_token and _same(token, self.admin_token)):
            return None
        ways = [
            w
            for w, on in (("an API key (Authorization: Bearer …)", self.api_key), ("the sign-in", self.user_header))
            if on
        ]
        reason = "The API key is not valid." if token else f"This service needs {' or '.join(ways)}."
        return Denied(401, reason, {"WWW-Authenticate": "Bearer"})

    def admin(self, headers: Mapping[str, str]) -> Denied | None:
        """None for the admin token; administration is disabled when none is configured."""
        if self.admin_token is None:
            return Denied(403, "Administration is disabled on this server (no WPS_ADMIN_TOKEN is set).")
        token = bearer_token(headers)
        if _same(token, self.admin_token):
            return None
        if token is None:
            return Denied(401, "This needs the admin token (Authorization: Bearer …).", {"WWW-Authenticate": "Bearer"})
        return Denied(403, "This needs the admin token; the credentials given do not allow administration.")

    def client(self, headers: Mapping[str, str], host: str | None) -> str:
        """Who a request comes from, for rate limits: the signed-in user, else the client address."""
        user = self.user(headers)
        return f"user:{user}" if user else f"ip:{host or 'unknown'}"


# Declared so the OpenAPI schema shows the bearer scheme; the rules themselves read the headers.
BEARER = HTTPBearer(auto_error=False, description="WPS_API_KEY for reading, WPS_ADMIN_TOKEN for administration")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)]


class Guards:
    """FastAPI dependencies for the API's routes: ``Depends(guards.reader)``, ``Depends(guards.admin)``.

    Reading routes declare the bearer scheme only when reading is closed, so the OpenAPI schema says
    what a client really has to send.
    """

    def __init__(self, access: Access) -> None:
        self.access = access

        async def closed_reader(request: Request, _: Credentials) -> None:
            denied = access.reader(request.headers)
            if denied:
                raise denied.exception()

        async def open_reader() -> None:
            return None

        async def admin(request: Request, _: Credentials) -> None:
            denied = access.admin(request.headers)
            if denied:
                raise denied.exception()

        self.reader = open_reader if access.reading_is_open else closed_reader
        self.admin = admin


class GradioAccessMiddleware:
    """Pure ASGI: the reading rule on every path outside ``/api``, and no uploads."""

    def __init__(self, app: ASGIApp, access: Access) -> None:
        self.app = app
        self.access = access

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        path = route_path(scope)
        if path == API_PREFIX or path.startswith(API_PREFIX + "/"):
            return await self.app(scope, receive, send)  # the API's own dependencies decide
        if scope["type"] == "http" and path.rstrip("/").endswith(REFUSED_GRADIO_ROUTES):
            denied = Denied(403, "Uploads are disabled: the assistant takes questions, not files.")
            return await denied.response()(scope, receive, send)
        if MONITORING.match(path):
            denied = self.access.admin(Headers(scope=scope))  # Gradio's dashboard: every user's events
        else:
            denied = self.access.reader(Headers(scope=scope))
        if denied is None:
            return await self.app(scope, receive, send)
        if scope["type"] == "websocket":
            return await send({"type": "websocket.close", "code": 1008})
        return await denied.response()(scope, receive, send)


class TrustedHeaderMiddleware:
    """Pure ASGI, in front of everything: the trusted user header only from the named proxies.

    It reads the connection's peer address as the server gives it, so it must stand before anything
    that rewrites ``scope["client"]`` from ``X-Forwarded-For`` (``serve`` turns uvicorn's own rewriting
    off and the app does it behind this check).
    """

    def __init__(self, app: ASGIApp, access: Access) -> None:
        self.app = app
        self.access = access

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or self.access.user_header is None:
            return await self.app(scope, receive, send)
        client = scope.get("client")
        denied = self.access.spoofed(Headers(scope=scope), client[0] if client else None)
        if denied is None:
            return await self.app(scope, receive, send)
        if scope["type"] == "websocket":
            return await send({"type": "websocket.close", "code": 1008})
        return await denied.response()(scope, receive, send)
