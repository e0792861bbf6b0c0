"""Offline by construction: answering opens no network connection, and the package says so in its env.

A guard replaces ``socket.socket.connect``/``connect_ex``, ``socket.create_connection`` and
``socket.getaddrinfo`` so that any attempt to reach a non-loopback address is recorded and refused.
Loopback and AF_UNIX stay allowed (Chroma and the test server use them legitimately).
"""

from __future__ import annotations

import ipaddress
import json
import os
import socket
import subprocess
import sys

import pytest

from assistant.pipeline.assistant import Assistant
from assistant.pipeline.factory import build_assistant

OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ORT_DISABLE_TELEMETRY": "1",
    "ANONYMIZED_TELEMETRY": "False",
}

QUESTIONS = [
    "What are the four pillars of the WPS agenda?",
    "What does the communiqué recommend on gender-sensitive early warning systems?",
    "What did the communiqué say about Resolution 2250 in Sudan?",  # abstains: exercises that path too
]


class NetworkAttempt(OSError):
    """Raised instead of opening a connection to a non-loopback address."""


def _is_loopback(host: object) -> bool:
    if isinstance(host, bytes):
        host = host.decode()
    if not isinstance(host, str):
        return False
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _allowed(family: int | None, address: object) -> bool:
    if family == getattr(socket, "AF_UNIX", object()) or isinstance(address, str | bytes):
        return True  # a filesystem socket path
    if isinstance(address, tuple) and address:
        return _is_loopback(address[0])
    return False


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Refuse (and record) every outbound connection or name lookup that is not loopback."""
    attempts: list[str] = []
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_create_connection, real_getaddrinfo = socket.create_connection, socket.getaddrinfo

    def refuse(what: str, target: object) -> None:
        attempts.append(f"{what} {target!r}")
        raise NetworkAttempt(f"network access attempted: {what} {target!r}")

    def connect(self, address):
        if not _allowed(self.family, address):
            refuse("connect", address)
        return real_connect(self, address)

    def connect_ex(self, address):
        if not _allowed(self.family, address):
            refuse("connect_ex", address)
        return real_connect_ex(self, address)

    def create_connection(address, *args, **kwargs):
        if not _allowed(None, address):
            refuse("create_connection", address)
        return real_create_connection(address, *args, **kwargs)

    def getaddrinfo(host, *args, **kwargs):
        if host is not None and not _is_loopback(host):
            refuse("getaddrinfo", host)
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return attempts


@pytest.mark.unit
def test_guard_refuses_an_outbound_connection(no_network):
    with pytest.raises(NetworkAttempt):
        socket.create_connection(("192.0.2.1", 443), timeout=0.1)  # TEST-NET-1: never routable
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock, pytest.raises(NetworkAttempt):
        sock.connect(("192.0.2.1", 80))
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock, pytest.raises(NetworkAttempt):
        sock.connect_ex(("192.0.2.1", 80))
    with pytest.raises(NetworkAttempt):
        socket.getaddrinfo("huggingface.co", 443)
    assert len(no_network) == 4


@pytest.mark.unit
def test_guard_lets_loopback_through(no_network):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.create_connection(server.getsockname(), timeout=2):
            pass
    assert no_network == []


@pytest.mark.integration
def test_asking_questions_opens_no_network_connection(shipped: Assistant, no_network):
    answers = [shipped.ask(q) for q in QUESTIONS]
    follow_up = shipped.ask("and what about funding for it?", history=[QUESTIONS[1]])

    assert no_network == []
    assert not answers[0].abstained and answers[0].citations
    assert not answers[1].abstained and answers[1].citations
    assert answers[2].abstained
    assert follow_up.standalone_question != follow_up.question


@pytest.mark.integration
def test_opening_the_store_and_building_the_assistant_opens_no_network_connection(
    shipped: Assistant, corpus_settings, embed_model, no_network
):
    rebuilt, report = build_assistant(corpus_settings, embed_model=embed_model)
    answer = rebuilt.ask(QUESTIONS[0])

    assert no_network == []
    assert report is None
    assert rebuilt.documents() == shipped.documents()
    assert answer.citations


@pytest.mark.integration
def test_building_the_web_app_and_serving_its_page_opens_no_network_connection(shipped: Assistant, no_network):
    from fastapi.testclient import TestClient  # in-memory transport: no socket of its own

    from assistant.web.app import create_app

    with TestClient(create_app(shipped)) as client:
        page = client.get("/")
        answer = client.post("/api/ask", json={"question": QUESTIONS[0]})

    assert no_network == []
    assert page.status_code == 200
    assert answer.status_code == 200 and answer.json()["citations"]


@pytest.mark.unit
def test_offline_environment_is_in_force_in_this_process_after_import_assistant():
    import assistant  # noqa: F401

    expected = OFFLINE_ENV | {"HF_HUB_DISABLE_TELEMETRY": os.environ.get("HF_HUB_DISABLE_TELEMETRY")}
    assert {name: os.environ.get(name) for name in OFFLINE_ENV} == expected
    # Gradio rewrites this one to "True" whenever a Blocks is built with analytics off; both mean "disabled".
    assert os.environ.get("HF_HUB_DISABLE_TELEMETRY") in ("1", "True")


@pytest.mark.unit
def test_importing_assistant_in_a_clean_process_sets_the_offline_environment_and_loads_nothing_heavy():
    env = {k: v for k, v in os.environ.items() if k not in OFFLINE_ENV}
    code = (
        "import json, os, sys; import assistant; "
        f"print(json.dumps({{'env': {{k: os.environ.get(k) for k in {sorted(OFFLINE_ENV)!r}}}, "
        "'heavy': sorted(m for m in ('torch', 'gradio', 'chromadb', 'transformers', 'llama_index') "
        "if m in sys.modules)}))"
    )

    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=True)

    result = json.loads(done.stdout)
    assert result["env"] == OFFLINE_ENV
    assert result["heavy"] == []
