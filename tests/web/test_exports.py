"""Exports a spreadsheet opens: a corpus whose paragraphs start like formulas, over real HTTP.

OWASP "CSV Injection": a cell starting with = + - @ (or a tab or carriage return) is run as a formula
by Excel and LibreOffice; every such cell of the commitments export gets a leading apostrophe. The file
starts with a UTF-8 byte order mark, without which Excel reads "é" and "’" in the local code page.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from html import unescape

import httpx
import pytest

from assistant.feedback import FeedbackStore
from assistant.settings import Settings
from assistant.views.commitments import FORMULA_STARTS
from assistant.web.app import create_app
from tests.conftest import ROOT
from tests.live import serve

pytestmark = pytest.mark.integration

HOSTILE = ROOT / "tests" / "data" / "hostile"
ATTACKS = ("=HYPERLINK(", "+cmd|", "@SUM(", "-2+3+cmd|")


@pytest.fixture(scope="module")
def http(tmp_path_factory, embed_model) -> Iterator[httpx.Client]:
    from assistant.pipeline.factory import build_assistant

    settings = Settings(corpus_dir=HOSTILE, index_dir=tmp_path_factory.mktemp("hostile") / "index", e5="off")
    built, _ = build_assistant(settings, ingest=True, embed_model=embed_model, e5=False)
    feedback = FeedbackStore(tmp_path_factory.mktemp("hostile-feedback") / "feedback.jsonl")
    with serve(create_app(built, feedback)) as url, httpx.Client(base_url=url, timeout=60) as client:
        yield client


def cells(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "no UTF-8 byte order mark"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def assert_no_formula(rows: list[dict[str, str]]) -> None:
    assert rows
    for row in rows:
        for column, value in row.items():
            assert not value.startswith(FORMULA_STARTS), f"{column}: {value[:40]!r} would run as a formula"


def test_the_commitments_csv_neutralises_every_formula_and_starts_with_a_bom(http):
    response = http.get("/api/commitments", params={"format": "csv"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = cells(response.content)
    assert_no_formula(rows)
    sentences = [r["sentence"] for r in rows]
    for attack in ATTACKS:  # kept, as text: the apostrophe is all that is added
        assert any(s == "'" + s[1:] and s[1:].startswith(attack) for s in sentences), attack
    assert any("women’s" in s for s in sentences)


def test_the_pages_csv_download_is_neutralised_too(http):
    config = http.get("/config").text
    link = next(unescape(h) for h in re.findall(r'href=\\"([^"\\]*format=csv)\\"', config))
    response = http.get(link)
    assert response.status_code == 200
    assert_no_formula(cells(response.content))
