"""Property-based check of the API against its own OpenAPI schema (schemathesis).

Every operation is called with generated parameters: no answer may be a server error, and every
answer must match what the schema declares (including the 400, 404 and 429 bodies).
"""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from bibliotheque.wsgi import application
from tests.factories import CollectiviteFactory, UseCaseFactory, theme

# The document /api/v1/schema/ serves, generated without a request: that request would be
# throttled, its counter kept in the database, which a module-level load may not touch.
schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """Do what Django's test client does: keep the test transaction's connection open.

    Called through WSGI, Django closes the connection when a request finishes; on PostgreSQL
    the next query would then fail with "the connection is closed".
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _catalogue(throttle_rate):
    """A few published cases and one draft; a rate limit high enough for the generated calls."""
    throttle_rate("100000/minute")
    epci = CollectiviteFactory(name="Rennes Métropole", kind="metropole", code="243500139")
    rennes = CollectiviteFactory(name="Rennes", code="35238", epci=epci)
    UseCaseFactory(
        published=True,
        collectivite=rennes,
        tags=["eau"],
        techniques=["optimisation"],
        end_year=2026,
    )
    UseCaseFactory(published=True, collectivite=epci, theme=theme("mobilites"), stage="idea")
    UseCaseFactory(title="Brouillon")


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_schema(case):
    case.call_and_validate(
        app=application, checks=[not_a_server_error, response_schema_conformance]
    )
