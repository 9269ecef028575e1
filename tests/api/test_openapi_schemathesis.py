"""Schemathesis against the app's own OpenAPI document, in process: for every operation, a few
generated requests (fixed seed) signed in as the community's admin must get no 5xx and only
answers that conform to the documented response schemas."""

from __future__ import annotations

import traceback
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from ledger.api import deps
from tests.api.conftest import auth


class _Served:
    """The app that the test's TestClient already started, seen by schemathesis without its
    lifespan: schemathesis would otherwise start it a second time (a second views follower)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.requests = 0

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                else:
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        self.requests += 1
        await self.app(scope, receive, send)


def test_api_answers_without_server_errors_and_within_its_schema_when_fuzzed_as_the_admin(world, monkeypatch):
    # generated ``min_position`` values lie far ahead of the log: answer views_lagging quickly
    monkeypatch.setattr(deps, "WAIT_S_MAX", 0.05)
    served = _Served(world.client.app)
    schema = schemathesis.openapi.from_asgi("/openapi.json", served)
    headers = auth(world.tokens["admin"])
    failures: dict[str, str] = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=5,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: Any) -> None:
            # the checks are about answers (no 5xx, the documented schema), not speed: a request
            # gets 60 s instead of schemathesis' 10, which one request exceeded in a CI run
            # (tests never time the code; bench/ does)
            case.call_and_validate(
                headers=headers, checks=[not_a_server_error, response_schema_conformance], timeout=60
            )

        try:
            check()
        except Exception as error:  # collected so one run names every failing operation
            # the whole chain: a hypothesis FlakyFailure is a group whose message says only
            # "inconsistent results"; the errors it saw are its sub-exceptions
            failures[operation.label] = "".join(traceback.format_exception(error))[-6000:]

    assert served.requests > 2 * len(operations)  # the cases really reached the app
    assert not failures, "\n\n".join(f"{label}\n{text}" for label, text in failures.items())
