"""What the store raises, as the errors readers see: each says what is wrong and what to do."""

from __future__ import annotations

import sqlite3

import httpx
import pytest
from chromadb.errors import InternalError, NotFoundError

from assistant.index.errors import REBUILD, store_failure
from assistant.settings import Settings

pytestmark = pytest.mark.unit

EMBEDDED = Settings(index_dir="idx")
SERVER = Settings(chroma_host="chroma.intranet", chroma_port=8123)


@pytest.mark.parametrize(
    "exc",
    [
        InternalError("error returned from database: (code: 11) database disk image is malformed"),
        InternalError("error returned from database: (code: 26) file is not a database"),
        sqlite3.DatabaseError("file is not a database"),
    ],
)
def test_broken_store_files_are_damage_and_name_the_rebuild_command(exc):
    failure = store_failure(exc, EMBEDDED)
    assert failure.state == "damaged" and REBUILD in str(failure) and "idx" in str(failure)


@pytest.mark.parametrize(
    "exc",
    [httpx.ConnectError("[Errno 111] Connection refused"), ValueError("Could not connect to a Chroma server. Are you sure it is running?"), httpx.ReadTimeout("timed out")],
)
def test_a_server_that_does_not_answer_is_unreachable_and_says_answers_resume(exc):
    failure = store_failure(exc, SERVER)
    assert failure.state == "unreachable"
    assert "chroma.intranet:8123" in str(failure) and "resume by themselves" in str(failure)


def test_a_dropped_generation_is_a_retryable_change_not_damage():
    assert store_failure(NotFoundError("Collection [x] does not exist"), EMBEDDED).state == "unavailable"


def test_errors_that_are_not_the_store_s_are_left_alone():
    assert store_failure(KeyError("doc_id"), EMBEDDED) is None
    assert store_failure(ValueError("bad question"), EMBEDDED) is None
