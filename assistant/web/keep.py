"""What a browser keeps across a reload: the conversation, the answers behind it, the filters and the
briefing note, in the browser's own storage (Gradio's ``BrowserState``): nothing is kept on the server.

What comes back from a browser is checked before it is used (it may come from an older page, or have
been edited): messages must be chat messages, answers and note items must validate, filters must name
documents and sections of the index as it is now. Anything else is dropped, never an error.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from assistant.schema import Answer
from assistant.views.briefing import NoteItem

VERSION = 1
KEPT_TURNS = 30  # the newest turns kept (a browser's storage holds a few MB per site)


def kept(
    history: list[dict], answers: list[dict | None], docs: list[str], sections: list[str], note: list[dict]
) -> dict:
    """What the browser stores: the newest turns of the conversation with their answers, filters, note."""
    turns = min(len(answers or []), KEPT_TURNS)
    history = list(history or [])[-2 * turns :] if turns else []
    return {
        "version": VERSION,
        "history": history,
        "answers": list(answers or [])[-turns:] if turns else [],
        "docs": list(docs or []),
        "sections": list(sections or []),
        "note": list(note or []),
    }


def _content(content: Any) -> str | None:
    """A message's text: Gradio gives it as a string or as a list of typed parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list) and all(isinstance(p, dict) and p.get("type") == "text" for p in content):
        texts = [p.get("text") for p in content]
        return "".join(texts) if all(isinstance(t, str) for t in texts) else None
    return None


def _message(m: Any) -> dict | None:
    if isinstance(m, dict) and m.get("role") in ("user", "assistant"):
        content = _content(m.get("content"))
        return None if content is None else {"role": m["role"], "content": content}
    return None


def _answer(a: Any) -> dict | None:
    if not isinstance(a, dict):
        return None
    try:
        return Answer.model_validate(a).model_dump()
    except ValidationError:
        return None


def _note_item(x: Any) -> dict | None:
    try:
        return NoteItem.model_validate(x).model_dump()
    except ValidationError:
        return None


def restored(saved: Any, doc_ids: set[str], section_names: set[str]) -> dict:
    """``saved`` as the page can use it: the same keys as :func:`kept`, with what does not check out dropped.

    The conversation is kept only whole (a user message and a reply per answer), so a rating still
    finds its answer; filters only for documents and sections the index has now.
    """
    empty = kept([], [], [], [], [])
    if not isinstance(saved, dict) or saved.get("version") != VERSION:
        return empty
    history = [_message(m) for m in saved.get("history") or []] if isinstance(saved.get("history"), list) else []
    answers = [_answer(a) for a in saved.get("answers") or []] if isinstance(saved.get("answers"), list) else []
    if None in history or len(history) != 2 * len(answers):
        history, answers = [], []
    note = [_note_item(x) for x in saved.get("note") or []] if isinstance(saved.get("note"), list) else []
    return {
        "version": VERSION,
        "history": history,
        "answers": answers,
        "docs": [d for d in saved.get("docs") or [] if isinstance(d, str) and d in doc_ids],
        "sections": [s for s in saved.get("sections") or [] if isinstance(s, str) and s in section_names],
        "note": [x for x in note if x is not None],
    }
