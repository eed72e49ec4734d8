import datetime

import pytest
from django.utils import timezone

from ungkultur.accounts.services import api_token_create
from ungkultur.meetings.models import AgendaItem, Event
from ungkultur.meetings.services import event_move
from ungkultur.meetings.tests.factories import make_event

pytestmark = pytest.mark.django_db
URL = "/api/v1/municipalities/{code}/meetings"


def _bearer(user):
    _token, raw = api_token_create(user=user, name="test", now=timezone.now())
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _arendal_meeting(personas):
    event = make_event(personas, place="Kulturhuset", online_url="https://meet.example.org/abc")
    AgendaItem.objects.create(event=event, position=1, title="Budsjett", added_at=timezone.now())
    return event


def test_public_fields_without_token(client, personas, django_assert_max_num_queries):
    event = _arendal_meeting(personas)
    make_event(personas, municipality="sola", actor=personas.leader_b)
    # municipality, events, changes, agenda items
    with django_assert_max_num_queries(4):
        response = client.get(URL.format(code="4203"))
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    meeting = data["results"][0]
    assert meeting["id"] == event.pk
    assert meeting["kind"] == "project_group_meeting"
    assert meeting["place"] == "Kulturhuset"
    assert meeting["status"] == "planned"
    assert "online_url" not in meeting and "agenda" not in meeting


def test_members_token_adds_agenda(client, personas):
    _arendal_meeting(personas)
    data = client.get(URL.format(code="4203"), **_bearer(personas.teacher_a)).json()
    assert data["results"][0]["agenda"] == ["Budsjett"]
    stranger = client.get(URL.format(code="4203"), **_bearer(personas.teacher_b)).json()
    assert "agenda" not in stranger["results"][0]


def test_moved_meeting_keeps_first_planned_start(client, personas):
    event = make_event(personas)
    first = event.starts_at
    new = first + datetime.timedelta(days=3)
    event_move(
        actor=personas.leader_a,
        event=event,
        starts_at=new,
        ends_at=new + datetime.timedelta(hours=1),
        now=timezone.now(),
    )
    meeting = client.get(URL.format(code="4203")).json()["results"][0]
    assert meeting["starts_at"] == new.isoformat()
    assert meeting["first_planned_start"] == first.isoformat()


def test_past_period_and_bad_period(client, personas):
    make_event(personas, days=-3, title="Gammelt")
    Event.objects.update(status=Event.Status.HELD)
    assert client.get(URL.format(code="4203")).json()["count"] == 0
    past = client.get(URL.format(code="4203"), {"period": "past"}).json()
    assert [m["title"] for m in past["results"]] == ["Gammelt"]
    bad = client.get(URL.format(code="4203"), {"period": "snart"})
    assert bad.status_code == 400
    assert "Ukjent periode" in bad.json()["error"]


def test_unknown_municipality_and_wrong_method(client, personas):
    assert client.get(URL.format(code="9999")).status_code == 404
    assert client.post(URL.format(code="4203")).status_code == 405
