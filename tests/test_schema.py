"""schemathesis over the whole OpenAPI schema, in-process: no 5xx, every response valid."""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from onestop.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """Like Django's test client: calling the WSGI app in-process must not close the test's
    database connection at the end of each request (it holds the test transaction)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=25,
    derandomize=True,  # the same examples on every run: CI cannot turn red by chance
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api_conforms_to_its_schema(case):
    # Business rules the schema cannot state (a valid check digit, a date range the calendar
    # covers) reject some schema-valid input with a 422 problem; that is intended, so the
    # "positive data acceptance" check is left out. Every other check runs: no 5xx, status
    # codes and content types documented, bodies conforming to the schema.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
