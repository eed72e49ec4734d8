"""Changes reach everyone: every invitee, registered or not, and the other organisers hear that
an event moved or was cancelled, and every invitation and change carries an iCalendar file
(METHOD REQUEST/CANCEL, a stable UID and a SEQUENCE raised on each change)."""

import datetime

import pytest
from django.core import mail
from icalendar import Calendar

from ungkultur.meetings import services
from ungkultur.meetings.models import Event, Registration
from ungkultur.meetings.tests.factories import make_event
from ungkultur.testing import make_user

pytestmark = pytest.mark.django_db
RS = Registration.Status


def _ics(message) -> Calendar:
    """The one calendar attached to an e-mail, parsed back."""
    attachments = [a for a in message.attachments if a[0] == "invite.ics"]
    assert len(attachments) == 1, message.attachments
    name, content, mimetype = attachments[0]
    assert mimetype.startswith("text/calendar")
    return Calendar.from_ical(content)


def _vevent(calendar):
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return events[0]


def _by_address():
    return {m.to[0]: m for m in mail.outbox}


def _move(event, actor, days, capture, **kwargs):
    start = event.starts_at + datetime.timedelta(days=days)
    with capture(execute=True):
        return services.event_move(
            actor=actor,
            event=event,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            now=datetime.datetime.now(datetime.UTC),
            **kwargs,
        )


def test_invitation_carries_a_request(personas, django_capture_on_commit_callbacks):
    event = make_event(personas, place="Kulturhuset")
    with django_capture_on_commit_callbacks(execute=True):
        services.event_invite_groups(
            actor=personas.leader_a,
            event=event,
            groups=[personas.a.project_group],
            now=datetime.datetime.now(datetime.UTC),
        )
    message = _by_address()[personas.youth_member_a.email]
    calendar = _ics(message)
    assert calendar["METHOD"] == "REQUEST"
    vevent = _vevent(calendar)
    assert str(vevent["UID"]) == f"event-{event.pk}@ungkultur"
    assert vevent["SEQUENCE"] == 0
    assert vevent.decoded("DTSTART") == event.starts_at
    assert str(vevent["LOCATION"]) == "Kulturhuset"
    assert str(vevent["ATTENDEE"]) == f"mailto:{personas.youth_member_a.email}"
    assert str(vevent["ORGANIZER"]).startswith("mailto:") and "<" not in str(vevent["ORGANIZER"])


def test_moving_tells_every_invitee_with_an_updated_calendar(
    personas, django_capture_on_commit_callbacks
):
    event = make_event(personas)
    Registration.objects.bulk_create(
        Registration(event=event, user=u, status=RS.INVITED, invited_at=event.created_at)
        for u in (personas.youth_a, personas.teacher_a, personas.rector_a, personas.youth_member_a)
    )
    services.registration_register(
        actor=personas.youth_a, event=event, now=datetime.datetime.now(datetime.UTC)
    )
    said_no = services.registration_register(
        actor=personas.rector_a, event=event, now=datetime.datetime.now(datetime.UTC)
    )
    services.registration_cancel(
        actor=personas.rector_a, registration=said_no, now=datetime.datetime.now(datetime.UTC)
    )
    mail.outbox.clear()
    _move(event, personas.leader_a, 7, django_capture_on_commit_callbacks, reason="UKM")
    sent = _by_address()
    # Registered and not yet answered; not who said no, not the organiser who moved it.
    assert set(sent) == {
        personas.youth_a.email,
        personas.teacher_a.email,
        personas.youth_member_a.email,
    }
    assert "Påmeldingen din gjelder fortsatt" in sent[personas.youth_a.email].body
    assert "har ikke svart ennå" in sent[personas.teacher_a.email].body
    assert "Påmeldingen din gjelder" not in sent[personas.teacher_a.email].body
    event.refresh_from_db()
    first = _vevent(_ics(sent[personas.teacher_a.email]))
    assert _ics(sent[personas.teacher_a.email])["METHOD"] == "REQUEST"
    assert str(first["UID"]) == f"event-{event.pk}@ungkultur"
    assert first["SEQUENCE"] == 1 == event.sequence
    assert first.decoded("DTSTART") == event.starts_at
    # A second move: same UID, the sequence goes up again.
    mail.outbox.clear()
    _move(event, personas.leader_a, 1, django_capture_on_commit_callbacks)
    second = _vevent(_ics(_by_address()[personas.teacher_a.email]))
    assert str(second["UID"]) == str(first["UID"])
    assert second["SEQUENCE"] == 2
    assert second.decoded("DTSTART") == first.decoded("DTSTART") + datetime.timedelta(days=1)


def test_a_national_course_moved_tells_organisers_of_other_municipalities(
    personas, django_capture_on_commit_callbacks
):
    event = make_event(
        personas,
        municipality=None,
        kind=Event.Kind.COURSE,
        actor=personas.coordinator,
        organisers=[personas.leader_b, personas.leader_a],
    )
    mail.outbox.clear()
    _move(event, personas.coordinator, 3, django_capture_on_commit_callbacks)
    sent = _by_address()
    assert set(sent) == {personas.leader_a.email, personas.leader_b.email}
    assert "Du er arrangør" in sent[personas.leader_b.email].body
    assert _vevent(_ics(sent[personas.leader_b.email]))["SEQUENCE"] == 1


def test_cancelling_sends_a_cancel_to_everyone(personas, django_capture_on_commit_callbacks):
    event = make_event(personas)
    inactive = make_user("borte@example.org", first_name="Borte")
    inactive.is_active = False
    inactive.save()
    Registration.objects.bulk_create(
        Registration(event=event, user=u, status=RS.INVITED, invited_at=event.created_at)
        for u in (personas.teacher_a, inactive)
    )
    _move(event, personas.leader_a, 2, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(
            actor=personas.leader_a,
            event=event,
            reason="Sykdom",
            now=datetime.datetime.now(datetime.UTC),
        )
    assert [m.to for m in mail.outbox] == [[personas.teacher_a.email]]
    calendar = _ics(mail.outbox[0])
    assert calendar["METHOD"] == "CANCEL"
    vevent = _vevent(calendar)
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert vevent["SEQUENCE"] == 2
    assert str(vevent["UID"]) == f"event-{event.pk}@ungkultur"


def test_an_invitee_finds_the_new_time_on_min_side(
    personas, client, django_capture_on_commit_callbacks
):
    from django.urls import reverse
    from django.utils import timezone

    event = make_event(personas, title="Planleggingsmøte")
    Registration.objects.create(
        event=event, user=personas.teacher_a, status=RS.INVITED, invited_at=event.created_at
    )
    client.force_login(personas.teacher_a)
    page = client.get(reverse("mypage:index")).text
    assert "Planleggingsmøte" in page and "(nytt tidspunkt)" not in page
    _move(event, personas.leader_a, 3, django_capture_on_commit_callbacks)
    event.refresh_from_db()
    page = client.get(reverse("mypage:index")).text
    from django.utils.formats import date_format

    assert "(nytt tidspunkt)" in page
    assert date_format(timezone.localtime(event.starts_at), "j. F Y H:i") in page
