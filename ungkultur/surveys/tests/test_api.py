import json

import pytest
from django.urls import reverse

from ungkultur.surveys import services
from ungkultur.surveys.models import AccessCode, PendingResponse
from ungkultur.surveys.tests.factories import GOOD_ANSWERS, NOW, make_questionnaire, open_wave


@pytest.fixture
def wave(personas):
    return open_wave(personas.researcher, make_questionnaire(personas.researcher))


@pytest.fixture
def code(personas, wave):
    return services.code_batch_create(
        actor=personas.teacher_a, wave=wave, municipality=personas.arendal, count=1, now=NOW
    )[1][0]


def url(wave, identifier=None):
    return reverse(
        "api:survey_response_create", args=[wave.survey_id, identifier or wave.identifier]
    )


def post(client, wave, body, identifier=None):
    return client.post(
        url(wave, identifier), data=json.dumps(body), content_type="application/json"
    )


def test_a_response_with_a_valid_code_is_stored_once(client, personas, wave, code):
    response = post(client, wave, {"code": code, "answers": GOOD_ANSWERS, "language": "nb"})
    assert response.status_code == 201
    assert response.json() == {"stored": True, "submitted_on": response.json()["submitted_on"]}
    stored = PendingResponse.objects.get()
    assert stored.answers["aktiviteter"] == ["1", "3"]
    assert stored.municipality == personas.arendal
    again = post(client, wave, {"code": code, "answers": GOOD_ANSWERS})
    assert again.status_code == 409
    assert again.json()["error"].startswith("Denne koden er allerede brukt.")
    assert PendingResponse.objects.count() == 1


def test_bad_answers_are_listed_by_variable_and_the_code_stays_unused(client, wave, code):
    response = post(client, wave, {"code": code, "answers": {"alder": "mange"}})
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "kjonn": "Du må svare på dette spørsmålet.",
        "alder": "Skriv et tall.",
    }
    assert not AccessCode.objects.filter(used=True).exists()


def test_unknown_code_wave_and_bad_json(client, wave, code):
    assert post(client, wave, {"code": "AAAAA-AAAAA", "answers": GOOD_ANSWERS}).status_code == 403
    assert post(client, wave, {"code": code, "answers": {}}, identifier="nope").status_code == 404
    bad = client.post(url(wave), data="{", content_type="application/json")
    assert bad.status_code == 400 and bad.json()["error"] == "Innholdet er ikke gyldig JSON."
    assert post(client, wave, ["code"]).status_code == 400
    assert client.get(url(wave)).status_code == 405


def test_a_closed_wave_refuses(client, personas, wave, code):
    services.wave_close(actor=personas.researcher, wave=wave, now=NOW)
    response = post(client, wave, {"code": code, "answers": GOOD_ANSWERS})
    assert response.status_code == 409
    assert PendingResponse.objects.count() == 0
