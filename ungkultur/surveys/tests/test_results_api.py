"""GET /api/v1/surveys/{id}/waves/{wave}/results: the protected aggregates, by token."""

import pytest
from django.urls import reverse
from django.utils import timezone

from ungkultur.accounts.services import api_token_create
from ungkultur.surveys.tests.results_data import a_mixed_wave, make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.UNGKULTUR_SURVEY_FILES_DIR = str(tmp_path)


@pytest.fixture
def wave(personas):
    _survey, (wave,) = make_survey(personas.researcher)
    a_mixed_wave(wave, personas.arendal, personas.sola)
    return wave


def _get(client, user, wave, query=""):
    url = reverse("api:survey_wave_results", args=[wave.survey_id, wave.identifier])
    headers = {}
    if user is not None:
        _token, raw = api_token_create(user=user, name="test", now=timezone.now())
        headers["Authorization"] = f"Bearer {raw}"
    return client.get(url + query, headers=headers)


def _table(body, name):
    return next(t for t in body["results"] if t["variable"] == name)


def test_results_by_municipality_and_gender_are_protected(client, personas, wave):
    response = _get(client, personas.researcher, wave, "?by=municipality,gender")
    assert response.status_code == 200
    body = response.json()
    assert body["by"] == ["municipality", "gender"] and body["min_n"] == 5
    assert body["respondents"] == 33
    table = _table(body, "klubb_bruk")
    groups = [row["group"] for row in table["rows"]]
    assert {"municipality": "4203", "gender": "1"} in groups
    for row in table["rows"]:
        for count in row["counts"]:
            assert count is None or count == 0 or count >= 5
        assert (row["counts"] + [row["total"]]).count(None) != 1
    # Free text is never in results.
    assert "onske" not in [t["variable"] for t in body["results"]]


def test_the_numbers_are_the_pages_numbers(client, personas, wave):
    body = _get(client, personas.researcher, wave, "?by=gender&variable=kjonn").json()
    page = client.get(reverse("surveys:wave_results", args=[wave.pk]) + "?by=gender&sporsmal=kjonn")
    assert page.status_code == 302  # the API does not look at the session; the page needs one
    client.force_login(personas.researcher)
    page = client.get(reverse("surveys:wave_results", args=[wave.pk]) + "?by=gender&sporsmal=kjonn")
    (table,) = page.context["tables"]
    assert body["results"] == [table.as_dict()]


def test_a_municipal_coordinator_gets_their_own_municipality(client, personas, wave):
    body = _get(client, personas.a.leader, wave, "?by=gender").json()
    assert body["municipality"] == "4203"
    assert body["respondents"] == 24
    response = _get(client, personas.a.leader, wave, "?municipality=1124")
    assert response.status_code == 404


def test_without_a_token_the_answer_is_401(client, wave):
    response = _get(client, None, wave)
    assert response.status_code == 401
    assert "API-nøkkel" in response.json()["error"]


def test_roles_without_results_get_403(client, personas, wave):
    response = _get(client, personas.a.teacher, wave)
    assert response.status_code == 403


def test_bad_splits_and_variables_get_400(client, personas, wave):
    response = _get(client, personas.researcher, wave, "?by=shoe")
    assert response.status_code == 400
    assert "Kan ikke fordele på «shoe»" in response.json()["error"]
    response = _get(client, personas.researcher, wave, "?by=gender,grade,age")
    assert response.status_code == 400
    response = _get(client, personas.researcher, wave, "?variable=onske")
    assert response.status_code == 400


def test_an_unknown_wave_is_404_and_post_is_405(client, personas, wave):
    url = reverse("api:survey_wave_results", args=[wave.survey_id, "nope"])
    assert client.get(url).status_code in (401, 404)
    _token, raw = api_token_create(user=personas.researcher, name="t", now=timezone.now())
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get(url, headers=headers).status_code == 404
    url = reverse("api:survey_wave_results", args=[wave.survey_id, wave.identifier])
    assert client.post(url, headers=headers).status_code == 405
