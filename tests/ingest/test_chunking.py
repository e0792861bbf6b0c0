"""Passages and quotable sentences: exact spans, windows within the model's reach."""

from __future__ import annotations

import itertools

import pytest

from assistant.ingest.chunking import build_nodes, passage_windows, sentence_spans
from assistant.ingest.parse import parse_file
from assistant.schema import PASSAGE, SENTENCE
from tests.conftest import CORPUS


def _words(text: str) -> int:
    return len(text.split())


@pytest.mark.unit
def test_sentences_tile_the_paragraph_with_single_spaces_between():
    text = "We recommend action. States should do more, e.g. Fund it. See No. 5 of the list. Mr. X agrees. Last one?"
    spans = sentence_spans(text)
    pieces = [text[s:e] for s, e in spans]
    assert pieces == [
        "We recommend action.",
        "States should do more, e.g. Fund it.",
        "See No. 5 of the list.",
        "Mr. X agrees.",
        "Last one?",
    ]
    assert " ".join(pieces) == text


@pytest.mark.unit
def test_long_sentence_is_cut_at_a_clause_boundary_not_mid_list():
    text = (
        "Recalling the 2025 communiqués, which expressed concern over the growing emphasis on transactional "
        "deal-making, we recommend that States remain steadfast in their commitment and redouble their efforts "
        "to ensure the full, equal, safe, and meaningful participation of women at every stage of peace and "
        "security processes, particularly in ongoing negotiations and processes where women continue to be "
        "excluded from decision-making."
    )
    pieces = [text[s:e] for s, e in sentence_spans(text, max_words=45)]
    assert len(pieces) >= 2 and all(_words(p) <= 45 for p in pieces)
    assert not any(p.endswith("the full,") for p in pieces)
    assert " ".join(pieces) == text


@pytest.mark.unit
def test_windows_cover_the_paragraph_and_stay_under_the_token_limit():
    text = " ".join(f"Sentence number {i} says something about women, peace and security." for i in range(40))
    spans = sentence_spans(text)
    windows = passage_windows(spans, lambda t: _words(t) * 2, text, max_tokens=60)
    assert windows[0][0] == 0 and windows[-1][1] == len(text)
    assert all(_words(text[s:e]) * 2 <= 60 for s, e in windows)
    assert all(a[1] > b[0] for a, b in itertools.pairwise(windows)), "consecutive windows overlap"


@pytest.mark.integration
def test_every_node_carries_its_address_and_exact_text(embed_model):
    doc = parse_file(next(CORPUS.glob("*.txt")))
    nodes = build_nodes(doc, embed_model.count_tokens)
    assert {n.metadata["kind"] for n in nodes} == {PASSAGE, SENTENCE}
    for node in nodes:
        m = node.metadata
        paragraph = doc.paragraphs[m["paragraph"] - 1]
        assert node.text in paragraph.text and m["section"] == paragraph.section
        if m["kind"] == SENTENCE:
            assert paragraph.text[m["sent_start"] : m["sent_end"]] == node.text
        else:
            assert embed_model.count_tokens(node.text) <= 200


@pytest.mark.unit
@pytest.mark.parametrize("label", ["15.", "(3)", "IV.", "b)"])
def test_a_printed_paragraph_label_opens_its_sentence_and_is_no_sentence_of_its_own(label):
    text = f"{label} Participants encouraged peer learning. Members agreed."
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        f"{label} Participants encouraged peer learning.",
        "Members agreed.",
    ]
