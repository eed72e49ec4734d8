"""The API keeps its OpenAPI contract: schemathesis generates requests from the schema and sends
them through the WSGI app (no live server), over the personas' data.

Positive cases (requests the schema allows) must be accepted (2xx, or 401/403/404 for things
that are not there or not yours); negative cases (requests the schema forbids) must be refused
with a 4xx; no request gets a 500, a status code the schema does not list, a content type it
does not name, or a body that does not fit the schema.

Bounded and deterministic (derandomize, no example database): about half a minute, and the
same cases on every run. Raise CONTRACT_EXAMPLES for a deeper look, e.g.
``CONTRACT_EXAMPLES=200 pytest ungkultur/api/tests/test_contract.py``.
"""

import datetime
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import checks
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi import checks as openapi_checks

from ungkultur.api.openapi import OPENAPI
from ungkultur.participation import services as participation_services
from ungkultur.wsgi import application

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = int(os.environ.get("CONTRACT_EXAMPLES", "15"))
SCHEMA = schemathesis.openapi.from_dict(OPENAPI)
SCHEMA.app = application
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]
CHECKS = [
    checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
    openapi_checks.negative_data_rejection,
    openapi_checks.positive_data_acceptance,
]


def _label(operation) -> str:
    return operation.label


def _has_inputs(operation) -> bool:
    """Whether there is anything to get wrong (else no negative case can be made)."""
    return bool(list(operation.iter_parameters())) or bool(operation.body)


def _path_names(operation) -> set[str]:
    return {p.name for p in operation.iter_parameters() if p.location == "path"}


def _keeps_the_contract(operation, mode, **path_parameters):
    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters))
    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        case.call_and_validate(checks=CHECKS)

    run()


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI app closes a connection whose autocommit differs from the settings' after each
    request, as the test's transaction makes it: on PostgreSQL every later request would find it
    closed (SQLite's in-memory database ignores the close). Django's test client holds these
    signals back the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_data(personas):
    """The personas, with a youth proposal in each municipality (one answered)."""
    now = datetime.datetime(2026, 11, 26, 12, tzinfo=datetime.UTC)
    for youth, municipality in (
        (personas.youth_a, personas.arendal),
        (personas.youth_b, personas.sola),
    ):
        participation_services.proposal_create(
            actor=youth,
            municipality=municipality,
            title="Lydstudio",
            text="Et lydstudio på klubben, åpent fredager.",
            category="music",
            services=["club"],
            now=now,
        )
    return personas


@pytest.mark.parametrize(
    ("operation", "mode"),
    [
        (operation, mode)
        for operation in OPERATIONS
        for mode in GenerationMode
        if mode.is_positive or _has_inputs(operation)
    ],
    ids=lambda value: value.label if hasattr(value, "label") else str(value),
)
def test_operation_keeps_the_contract(api_data, operation, mode):
    _keeps_the_contract(operation, mode)


@pytest.mark.parametrize("code", ["4203", "1124"])
@pytest.mark.parametrize(
    "operation", [op for op in OPERATIONS if _path_names(op) == {"code"}], ids=_label
)
def test_operation_keeps_the_contract_for_the_personas_municipalities(api_data, operation, code):
    _keeps_the_contract(operation, GenerationMode.POSITIVE, code=code)
    if len(list(operation.iter_parameters())) > 1:  # something besides the code to get wrong
        _keeps_the_contract(operation, GenerationMode.NEGATIVE, code=code)


def test_offer_detail_keeps_the_contract_for_published_offers(api_data):
    (operation,) = [op for op in OPERATIONS if op.path == "/offers/{id}"]
    for offer in (api_data.a.piano, api_data.b.open_club):
        _keeps_the_contract(operation, GenerationMode.POSITIVE, id=offer.pk)
