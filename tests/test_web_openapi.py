"""The OpenAPI description checked against the app's real answers by a property-based tester.

schemathesis generates requests from the description (valid and invalid), sends them to the app
in process and checks each answer: no server error, a documented status, content type and body.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from swapledger.store import Store
from swapledger.store.tokens import create_token
from swapledger.web import WebOptions, create_app

from .test_api import ledger_db, sample_ledger  # noqa: F401 (the shared fixtures)


@pytest.fixture
def api_schema(ledger_db: str) -> Any:  # noqa: F811
    app = create_app(WebOptions(db=ledger_db))
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)


@pytest.fixture
def auth(ledger_db: str) -> dict[str, str]:  # noqa: F811
    return {"Authorization": f"Bearer {create_token(Store(ledger_db), 'schemathesis')[1]}"}


def _exercise(operation: Any, headers: dict[str, str] | None) -> None:
    """Generated requests for one operation, each answer checked against the description."""

    @given(case=operation.as_strategy())
    @settings(max_examples=15, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def check(case: Any) -> None:
        # Left out: "data valid by the schema is accepted". Some requests are valid in form and
        # still refused by the ledger, rightly: a cursor from another list (400), a decision
        # about an event that does not exist (422). Every other check runs.
        case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

    check()


def test_the_api_answers_as_its_description_says(api_schema: Any, auth: dict[str, str]) -> None:
    # schemathesis' own pytest plugin does not load under this pytest; its strategies are driven here.
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 12
    for operation in operations:
        _exercise(operation, auth if operation.method.upper() == "POST" else None)


def test_the_description_lists_every_api_route(api_schema: Any) -> None:
    paths = set(api_schema.raw_schema["paths"])
    for name in ("documents", "claims", "events", "totals", "agreements", "findings"):
        assert f"/api/v1/{name}" in paths
    assert {"/api/v1/check", "/api/v1/decisions", "/api/v1/events/{event_id}"} <= paths
