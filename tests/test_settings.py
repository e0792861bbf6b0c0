"""The settings object is the one place defaults live, and the README documents every one of them."""

from __future__ import annotations

import json
import re

import pytest

from assistant.settings import Settings
from tests.conftest import ROOT

pytestmark = pytest.mark.unit


def test_every_setting_is_documented_in_the_readme_with_its_default():
    rows = dict(re.findall(r"^\| `(WPS_[A-Z_0-9]+)` \| `([^`]*)` \|", (ROOT / "README.md").read_text(), re.M))
    for name, field in Settings.model_fields.items():
        env = f"WPS_{name.upper()}"
        assert env in rows, f"{env} is missing from the README settings table"
        default = field.get_default(call_default_factory=True)
        # List settings are written as the JSON their environment variable takes.
        shown = (
            "(unset)"
            if default is None
            else "(empty)"
            if default == ""
            else json.dumps(default)
            if isinstance(default, list | dict)
            else str(default)
        )
        assert rows[env] == shown, f"{env}: README says {rows[env]!r}, the default is {shown!r}"


def test_settings_are_read_from_wps_environment_variables(monkeypatch):
    monkeypatch.setenv("WPS_TOP_K", "7")
    monkeypatch.setenv("WPS_ALLOWED_ORIGINS", '["https://intranet.example"]')
    settings = Settings()
    assert settings.top_k == 7 and settings.allowed_origins == ["https://intranet.example"]
