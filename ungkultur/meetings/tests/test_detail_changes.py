"""A new title, place or online link reaches everyone as a move does: every invitee who has not
said no and the other organisers get an e-mail with an updated .ics (METHOD:REQUEST, the same
UID, SEQUENCE raised) and a notice. Other details (description, capacity) tell nobody."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from ungkultur.core.models import AuditEntry
from ungkultur.meetings import services
from ungkultur.meetings.models import Registration
from ungkultur.meetings.tests.factories import make_event
from ungkultur.participation.models import Notification

pytestmark = pytest.mark.django_db
RS = Registration.Status


@pytest.fixture
def event(personas):
    event = make_event(
        personas, title="Prosjektgruppemøte", place="Kulturhuset", organisers=[personas.leader_b]
    )
    now = timezone.now()
    Registration.objects.bulk_create(
        [
            Registration(event=event, user=personas.teacher_a, status=RS.INVITED, invited_at=now),
            Registration(
                event=event, user=personas.youth_member_a, status=RS.REGISTERED, registered_at=now
            ),
            Registration(event=event, user=personas.youth_a, status=RS.WAITING, queued_at=now),
            Registration(event=event, user=personas.rector_a, status=RS.CANCELLED),
        ]
    )
    mail.outbox.clear()
    return event


def _form(event, **changes):
    data = {
        "title": event.title,
        "place": event.place,
        "online_url": event.online_url,
        "description": event.description,
        "capacity": "",
        "registration_deadline": "",
    }
    return {**data, **changes}


def _vevent(message):
    attachments = [a for a in message.attachments if a[0] == "invite.ics"]
    assert len(attachments) == 1
    calendar = Calendar.from_ical(attachments[0][1])
    assert calendar["METHOD"] == "REQUEST"
    (vevent,) = calendar.walk("VEVENT")
    return vevent


@pytest.mark.parametrize(
    "changes, line",
    [
        ({"title": "Planleggingsmøte"}, "Ny tittel: Planleggingsmøte"),
        ({"place": "Biblioteket, 2. etasje"}, "Nytt sted: Biblioteket, 2. etasje"),
        (
            {"online_url": "https://meet.example.org/abc"},
            "Ny lenke til nettmøtet: https://meet.example.org/abc",
        ),
    ],
)
def test_title_place_or_link_tells_everyone_who_has_not_said_no(
    client, personas, event, django_capture_on_commit_callbacks, changes, line
):
    client.force_login(personas.leader_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("meetings:event_edit", args=[event.pk]), _form(event, **changes)
        )
    assert response.status_code == 302
    told = {
        personas.teacher_a.email,
        personas.youth_member_a.email,
        personas.youth_a.email,
        personas.leader_b.email,  # the other organiser, not the one who changed it
    }
    sent = {m.to[0]: m for m in mail.outbox}
    assert set(sent) == told
    message = sent[personas.teacher_a.email]
    assert message.subject.startswith("Endret: ")
    assert "«Prosjektgruppemøte»" in message.body and line in message.body
    assert "har ikke svart ennå" in message.body
    vevent = _vevent(message)
    event.refresh_from_db()
    assert event.sequence == 1 == vevent["SEQUENCE"]
    assert str(vevent["UID"]) == f"event-{event.pk}@ungkultur"
    assert str(vevent["SUMMARY"]) == event.title
    if "place" in changes:
        assert str(vevent["LOCATION"]) == "Biblioteket, 2. etasje"
    if "online_url" in changes:
        assert "https://meet.example.org/abc" in str(vevent["DESCRIPTION"])
    notices = Notification.objects.filter(kind=Notification.Kind.EVENT_CHANGED, event=event)
    assert {n.user.email for n in notices} == told
    assert all(n.emailed_at for n in notices)
    audit = AuditEntry.objects.get(action="meetings.event_update")
    assert audit.changes["told"] is True
    # The invitee sees the notice on Min side.
    client.force_login(personas.teacher_a)
    page = client.get(reverse("mypage:index")).text
    assert "har fått ny tittel, nytt sted eller ny lenke" in page


def test_a_second_change_raises_the_sequence_again(
    personas, event, django_capture_on_commit_callbacks
):
    for number, place in enumerate(("Rom 1", "Rom 2"), start=1):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            services.event_update(
                actor=personas.leader_a, event=event, place=place, now=timezone.now()
            )
        message = next(m for m in mail.outbox if m.to == [personas.teacher_a.email])
        assert _vevent(message)["SEQUENCE"] == number


def test_other_details_tell_nobody(client, personas, event, django_capture_on_commit_callbacks):
    client.force_login(personas.leader_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("meetings:event_edit", args=[event.pk]),
            _form(event, description="Ta med kaffe.", capacity="30"),
        )
    assert response.status_code == 302
    # (The one on the waiting list got a place and hears that, not of a change.)
    assert [m.subject for m in mail.outbox if m.subject.startswith("Endret")] == []
    assert not Notification.objects.filter(kind=Notification.Kind.EVENT_CHANGED).exists()
    event.refresh_from_db()
    assert event.sequence == 0 and event.capacity == 30


def test_bad_input_changes_nothing_and_tells_nobody(
    client, personas, event, django_capture_on_commit_callbacks
):
    client.force_login(personas.leader_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("meetings:event_edit", args=[event.pk]),
            _form(event, title="", place="Et nytt sted"),
        )
    assert response.status_code == 400
    assert "Feltet er påkrevet." in response.text
    event.refresh_from_db()
    assert (event.place, event.sequence) == ("Kulturhuset", 0)
    assert mail.outbox == [] and not Notification.objects.exists()


@pytest.mark.parametrize("who, status", [("teacher_a", 403), ("youth_b", 404)])
def test_only_organisers_change_it(client, personas, event, who, status):
    client.force_login(getattr(personas, who))
    response = client.post(
        reverse("meetings:event_edit", args=[event.pk]), _form(event, place="Et annet sted")
    )
    assert response.status_code == status
    event.refresh_from_db()
    assert event.place == "Kulturhuset"


def test_a_past_move_is_not_shown_as_a_new_time_after_a_title_change(
    client, personas, event, django_capture_on_commit_callbacks
):
    services.event_update(
        actor=personas.leader_a, event=event, title="Nytt navn", now=timezone.now()
    )
    client.force_login(personas.teacher_a)
    page = client.get(reverse("mypage:index")).text
    assert "Nytt navn" in page and "(nytt tidspunkt)" not in page
    start = event.starts_at + datetime.timedelta(days=1)
    services.event_move(
        actor=personas.leader_a,
        event=event,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        now=timezone.now(),
    )
    assert "(nytt tidspunkt)" in client.get(reverse("mypage:index")).text
