"""The settings object is the one place defaults live (the settings page is written from it: tests/test_docs.py)."""

from __future__ import annotations

import pytest

from assistant.settings import Settings

pytestmark = pytest.mark.unit


def test_settings_are_read_from_wps_environment_variables(monkeypatch):
    monkeypatch.setenv("WPS_TOP_K", "7")
    monkeypatch.setenv("WPS_ALLOWED_ORIGINS", '["https://intranet.example"]')
    settings = Settings()
    assert settings.top_k == 7 and settings.allowed_origins == ["https://intranet.example"]
