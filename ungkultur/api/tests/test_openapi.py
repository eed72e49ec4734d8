import re

import pytest
from django.urls import reverse

from ungkultur.api import urls
from ungkultur.api.openapi import OPENAPI

pytestmark = pytest.mark.django_db


def _openapi_path(route: str) -> str:
    """'municipalities/<str:code>' → '/municipalities/{code}'."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_openapi_is_served_as_json(client):
    response = client.get(reverse("api:openapi"))
    assert response.status_code == 200
    assert response.json() == OPENAPI


def test_openapi_has_the_basic_structure():
    assert OPENAPI["openapi"].startswith("3.1")
    assert OPENAPI["info"]["title"]
    assert OPENAPI["info"]["version"]
    assert OPENAPI["paths"]
    assert OPENAPI["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": OPENAPI["components"]["securitySchemes"]["bearerAuth"]["description"],
    }
    for path, item in OPENAPI["paths"].items():
        assert path.startswith("/")
        methods = set(item) - {"parameters"}
        # Reads everywhere; the one write is a survey response sent with a one-time code.
        assert methods in ({"get"}, {"post"}), path
        for method in methods:
            assert {"200", "201"} & set(item[method]["responses"]), path
            assert item[method]["operationId"], path


def test_openapi_describes_every_route():
    routes = {_openapi_path(str(pattern.pattern)) for pattern in urls.urlpatterns}
    assert routes == set(OPENAPI["paths"])


def test_openapi_path_parameters_are_declared():
    for path, item in OPENAPI["paths"].items():
        declared = {p["name"] for p in item.get("parameters", []) if p["in"] == "path"}
        assert declared == set(re.findall(r"{(\w+)}", path)), path


def test_openapi_references_resolve():
    for ref in _refs(OPENAPI):
        node = OPENAPI
        assert ref.startswith("#/")
        for part in ref[2:].split("/"):
            assert part in node, ref
            node = node[part]


def test_openapi_enums_match_the_models():
    from ungkultur.organisations.models import Membership, Unit

    schemas = OPENAPI["components"]["schemas"]
    assert schemas["Unit"]["properties"]["kind"]["enum"] == list(Unit.Kind.values)
    assert schemas["Member"]["properties"]["role"]["enum"] == list(Membership.Role.values)
