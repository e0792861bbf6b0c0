"""Who may frame /embed/: the CSP source list read as a browser reads it, and what the log says."""

from __future__ import annotations

import pytest

from assistant.web.framing import allows, refusal_page, startup_notice

pytestmark = pytest.mark.unit

OWN = "http://127.0.0.1:7860"


@pytest.mark.parametrize(
    ("policy", "parent", "allowed"),
    [
        ("'self'", OWN, True),
        ("'self'", "https://intranet.example", False),
        ("'self' https://intranet.example", "https://intranet.example", True),
        ("'self' https://intranet.example", "https://other.example", False),
        ("https://*.example", "https://intranet.example", True),
        ("http://127.0.0.1:*", "http://127.0.0.1:5000", True),
        ("http://127.0.0.1:8000", "http://127.0.0.1:5000", False),
        ("https:", "https://anything.example", True),
        ("*", "https://anything.example", True),
        ("'none'", OWN, False),
        ("'strict-dynamic'", "https://intranet.example", True),  # unknown: never refused here
    ],
)
def test_the_frame_ancestors_list_is_read_as_a_browser_reads_it(policy, parent, allowed):
    assert allows(policy, parent, OWN) is allowed


def test_the_start_up_notice_and_the_refusal_page_name_the_setting():
    assert "WPS_FRAME_ANCESTORS" in startup_notice("'self'") and "'self'" in startup_notice("'self'")
    page = refusal_page("https://intranet.example", "'self'")
    assert "WPS_FRAME_ANCESTORS=\"'self' https://intranet.example\"" in page


def test_the_refusal_page_escapes_the_origin():
    assert "<script>" not in refusal_page("https://<script>", "'self'")
