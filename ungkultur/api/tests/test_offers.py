import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from ungkultur.api import openapi
from ungkultur.catalogue.models import Category, Offer
from ungkultur.catalogue.tests.conftest import NOW, add_weekly_sessions
from ungkultur.organisations.models import Unit

pytestmark = pytest.mark.django_db

LIST = reverse("api:offer_list")


def _detail(pk):
    return reverse("api:offer_detail", args=[pk])


@pytest.fixture
def catalogue(personas, monkeypatch):
    """The personas' offers with weekly sessions, the clock at Tuesday 1 September 2026, 12:00."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return add_weekly_sessions(personas)


def _ids(response):
    return [offer["id"] for offer in response.json()["results"]]


def test_list_has_the_published_offers_of_all_municipalities(client, catalogue):
    response = client.get(LIST)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["count"] == 6
    assert data["next"] is None
    a, b = catalogue.a, catalogue.b
    # By title, then by id.
    assert _ids(response) == [
        a.piano.pk,
        b.piano.pk,
        a.workshop.pk,
        b.workshop.pk,
        a.open_club.pk,
        b.open_club.pk,
    ]


def test_list_describes_each_offer(client, catalogue):
    piano = catalogue.a.piano
    offer = next(o for o in client.get(LIST).json()["results"] if o["id"] == piano.pk)
    venue = catalogue.a.venue
    assert offer == {
        "id": piano.pk,
        "title": "Piano",
        "description": "",
        "url": f"{settings.SITE_URL}/tilbud/{piano.pk}/",
        "municipality": {"code": "4203", "name": "Arendal"},
        "unit": {
            "id": catalogue.a.kulturskole.pk,
            "kind": "kulturskole",
            "name": "Arendal kulturskole",
        },
        "category": "music",
        "age_min": 8,
        "age_max": 19,
        "price": 1800,
        "reduced_price": 900,
        "price_note": "",
        "free": False,
        "join_mode": "application",
        "capacity": 2,
        "application_deadline": "2026-06-01",
        "how_to_join": "",
        "subject_area": "music",
        "programme": "core",
        "term_start": "2026-08-01",
        "term_end": "2026-12-18",
        "venue": {
            "id": venue.pk,
            "name": "Kulturhuset Arendal",
            "address": "",
            "step_free": True,
            "accessible_toilet": False,
            "hearing_loop": False,
            "accessibility_notes": "",
        },
        "weekdays": [1],
        "next_session": {
            "id": piano.sessions.get(starts_at__date=datetime.date(2026, 9, 1)).pk,
            "starts_at": "2026-09-01T17:00:00+02:00",
            "ends_at": "2026-09-01T17:45:00+02:00",
            "weekday": 1,
            "venue": None,
            "cancelled": False,
            "cancel_reason": None,
        },
    }
    assert list(offer) == openapi.OFFER_FIELDS


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"municipality": "4203"}, ["a.piano", "a.workshop", "a.open_club"]),
        ({"municipality": "1124", "age": "9"}, ["b.piano"]),
        ({"age": "17"}, ["a.piano", "b.piano", "a.open_club", "b.open_club"]),
        ({"category": "visual_art"}, ["a.workshop", "b.workshop"]),
        ({"unit_type": "youth_club"}, ["a.open_club", "b.open_club"]),
        # Only Arendal's club has sessions (Wednesdays and Fridays).
        ({"weekday": "2"}, ["a.open_club"]),
        ({"weekday": "0"}, ["b.piano"]),
        ({"free": "true", "municipality": "4203"}, ["a.workshop", "a.open_club"]),
        (
            {"free": "false", "municipality": "4203"},
            ["a.piano", "a.workshop", "a.open_club"],
        ),
        ({"municipality": "4203", "age": "13", "weekday": "4", "free": "true"}, ["a.open_club"]),
    ],
)
def test_list_filters(client, catalogue, query, expected):
    def resolve(name):
        side, offer = name.split(".")
        return getattr(getattr(catalogue, side), offer).pk

    response = client.get(LIST, query)
    assert response.status_code == 200
    assert _ids(response) == [resolve(name) for name in expected]
    assert response.json()["count"] == len(expected)


def test_list_leaves_out_drafts_cancelled_and_ended_offers(client, catalogue):
    Offer.objects.filter(pk=catalogue.a.piano.pk).update(status=Offer.Status.DRAFT)
    Offer.objects.filter(pk=catalogue.a.workshop.pk).update(status=Offer.Status.CANCELLED)
    Offer.objects.filter(pk=catalogue.a.open_club.pk).update(
        term_start=datetime.date(2026, 1, 5), term_end=datetime.date(2026, 6, 19)
    )
    assert client.get(LIST, {"municipality": "4203"}).json() == {
        "count": 0,
        "next": None,
        "results": [],
    }


def test_list_takes_a_former_municipality_number(client, catalogue):
    response = client.get(LIST, {"municipality": "0906"})
    assert response.status_code == 200
    assert response.json()["count"] == 3


@pytest.mark.parametrize(
    "query, message",
    [
        ({"municipality": "abc"}, "Ugyldig kommunenummer: bruk fire sifre."),
        ({"age": "tolv"}, "Ugyldig alder: bruk et heltall."),
        ({"age": "-1"}, "Ugyldig alder: bruk et tall fra og med 0."),
        ({"age": "120"}, "Ugyldig alder: bruk et tall til og med 99."),
        ({"category": "cooking"}, "Ukjent category: «cooking»."),
        ({"unit_type": "school"}, "Ukjent unit_type: «school»."),
        ({"weekday": "7"}, "Ugyldig weekday: «7». Bruk 0 (mandag) til 6 (søndag)."),
        ({"weekday": "monday"}, "Ugyldig weekday: «monday». Bruk 0 (mandag) til 6 (søndag)."),
        ({"free": "yes"}, "Ugyldig verdi for free: «yes». Bruk true eller false."),
        ({"page": "0"}, "Ugyldig page: bruk et heltall fra 1."),
        ({"page": "x"}, "Ugyldig page: bruk et heltall fra 1."),
        ({"category": ""}, "Parameteren category er tom. Utelat den, eller gi den en verdi."),
    ],
)
def test_list_rejects_bad_parameters(client, catalogue, query, message):
    response = client.get(LIST, query)
    assert response.status_code == 400
    assert response.json() == {"error": message, "status": 400, "title": "Bad Request"}


@pytest.mark.parametrize(
    "query, message",
    [
        # Well-formed (the schema allows them), but there is no such thing.
        ({"municipality": "9999"}, "Fant ingen kommune med nummeret 9999."),
        ({"municipality": "0000"}, "Fant ingen kommune med nummeret 0000."),
        ({"page": "3"}, "Side 3 finnes ikke. Det er 1 side."),
    ],
)
def test_list_answers_404_for_what_is_not_there(client, catalogue, query, message):
    response = client.get(LIST, query)
    assert response.status_code == 404
    assert response.json() == {"error": message, "status": 404, "title": "Not Found"}


def test_list_pages_of_50_keep_the_filters(client, catalogue):
    Offer.objects.bulk_create(
        Offer(
            unit=catalogue.a.library,
            municipality=catalogue.arendal,
            title=f"Lesesirkel {number:02}",
            category=Category.LITERATURE,
            age_min=13,
            age_max=19,
            join_mode=Offer.JoinMode.DROP_IN,
            status=Offer.Status.PUBLISHED,
            term_start=datetime.date(2026, 8, 1),
        )
        for number in range(60)
    )
    first = client.get(LIST, {"category": "literature", "municipality": "4203"}).json()
    assert first["count"] == 60
    assert len(first["results"]) == 50
    assert first["next"] == (
        "http://testserver/api/v1/offers?category=literature&municipality=4203&page=2"
    )
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 10
    assert second["next"] is None
    assert second["results"][-1]["title"] == "Lesesirkel 59"


def test_list_query_count_does_not_grow(client, catalogue, django_assert_max_num_queries):
    Offer.objects.bulk_create(
        Offer(
            unit=catalogue.a.library,
            municipality=catalogue.arendal,
            title=f"Lesesirkel {number:02}",
            category=Category.LITERATURE,
            age_min=13,
            age_max=19,
            join_mode=Offer.JoinMode.DROP_IN,
            status=Offer.Status.PUBLISHED,
            term_start=datetime.date(2026, 8, 1),
        )
        for number in range(60)
    )
    # The municipality by number; the count; one page of offers with unit, place and
    # municipality; the next session of each; their weekdays.
    with django_assert_max_num_queries(5):
        response = client.get(LIST, {"municipality": "4203"})
    assert len(response.json()["results"]) == 50


def test_detail_has_the_offer_with_its_sessions(client, catalogue):
    workshop = catalogue.a.workshop
    cancelled = workshop.sessions.order_by("starts_at")[1]
    cancelled.cancelled_at = NOW
    cancelled.cancel_reason = "Kursholderen er syk"
    cancelled.save()
    response = client.get(_detail(workshop.pk))
    assert response.status_code == 200
    data = response.json()
    assert data["title"] == "Tegneserieverksted"
    assert data["weekdays"] == [3]
    assert len(data["sessions"]) == 13
    assert data["sessions"][0]["starts_at"] == "2026-09-03T16:00:00+02:00"
    # After summer time: still 16:00 in Oslo.
    assert data["sessions"][-1]["starts_at"] == "2026-11-26T16:00:00+01:00"
    assert data["sessions"][1]["cancelled"] is True
    assert data["sessions"][1]["cancel_reason"] == "Kursholderen er syk"
    assert data["next_session"]["starts_at"] == "2026-09-03T16:00:00+02:00"


@pytest.mark.parametrize("status", [Offer.Status.DRAFT, Offer.Status.CANCELLED])
def test_detail_of_an_unpublished_offer_is_404(client, catalogue, status, bearer):
    Offer.objects.filter(pk=catalogue.a.piano.pk).update(status=status)
    response = client.get(_detail(catalogue.a.piano.pk), **bearer(catalogue.teacher_a))
    assert response.status_code == 404
    assert response.json() == {
        "error": f"Fant ikke noe publisert tilbud med id {catalogue.a.piano.pk}.",
        "status": 404,
        "title": "Not Found",
    }


def test_detail_unknown_is_404(client, personas):
    response = client.get(_detail(999999))
    assert response.status_code == 404
    assert "error" in response.json()


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_offers_only_answer_get(client, catalogue, method):
    for url in [LIST, _detail(catalogue.a.piano.pk)]:
        response = getattr(client, method)(url)
        assert response.status_code == 405
        assert response["Allow"] == "GET, HEAD"


def test_openapi_values_match_the_models():
    assert openapi.CATEGORIES == list(Category.values)
    assert openapi.UNIT_KINDS == list(Unit.Kind.values)
    assert openapi.JOIN_MODES == list(Offer.JoinMode.values)
    assert openapi.SUBJECT_AREAS == list(Offer.SubjectArea.values)
    assert openapi.PROGRAMMES == list(Offer.Programme.values)
    schemas = openapi.OPENAPI["components"]["schemas"]
    assert set(schemas["Offer"]["properties"]) == set(openapi.OFFER_FIELDS)
