"""The chat's answer HTML and what a browser keeps across reloads (no model, no browser)."""

from __future__ import annotations

import pytest

from assistant.schema import Address, Answer, Citation
from assistant.views.briefing import NoteItem
from assistant.web.keep import KEPT_TURNS, kept, restored
from assistant.web.render import answer_html, clause, lead
from assistant.web.tabs.chat import chips_html

pytestmark = pytest.mark.unit

AI = (
    "The potential use of artificial intelligence, strictly and directly informed by the women, peace and "
    "security agenda, should also be explored for possible use for prevention efforts, where appropriate."
)


def citation(n: int, text: str = AI, place: str = "Rome, Italy", section: str = "Prevention") -> Citation:
    address = Address("rome", "Joint Communiqué", "Eighth", "2026-06-10", place, section, 13, "13", 0, len(text))
    return Citation.at(n, address, text, text, 0, 1.0, {})


def answer(tier: str = "answered", quotes: int = 1, text: str = "") -> Answer:
    cited = [citation(n) for n in range(1, quotes + 1)]
    body = text or "\n\n".join(f"The Rome 2026 communiqué (Prevention, ¶13): “{AI}” [{c.n}]" for c in cited)
    return Answer(
        question="q",
        standalone_question="q",
        answer=body,
        abstained=tier != "answered",
        tier=tier,
        citations=cited if tier == "answered" else [],
        related=cited if tier != "answered" else [],
    )


def test_each_tier_has_its_own_class_and_badge():
    pages = {
        tier: answer_html(answer(tier, text="" if tier == "answered" else "The communiqués do not address it."))
        for tier in ("answered", "possibly_relevant", "not_addressed")
    }
    assert 'class="answer tier-answered"' in pages["answered"] and ">Answered</span>" in pages["answered"]
    assert (
        'tier-possibly-relevant"' in pages["possibly_relevant"] and ">Possibly relevant<" in pages["possibly_relevant"]
    )
    assert 'tier-not-addressed"' in pages["not_addressed"] and ">Not addressed<" in pages["not_addressed"]


def test_the_lead_names_the_best_source_and_a_short_clause_of_its_quote():
    line = lead(answer())
    assert line.startswith("The Rome 2026 communiqué, Prevention, ¶13: “The potential use of artificial intelligence")
    assert len(line.split()) < len(AI.split())


def test_a_long_quote_is_cut_at_a_clause_and_its_paragraph_number_dropped():
    assert clause("8. We recommend that States act now; and that they report yearly on what they did.", 8) == (
        "We recommend that States act now…"
    )
    assert clause("1. Short enough.") == "Short enough."


def test_quotes_after_the_first_are_folded_behind_show_all():
    html = answer_html(answer(quotes=3))
    shown, folded = html.split('<details class="more-quotes">', 1)
    assert shown.count('class="answer-text"') == 1
    assert "Show all 3 quotes" in folded and folded.count('class="answer-text"') == 2


def test_a_refusal_leads_with_its_own_first_sentence_and_related_cards_have_no_bullet():
    html = answer_html(answer("not_addressed", text="The communiqués do not address this. Try another word."))
    assert "Not addressed</span> The communiqués do not address this.</p>" in html
    assert "Try another word." in html and "<b>•</b>" not in html and "<summary><b></b>" not in html


def test_a_refusal_under_a_filter_names_it_and_offers_the_answer_from_the_whole_corpus():
    html = answer_html(answer("not_addressed", text="No."), scope="Santiago 2022", offer=answer())
    assert "Not in Santiago 2022." in html
    assert "<summary>Rome 2026 (Prevention, ¶13) addresses it — show it</summary>" in html
    assert html.count('class="answer tier-answered"') == 1  # the offered answer, inside the details


def test_a_refusal_under_a_filter_says_when_the_whole_corpus_has_no_answer_either():
    html = answer_html(answer("not_addressed", text="No."), scope="Santiago 2022", offer=None)
    assert "Not in Santiago 2022." in html and "do not address it either" in html and "show it" not in html


def test_chips_name_each_filter_and_escape_it():
    documents = [{"doc_id": "s", "title": "T", "date": "2022-10-20", "place": "Santiago, Chile"}]
    html = chips_html(["s"], ['<b>"x"'], documents)
    assert "Document: Santiago 2022" in html and 'data-key="doc:s"' in html
    assert "<b>" not in html and "Section: &lt;b&gt;&quot;x&quot;" in html and "Clear filters" in html
    assert chips_html([], [], documents) == ""


def conversation(turns: int) -> tuple[list[dict], list[dict]]:
    history = [
        m for i in range(turns) for m in ({"role": "user", "content": f"q{i}"}, {"role": "assistant", "content": "a"})
    ]
    return history, [answer().model_dump() for _ in range(turns)]


def test_what_a_browser_kept_comes_back_whole():
    history, answers = conversation(2)
    note = [NoteItem(heading="h", text="t", citations=[citation(1)]).model_dump()]
    back = restored(kept(history, answers, ["rome"], ["Prevention"], note), {"rome"}, {"Prevention"})
    assert back["history"] == history and len(back["answers"]) == 2
    assert back["docs"] == ["rome"] and back["sections"] == ["Prevention"] and len(back["note"]) == 1


def test_gradio_message_parts_are_read_back_as_text():
    history = [{"role": "user", "content": [{"type": "text", "text": "q"}]}, {"role": "assistant", "content": "a"}]
    back = restored(kept(history, [None], [], [], []), set(), set())
    assert back["history"][0] == {"role": "user", "content": "q"}


def test_only_the_newest_turns_are_kept():
    history, answers = conversation(KEPT_TURNS + 2)
    saved = kept(history, answers, [], [], [])
    assert len(saved["answers"]) == KEPT_TURNS and saved["history"][0]["content"] == "q2"


@pytest.mark.parametrize(
    "saved",
    [None, "x", {"version": 99}, {"version": 1, "history": [{"role": "system", "content": "x"}], "answers": [None]}],
)
def test_what_does_not_check_out_is_dropped_not_an_error(saved):
    back = restored(saved, {"rome"}, set())
    assert back["history"] == [] and back["answers"] == [] and back["note"] == []


def test_filters_of_documents_the_index_no_longer_has_are_dropped():
    back = restored(kept([], [], ["gone", "rome"], ["Old"], [{"heading": 1}]), {"rome"}, {"Prevention"})
    assert back["docs"] == ["rome"] and back["sections"] == [] and back["note"] == []
