"""Every answer under /api/v1/ is JSON, errors too, as the schema describes them."""

import pytest

from ungkultur.api import planning
from ungkultur.api.openapi import OPENAPI

pytestmark = pytest.mark.django_db


def _problem(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == status
    return body


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/nothing-here",
        "/api/v1/offers/-5",  # an id takes no sign: no route matches
        "/api/v1/offers/9223372036854775808",  # one more than the database can hold
        "/api/v1/offers/abc",
        "/api/v1/surveys/1/waves/bokmål/results",  # <slug:wave> takes ASCII only
    ],
)
def test_a_path_the_api_does_not_have_answers_json_404(client, path):
    body = _problem(client.get(path), 404)
    assert body["title"] == "Not Found"
    assert body["error"].startswith("Fant ingen side på /api/v1/")


def test_a_survey_id_larger_than_the_database_holds_is_404_not_500(client):
    # It overflowed the query before (SQLite: "Python int too large").
    url = "/api/v1/surveys/29984026585823184945152/waves/baseline/responses"
    response = client.post(url, {"code": "X", "answers": {}}, content_type="application/json")
    _problem(response, 404)


def test_a_path_outside_the_api_still_gets_the_html_page(client):
    response = client.get("/finnes-ikke/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_server_error_in_the_api_is_json_and_says_nothing_more(client, monkeypatch):
    def broken():
        raise RuntimeError("secret detail: password=hunter2")

    monkeypatch.setattr(planning.selectors, "milestone_plan", broken)
    client.raise_request_exception = False
    body = _problem(client.get("/api/v1/milestones"), 500)
    assert body == {
        "error": "Noe gikk galt hos oss. Prøv igjen senere.",
        "status": 500,
        "title": "Internal Server Error",
    }


@pytest.mark.parametrize(
    "url, name",
    [
        ("/api/v1/municipalities?kk=", "kk"),
        ("/api/v1/municipalities/4203/indicators?term=", "term"),
        ("/api/v1/municipalities/1124/participation-stats?term=", "term"),
        ("/api/v1/municipalities/4203/meetings?period=", "period"),
        ("/api/v1/municipalities/4203/proposals?status=&page=1", "status"),
    ],
)
def test_an_empty_parameter_is_refused_by_name(client, personas, url, name):
    body = _problem(client.get(url), 400)
    assert body["error"] == f"Parameteren {name} er tom. Utelat den, eller gi den en verdi."


@pytest.mark.parametrize("term", ["7078H", "0615V", "1899H"])
def test_participation_stats_refuse_a_year_outside_the_terms(client, personas, term):
    # 7078H fitted the form's pattern and then failed in Term.parse: a 500 before.
    url = f"/api/v1/municipalities/1124/participation-stats?term={term}"
    body = _problem(client.get(url), 400)
    assert term in body["error"]


def test_participation_stats_take_a_term_at_the_edge_of_the_years(client, personas):
    response = client.get("/api/v1/municipalities/1124/participation-stats?term=2999V")
    assert response.status_code == 200
    assert response.json()["terms"][0]["term"] == "2999V"


def test_proposals_after_the_last_page_are_404(client, personas):
    body = _problem(client.get("/api/v1/municipalities/4203/proposals?page=2"), 404)
    assert body["error"] == "Side 2 finnes ikke."


def test_the_schema_documents_json_errors_for_every_operation():
    for path, item in OPENAPI["paths"].items():
        for method in set(item) - {"parameters"}:
            assert {"400", "404", "500"} <= set(item[method]["responses"]), (path, method)
    assert OPENAPI["components"]["schemas"]["Error"]["properties"]["status"] == {
        "type": "integer",
        "description": "The HTTP status code.",
    }
