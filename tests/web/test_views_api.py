"""The views' JSON API over real HTTP (uvicorn serving the app over the four test documents)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import httpx
import pytest
from docx import Document

from tests.conftest import CITATION_KEYS

pytestmark = pytest.mark.integration

ROME = "2026-06-10_rome_eighth-capital-level-meeting_joint-communique"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(scope="module")
def http(multi_app: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=multi_app + "/api", timeout=60) as client:
        yield client


def assert_citation(c: dict) -> None:
    assert c.keys() >= CITATION_KEYS
    assert c["text"][c["quote_start"] :].startswith(c["quote"])


def test_every_view_is_in_the_openapi_schema_and_cites_with_the_ask_citation(http):
    spec = http.get("/openapi.json").json()
    for path in ("/commitments", "/topic", "/documents/{doc_id}/guide", "/glossary", "/quiz", "/briefing", "/tour"):
        assert path in spec["paths"], path
    schemas = spec["components"]["schemas"]
    for model in ("Commitment", "TopicMeeting", "GuideSection", "GlossaryEntry", "QuizQuestion", "NoteItem"):
        assert "Citation" in json.dumps(schemas[model]), model


def test_commitments_filter_and_sort_by_meeting_date(http):
    rows = http.get("/commitments", params=[("type", "call"), ("type", "encourage"), ("meeting", "Rome 2026")]).json()
    assert [(r["type"], r["paragraph"]) for r in rows] == [("call", 20), ("call", 21), ("call", 21)]
    everything = http.get("/commitments").json()
    assert [r["date"] for r in everything] == sorted(r["date"] for r in everything)
    for r in everything:
        assert_citation(r["citation"])
    assert http.get("/commitments", params={"addressee": "UN Women"}).json()[0]["meeting"] == "New York 2019"


def test_commitments_export_as_csv_and_json_lines(http):
    response = http.get("/commitments", params={"words": "ODA", "format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {r["meeting"] for r in rows} == {"Santiago 2022", "Nairobi 2024", "Rome 2026"}
    lines = http.get("/commitments", params={"words": "ODA", "format": "jsonl"}).text.splitlines()
    assert [json.loads(line)["sentence"] for line in lines] == [r["sentence"] for r in rows]


def test_a_bad_filter_or_topic_gets_a_clear_message(http):
    assert http.get("/commitments", params={"type": "promise"}).status_code == 422
    missing = http.get("/topic")
    assert missing.status_code == 400 and "topic" in missing.json()["detail"]
    assert http.get("/topic", params={"commitment": "nope"}).status_code == 404
    assert http.get("/documents/nope/guide").status_code == 404
    assert http.get("/glossary/quokka").json()["detail"] == "'quokka' is not in the glossary"
    assert http.post("/briefing", json={"items": []}).status_code == 422


def test_topic_by_words_or_by_a_commitment(http):
    meetings = http.get("/topic", params={"q": "artificial intelligence"}).json()["meetings"]
    assert [m["addressed"] for m in meetings] == [False, False, False, True]
    assert meetings[0]["note"] == "not addressed at this meeting"
    commitment = http.get("/commitments", params={"words": "Situation Rooms"}).json()[0]
    picked = http.get("/topic", params={"commitment": commitment["id"]}).json()
    nairobi = next(m for m in picked["meetings"] if m["meeting"] == "Nairobi 2024")
    assert nairobi["addressed"] and nairobi["citations"][0]["paragraph"] == commitment["paragraph"]


def test_guide_glossary_and_quiz(http):
    guide = http.get(f"/documents/{ROME}/guide").json()
    assert {f["label"]: f["value"] for f in guide["facts"]}["Co-chairs"] == "Italy and the Philippines"
    assert all(s["summary"] for s in guide["sections"])
    entry = http.get("/glossary/NAPs").json()
    assert entry["expansion"] == "National Action Plans" and len(entry["documents"]) == 4
    assert entry["defined_by"] == "long form" and "National Action Plans (NAPs)" in entry["definition"]["quote"]
    assert entry["definition_note"] == "Defined in the New York 2019 communiqué, Main text, ¶12"
    assert {e["term"] for e in http.get("/glossary", params={"q": "resolution"}).json()} >= {"Resolution 1325 (2000)"}
    quiz = http.get("/quiz", params={"n": 5, "seed": 42}).json()
    assert quiz["seed"] == 42 and len(quiz["questions"]) == 5
    assert quiz == http.get("/quiz", params={"n": 5, "seed": 42}).json()
    assert http.get("/quiz", params={"n": 0}).status_code == 422


def test_briefing_returns_docx_or_markdown_with_numbered_references(http):
    rows = http.get("/commitments", params={"type": "concern"}).json()
    items = [{"heading": r["meeting"], "citations": [r["citation"]], "kind": "commitment"} for r in rows[:2]]
    response = http.post("/briefing", json={"title": "Concerns", "items": items})
    assert response.headers["content-type"] == DOCX
    paragraphs = [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
    assert paragraphs[0] == "Concerns" and "References" in paragraphs
    assert [p[:4] for p in paragraphs if p.startswith("[")][-2:] == ["[1] ", "[2] "]
    markdown = http.post("/briefing", json={"format": "markdown", "items": items}).text
    assert "## References" in markdown and f"“{rows[0]['sentence']}” [1]" in markdown


def test_examples_and_tour_come_from_the_indexed_documents(http):
    examples = http.get("/examples").json()
    assert "Participation" in examples and all(examples.values())
    steps = http.get("/tour").json()["steps"]
    assert [s["theme"] for s in steps if s["pillar"]] == [
        "Participation",
        "Protection",
        "Prevention",
        "Relief and Recovery",
    ]


def test_the_glossary_api_says_the_same_of_each_term_as_the_view(http, multi):
    listed = {e["term"]: e for e in http.get("/glossary").json()}
    assert listed.keys() == {e.term for e in multi.views.glossary.entries}
    for entry in multi.views.glossary.entries:
        got = listed[entry.term]
        assert got["definition_note"] == entry.definition_note and got["defined_by"] == entry.defined_by
        assert (got["definition"] or {}).get("quote") == (entry.definition.quote if entry.definition else None)
    mediators = http.get("/glossary/women mediators").json()
    assert mediators["definition"] is None
    assert mediators["definition_note"].startswith("Not defined in the communiqués; first mentioned in the New York")
    assert mediators["first_mention"]["paragraph"] == mediators["introduced"]["paragraph"]
