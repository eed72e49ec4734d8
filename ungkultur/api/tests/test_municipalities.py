import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LIST = reverse("api:municipality_list")


def _detail(code):
    return reverse("api:municipality_detail", args=[code])


def test_list_has_all_357_municipalities(client, django_assert_max_num_queries):
    # The municipalities with their county; every number they have had.
    with django_assert_max_num_queries(2):
        response = client.get(LIST)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["count"] == 357
    assert len(data["results"]) == 357
    kongsberg = next(m for m in data["results"] if m["code"] == "3303")
    assert kongsberg == {
        "code": "3303",
        "name": "Kongsberg",
        "county": {"code": "33", "name": "Buskerud"},
        "kk_active": False,
        "former_codes": ["3006"],
    }


def test_list_is_utf8_without_escapes(client):
    response = client.get(LIST)
    assert "Bærum".encode() in response.content
    assert b"\\u00e6" not in response.content


def test_list_filters_on_kk(client, personas):
    data = client.get(LIST, {"kk": "true"}).json()
    assert [m["code"] for m in data["results"]] == ["1124", "4203"]
    assert data["count"] == 2
    assert client.get(LIST, {"kk": "false"}).json()["count"] == 355


@pytest.mark.parametrize("value", ["yes", "1", "TRUE"])
def test_list_rejects_bad_kk_value(client, value):
    response = client.get(LIST, {"kk": value})
    assert response.status_code == 400
    assert response.json() == {
        "error": f"Ugyldig verdi for kk: «{value}». Bruk true eller false.",
        "status": 400,
        "title": "Bad Request",
    }


def test_list_rejects_an_empty_kk(client):
    # The schema allows true or false; an empty value is named, not read as "left out".
    response = client.get(LIST + "?kk=")
    assert response.status_code == 400
    assert response.json()["error"] == "Parameteren kk er tom. Utelat den, eller gi den en verdi."


def test_detail_returns_one_municipality(client, personas):
    response = client.get(_detail("4203"))
    assert response.status_code == 200
    assert response.json() == {
        "code": "4203",
        "name": "Arendal",
        "county": {"code": "42", "name": "Agder"},
        "kk_active": True,
        "former_codes": ["0906"],
    }


def test_detail_old_code_answers_with_current_code(client):
    response = client.get(_detail("3006"))
    assert response.status_code == 200
    data = response.json()
    assert data["code"] == "3303"
    assert data["name"] == "Kongsberg"
    assert data["former_codes"] == ["3006"]


@pytest.mark.parametrize("code", ["9999", "abcd"])
def test_detail_unknown_code_is_404_json(client, code):
    response = client.get(_detail(code))
    assert response.status_code == 404
    assert response.json() == {
        "error": f"Fant ingen kommune med nummeret {code}.",
        "status": 404,
        "title": "Not Found",
    }


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_only_get_is_allowed(client, method):
    for url in [LIST, _detail("4203")]:
        response = getattr(client, method)(url)
        assert response.status_code == 405
        assert response["Allow"] == "GET, HEAD"
        assert "ikke tillatt" in response.json()["error"]


def test_post_needs_no_csrf_token_to_get_its_405(personas):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(LIST)
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"


def test_api_sets_no_session_cookie(client):
    response = client.get(LIST)
    assert "sessionid" not in response.cookies
    assert "csrftoken" not in response.cookies
    assert "Authorization" in response["Vary"]
