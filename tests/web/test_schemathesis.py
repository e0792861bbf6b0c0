"""A bounded schemathesis run against the app's own OpenAPI schema (``/api/openapi.json``), over HTTP.

Requests for every operation are drawn from schemathesis's strategies, in its positive mode (what the
schema allows) and its negative mode (what it does not: wrong types, missing fields, odd paths), at
most ``MAX_EXAMPLES`` per operation; the check is the one the issue sets: never a 5xx. About 30 s here.

schemathesis's own pytest integration (``from_fixture``) reads a private attribute pytest 9 no longer
has, so the strategies are used with hypothesis directly, as its documentation allows.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

pytestmark = pytest.mark.integration

MAX_EXAMPLES = 30  # per operation and mode


def fuzz(operation, mode: GenerationMode, base_url: str, seen: dict[str, int]):
    """A hypothesis test sending ``operation``'s generated requests; counts them in ``seen``."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    def call(case):
        seen[operation.label] = seen.get(operation.label, 0) + 1
        case.call_and_validate(base_url=base_url, checks=[not_a_server_error])

    return call


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
def test_no_operation_of_the_api_answers_a_5xx(live_app, mode):
    schema = schemathesis.openapi.from_url(f"{live_app}/api/openapi.json")
    seen: dict[str, int] = {}
    for result in schema.get_all_operations():
        try:
            fuzz(result.ok(), mode, f"{live_app}/api", seen)()
        except Unsatisfiable:  # no request can violate a schema with no parameters (GET /health)
            assert mode == GenerationMode.NEGATIVE
    print(f"\nschemathesis {mode}: {sum(seen.values())} requests, {seen}")
    assert len(seen) >= (6 if mode == GenerationMode.POSITIVE else 3)
