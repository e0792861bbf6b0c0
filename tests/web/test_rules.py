"""The rules behind the web app's guards, without a server: access, rate limit, answer ids, log lines.

The same objects run in the live app (tests/web/test_security.py and test_limits.py check them there
over HTTP); here each rule is pinned down case by case. The rate limiter takes its clock as an
argument, so the tests step time forward instead of sleeping.
"""

from __future__ import annotations

import json
import logging

import pytest
from pydantic import SecretStr

from assistant.schema import Answer, Citation
from assistant.settings import Settings
from assistant.web.answer_ids import AnswerIds
from assistant.web.question_log import LOGGER, QuestionLog
from assistant.web.ratelimit import MAX_CLIENTS, RateLimiter
from assistant.web.security import Access, bearer_token, route_path
from assistant.web.unicode import clean_json

pytestmark = pytest.mark.unit

KEY, ADMIN = "reader-key", "admin-token"


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def answer(**changes) -> Answer:
    citation = Citation(
        n=1,
        doc_id="rome",
        title="Joint Communiqué",
        section="Prevention",
        paragraph=13,
        quote="early warning",
        quote_start=0,
        text="early warning systems",
        start=0,
        end=21,
        score=0.8,
    )
    fields = {"question": "Q?", "standalone_question": "Q?", "answer": "A [1]", "abstained": False}
    return Answer(**{**fields, "citations": [citation], **changes})


# ------------------------------------------------------------------ access


def test_reading_is_open_by_default_and_administration_disabled():
    access = Access(Settings())
    assert access.reading_is_open and access.reader({}) is None
    denied = access.admin(bearer("anything"))
    assert denied.status == 403 and "disabled" in denied.message


def test_an_api_key_closes_reading_to_requests_without_it():
    access = Access(Settings(api_key=SecretStr(KEY)))
    assert access.reader({}).status == 401
    assert access.reader({}).headers["WWW-Authenticate"] == "Bearer"
    assert "not valid" in access.reader(bearer("wrong")).message
    assert access.reader(bearer(KEY)) is None


def test_the_trusted_header_admits_readers_and_names_them_for_the_rate_limit():
    access = Access(Settings(trusted_user_header="X-Remote-User"))
    assert access.reader({}).status == 401
    assert access.reader({"x-remote-user": "   "}).status == 401
    assert access.reader({"x-remote-user": "alice"}) is None
    assert access.client({"x-remote-user": "alice"}, "10.0.0.9") == "user:alice"
    assert access.client({}, "10.0.0.9") == "ip:10.0.0.9"


def test_administration_needs_the_admin_token_even_with_open_reading_or_a_reader_key():
    access = Access(Settings(api_key=SecretStr(KEY), admin_token=SecretStr(ADMIN)))
    assert access.admin({}).status == 401
    assert access.admin(bearer(KEY)).status == 403
    assert access.admin(bearer(ADMIN)) is None
    assert access.reader(bearer(ADMIN)) is None  # an administrator may also read
    assert Access(Settings(admin_token=SecretStr(ADMIN))).admin({}).status == 401


@pytest.mark.parametrize(
    ("header", "token"),
    [("Bearer abc", "abc"), ("bearer  abc ", "abc"), ("Basic abc", None), ("Bearer", None), ("", None)],
)
def test_bearer_token_is_read_from_the_authorization_header(header, token):
    assert bearer_token({"authorization": header}) == token


def test_route_path_drops_the_reverse_proxy_prefix():
    assert route_path({"path": "/wps/api/ask", "root_path": "/wps"}) == "/api/ask"
    assert route_path({"path": "/wps", "root_path": "/wps"}) == "/"
    assert route_path({"path": "/api/ask", "root_path": ""}) == "/api/ask"


# ------------------------------------------------------------------ rate limit


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_client_gets_a_burst_of_the_limit_then_waits_for_a_refill():
    clock = Clock()
    limiter = RateLimiter(6, clock=clock)  # 6 a minute: one every 10 s
    assert all(limiter.take("alice") is None for _ in range(6))
    wait = limiter.take("alice")
    assert wait == pytest.approx(10.0)
    clock.now += 10
    assert limiter.take("alice") is None
    assert limiter.take("alice") == pytest.approx(10.0)


def test_clients_have_their_own_allowance():
    limiter = RateLimiter(1, clock=Clock())
    assert limiter.take("alice") is None
    assert limiter.take("alice") is not None
    assert limiter.take("bob") is None


def test_a_refused_question_says_when_to_retry():
    limiter = RateLimiter(2, clock=Clock())
    limiter.take("alice"), limiter.take("alice")
    denied = limiter.denied("alice")
    assert denied.status == 429
    assert denied.headers["Retry-After"] == "30"
    assert "at most 2 a minute" in denied.message and "30 s" in denied.message


def test_no_limit_when_the_setting_is_zero():
    limiter = RateLimiter(0)
    assert not limiter.enabled
    assert all(limiter.take("alice") is None for _ in range(1000))


def test_the_limiter_keeps_a_bounded_number_of_clients():
    limiter = RateLimiter(10, clock=Clock())
    for n in range(MAX_CLIENTS + 500):
        limiter.take(f"client-{n}")
    assert len(limiter._buckets) == MAX_CLIENTS


# ------------------------------------------------------------------ answer ids


def test_an_issued_id_is_recognised_and_each_answer_gets_its_own():
    ids = AnswerIds(b"secret")
    first, second = ids.issue(answer()), ids.issue(answer())
    assert first.id != second.id
    assert ids.issued(first) and ids.issued(second)


def test_an_id_round_trips_through_json_like_a_client_sends_it_back():
    ids = AnswerIds(b"secret")
    given = ids.issue(answer())
    assert ids.issued(Answer.model_validate(json.loads(given.model_dump_json())))


@pytest.mark.parametrize(
    "change",
    [
        {"question": "Another question?"},
        {"answer": "Something the server never said [1]"},
        {"abstained": True},
    ],
)
def test_an_altered_answer_no_longer_matches_its_id(change):
    ids = AnswerIds(b"secret")
    given = ids.issue(answer())
    assert not ids.issued(answer(id=given.id, **change))


def test_a_quote_changed_in_a_citation_no_longer_matches():
    ids = AnswerIds(b"secret")
    given = ids.issue(answer())
    given.citations[0].quote = "forged"
    assert not ids.issued(given)


@pytest.mark.parametrize("forged", ["", "nonce", "nonce.mac", "a" * 200])
def test_missing_or_made_up_ids_are_not_recognised(forged):
    assert not AnswerIds(b"secret").issued(answer(id=forged))


def test_replicas_sharing_the_secret_recognise_each_others_ids_others_do_not():
    given = AnswerIds(b"shared").issue(answer())
    assert AnswerIds(b"shared").issued(given)
    assert not AnswerIds(b"other").issued(given)
    settings = Settings(answer_id_secret=SecretStr("shared"))
    assert AnswerIds.from_settings(settings).issued(AnswerIds.from_settings(settings).issue(answer()))
    assert not AnswerIds.from_settings(Settings()).issued(AnswerIds.from_settings(Settings()).issue(answer()))


# ------------------------------------------------------------------ question log


def test_the_log_line_has_outcome_latency_mode_and_citations_but_no_question(caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)
    QuestionLog().answered("api", 0.0345, answer(id="abc.def", question="Who is Jane Doe?"))

    (record,) = caplog.records
    line = json.loads(record.getMessage().removeprefix("question "))
    assert line["surface"] == "api" and line["outcome"] == "answered" and line["latency_ms"] == 34.5
    assert line["abstained"] is False and line["mode"] == "extractive"
    assert line["citations"] == ["rome/¶13"] and line["answer_id"] == "abc.def"
    assert "time" in line and "question" not in line
    assert "Jane Doe" not in record.getMessage()


def test_the_question_text_is_logged_only_when_the_setting_asks(caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)
    QuestionLog(include_question=True).refused("chat", 0.001, "The question is empty.", "   ")
    line = json.loads(caplog.records[0].getMessage().removeprefix("question "))
    assert line["outcome"] == "refused" and line["reason"] == "The question is empty." and line["question"] == "   "


def test_clean_json_cleans_every_string_keys_included():
    assert clean_json({"q\ud800": ["\udfff", 1, None, {"k": "v\x00"}]}) == {"q\ufffd": ["\ufffd", 1, None, {"k": "v"}]}
