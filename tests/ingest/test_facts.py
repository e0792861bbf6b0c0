"""Title-block facts one by one: dates (dateparser), places (gazetteer), meeting names, date lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ingest.dates import find_date
from assistant.ingest.facts import find_meeting, is_dateline, meeting_format, place_in_text, title_facts
from assistant.ingest.gazetteer import find_place

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "iso", "written"),
    [
        ("23rd of September, 2016", "2016-09-23", "23rd of September, 2016"),
        ("6-9 June 2023", "2023-06-09", "6-9 June 2023"),
        ("26 and 27 April 2017", "2017-04-27", "26 and 27 April 2017"),
        ("9–10 April 2019", "2019-04-10", "9–10 April 2019"),
        ("14 October 2025", "2025-10-14", "14 October 2025"),
        ("9-10 June 2026 | Rome, Italy", "2026-06-10", "9-10 June 2026"),
        ("(Alicante, Spain, 26 and 27 April 2017)", "2017-04-27", "26 and 27 April 2017"),
        ("June 9–10, 2026", "2026-06-10", "June 9–10, 2026"),
        ("30 September – 2 October 2019", "2019-10-02", "30 September – 2 October 2019"),
        ("9 June 2026 – 10 June 2026", "2026-06-10", "9 June 2026 – 10 June 2026"),
        ("du 9 au 10 juin 2026", "2026-06-10", "9 au 10 juin 2026"),
        ("9 y 10 de junio de 2026", "2026-06-10", "9 y 10 de junio de 2026"),
        ("Sept. 23, 2016", "2016-09-23", "Sept. 23, 2016"),
        ("convened in Rome from 9 to 10 June 2026 for the", "2026-06-10", "9 to 10 June 2026"),
        ("2026-06-10", "2026-06-10", "2026-06-10"),
    ],
)
def test_a_date_or_range_reads_as_its_last_day(text, iso, written):
    found = find_date(text)
    assert found is not None and (found.iso, text[found.start : found.end]) == (iso, written)


@pytest.mark.parametrize(
    "text", ["the 2025 meetings in Tokyo and Oslo", "resolution 1325 (2000)", "May 2026", "A/80/512–S/2025/633"]
)
def test_text_without_a_full_date_has_none(text):
    assert find_date(text) is None


@pytest.mark.parametrize(
    ("line", "place"),
    [
        ("9-10 June 2026 | Rome, Italy", "Rome, Italy"),
        ("New York, 23rd of September, 2016", "New York"),
        ("6-9 June 2023, Washington, D.C.", "Washington, D.C."),
        ("(Alicante, Spain, 26 and 27 April 2017)", "Alicante, Spain"),
        ("Sarajevo, Bosnia and Herzegovina", "Sarajevo, Bosnia and Herzegovina"),
        ("Bosnia and Herzegovina", "Bosnia and Herzegovina"),
        ("Glion, Switzerland", "Glion, Switzerland"),  # a town too small for the gazetteer, before its country
        ("Rome (Italie), 9-10 juin 2026", "Rome (Italie)"),
        ("Seoul, Republic of Korea", "Seoul, Republic of Korea"),
    ],
)
def test_a_place_of_several_words_is_read_whole(line, place):
    found = find_place(line)
    assert found is not None and found.text == place


@pytest.mark.parametrize(
    "line", ["Joint Communiqué", "Women, Peace and Security Focal Points Network", "Date: 10 June 2026", "Annex"]
)
def test_words_that_are_also_small_towns_are_no_place(line):
    assert find_place(line) is None


@pytest.mark.parametrize(
    ("text", "meeting"),
    [
        ("Women, Peace and Security Focal Points Network 5th Capital-Level Meeting", "5th Capital-Level Meeting"),
        ("Sixth Ministerial Meeting", "Sixth Ministerial Meeting"),
        ("Joint communiqué of the Ninth Capital-Level Meeting of the Network", "Ninth Capital-Level Meeting"),
        ("SUMMARY OF THE TWELFTH MINISTERIAL MEETING", "Twelfth Ministerial Meeting"),
        ("Communiqué of the Second Meeting of the Women, Peace and Security Focal Points Network", "Second Meeting"),
    ],
)
def test_a_meeting_name_keeps_its_ordinal(text, meeting):
    assert find_meeting(text) == meeting


@pytest.mark.parametrize(
    "line",
    [
        "6-9 June 2023, Washington, D.C.",
        "(Alicante, Spain, 26 and 27 April 2017)",
        "Done at Rome, Thursday 10 June 2026.",
        "9-10 juin 2026 | Rome, Italie",
    ],
)
def test_a_date_and_place_line_is_a_dateline(line):
    assert is_dateline(line)


@pytest.mark.parametrize(
    "line",
    [
        "We met in Rome on 10 June 2026.",
        "The Network welcomed new members on 10 June 2026 in Rome and elsewhere, and called for more.",
    ],
)
def test_a_sentence_with_a_date_is_not_a_dateline(line):
    assert not is_dateline(line)


def test_a_venue_sentence_names_the_place():
    text = "The meeting was held on 25 September 2019 in New York, on the margins of the General Assembly."
    assert place_in_text(text) == "New York"


def test_facts_fall_back_from_title_block_to_text_to_file_name():
    facts = title_facts(["Joint Communiqué"], ["We convened in Nairobi from 12 to 13 March 2024."], Path("x.txt"))
    assert (facts.date, facts.place, facts.title) == ("2024-03-13", "Nairobi", "Joint Communiqué")
    facts = title_facts([], ["No facts here."], Path("2026-06-10_rome_joint.txt"))
    assert (facts.date, facts.place) == ("2026-06-10", "Rome")


def test_the_date_a_masthead_gives_comes_after_the_documents_own():
    facts = title_facts(
        ["Joint statement of the Tenth Capital-Level Meeting"], ["We met."], Path("x.txt"), more=["9 March 2026"]
    )
    assert facts.date == "2026-03-09"
    facts = title_facts(["Oslo, 24-25 February 2026"], ["We met."], Path("x.txt"), more=["9 March 2026"])
    assert (facts.date, facts.place) == ("2026-02-25", "Oslo")


@pytest.mark.parametrize(
    ("place", "country"),
    [("Windhoek", "Namibia"), ("Manila", "Philippines"), ("Rome, Italy", "Italy"), ("Virtual Meeting", None)],
)
def test_the_country_of_a_meetings_place(place, country):
    from assistant.ingest.gazetteer import country_of

    assert country_of(place) == country


@pytest.mark.parametrize(
    ("title", "opening", "held"),
    [
        ("Virtual Meeting", [], "online"),
        (
            "",
            ["The members of the Women, Peace and Security Focal Points Network, met online on 2 December."],
            "online",
        ),
        ("", ["As Secretariat, the meeting was convened in a virtual format after the Fourth Meeting."], "online"),
        ("", ["It was the first meeting of the Network to be held in a hybrid format. We thank Malta."], "hybrid"),
        ("", ["We met virtually because of the pandemic."], "online"),
        ("", ["The Eighth Capital-Level Meeting was held in Rome on 9 and 10 June 2026."], None),
    ],
)
def test_how_a_meeting_was_held_is_read_from_its_title_or_opening(title, opening, held):
    assert meeting_format(title, opening) == held


@pytest.mark.parametrize(
    "sentence",
    [
        "We recall the high-level event held in Windhoek in hybrid format to mark the anniversary.",
        "We recommend that peace talks and dialogues held online or in hybrid formats include women.",
        "Online abuse has followed women peacebuilders into every virtual meeting room.",
    ],
)
def test_how_something_else_was_held_is_no_format_of_the_meeting(sentence):
    assert meeting_format("", [sentence]) is None
