"""Answer ids the server issues and later recognises, so feedback is recorded only for its own answers.

An id is ``<nonce>.<mac>``: a random nonce and an HMAC-SHA256 over the nonce and what a feedback record
keeps of the answer (question, answer text, citations: :func:`assistant.feedback.rated_content`). The
server checks the mac when feedback comes back with the answer, so it keeps no state at all: memory is
bounded by construction, ids survive a restart, and replicas behind one proxy agree as long as they
share ``WPS_ANSWER_ID_SECRET``. An LRU of issued ids would need none of that, but it would forget ids
after a restart or under load, and a feedback request reaching another replica would be refused.
An altered answer (another question, another quote) no longer matches its id and is refused too.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets

from assistant.feedback import rated_content
from assistant.schema import Answer
from assistant.settings import Settings


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


class AnswerIds:
    """Issues signed answer ids and checks them."""

    def __init__(self, secret: bytes) -> None:
        self._key = secret

    @classmethod
    def from_settings(cls, settings: Settings) -> AnswerIds:
        configured = settings.answer_id_secret
        key = configured.get_secret_value().encode("utf-8") if configured else secrets.token_bytes(32)
        return cls(key)

    def _mac(self, nonce: str, answer: Answer) -> str:
        content = json.dumps(rated_content(answer), sort_keys=True, ensure_ascii=True, separators=(",", ":"))
        digest = hmac.new(self._key, f"{nonce}\n{content}".encode("ascii"), hashlib.sha256).digest()
        return _b64(digest[:18])

    def issue(self, answer: Answer) -> Answer:
        """The answer with a fresh id (each answer gets its own, even to the same question)."""
        nonce = _b64(secrets.token_bytes(9))
        answer.id = f"{nonce}.{self._mac(nonce, answer)}"
        return answer

    def issued(self, answer: Answer) -> bool:
        """Whether this server (or a replica with the same secret) gave exactly this answer."""
        nonce, _, mac = answer.id.partition(".")
        if not nonce or not mac or len(answer.id) > 64:
            return False
        return hmac.compare_digest(mac, self._mac(nonce, answer))
