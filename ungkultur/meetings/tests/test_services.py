import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from ungkultur.core.models import AuditEntry
from ungkultur.meetings import services
from ungkultur.meetings.models import Answer, Attendance, Event, EventChange, Registration
from ungkultur.meetings.tasks import purge_event_answers
from ungkultur.meetings.tests.factories import make_event
from ungkultur.testing import make_user

pytestmark = pytest.mark.django_db
RS = Registration.Status


def _now():
    return timezone.now()


def test_event_create_records_organiser_history_and_audit(personas):
    event = make_event(personas, place="Kulturhuset")
    assert list(event.organisers.all()) == [personas.leader_a]
    change = EventChange.objects.get(event=event)
    assert change.kind == EventChange.Kind.CREATED
    assert change.starts_at == event.starts_at
    assert AuditEntry.objects.filter(
        action="meetings.event_create", object_id=str(event.pk)
    ).exists()


def test_event_create_national_with_other_organisers(personas):
    event = make_event(
        personas,
        municipality=None,
        kind=Event.Kind.COURSE,
        actor=personas.coordinator,
        organisers=[personas.admin],
    )
    assert event.is_national
    assert set(event.organisers.all()) == {personas.coordinator, personas.admin}


def test_event_create_rejects_end_before_start(personas):
    now = _now()
    with pytest.raises(ValidationError):
        services.event_create(
            actor=personas.leader_a,
            municipality=personas.arendal,
            kind=Event.Kind.THEME_MEETING,
            title="Feil",
            starts_at=now + datetime.timedelta(days=2),
            ends_at=now + datetime.timedelta(days=1),
            now=now,
        )
    assert not Event.objects.exists()


def test_invite_groups_makes_members_invitees_and_mails_them(
    personas, django_capture_on_commit_callbacks
):
    event = make_event(personas)
    with django_capture_on_commit_callbacks(execute=True):
        count = services.event_invite_groups(
            actor=personas.leader_a,
            event=event,
            groups=[personas.a.project_group, personas.a.resource_group],
            now=_now(),
        )
    assert count == 2
    assert set(event.registrations.values_list("user__email", "status")) == {
        (personas.leader_a.email, RS.INVITED),
        (personas.youth_member_a.email, RS.INVITED),
    }
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [personas.leader_a.email, personas.youth_member_a.email]
    )
    assert "Invitasjon" in mail.outbox[0].subject
    # Inviting again invites nobody new and mails nobody.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            services.event_invite_groups(
                actor=personas.leader_a, event=event, groups=[personas.a.project_group], now=_now()
            )
            == 0
        )
    assert mail.outbox == []


def _invite(event, users):
    Registration.objects.bulk_create(
        [Registration(event=event, user=u, status=RS.INVITED, invited_at=_now()) for u in users]
    )


def test_capacity_waiting_list_and_moving_up(personas, django_capture_on_commit_callbacks):
    event = make_event(personas, capacity=1)
    _invite(event, [personas.youth_member_a, personas.teacher_a, personas.youth_a])
    first = services.registration_register(actor=personas.youth_member_a, event=event, now=_now())
    second = services.registration_register(actor=personas.teacher_a, event=event, now=_now())
    third = services.registration_register(actor=personas.youth_a, event=event, now=_now())
    assert (first.status, second.status, third.status) == (RS.REGISTERED, RS.WAITING, RS.WAITING)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(actor=personas.youth_member_a, registration=first, now=_now())
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == RS.REGISTERED
    assert third.status == RS.WAITING
    assert [m.to for m in mail.outbox] == [[personas.teacher_a.email]]
    assert "fått plass" in mail.outbox[0].subject
    # Someone cancelling does not let a newcomer jump the queue.
    again = services.registration_register(actor=personas.youth_member_a, event=event, now=_now())
    assert again.status == RS.WAITING


def test_only_invitees_register_unless_open(personas):
    event = make_event(personas)
    with pytest.raises(ValidationError, match="Bare inviterte"):
        services.registration_register(actor=personas.youth_a, event=event, now=_now())
    open_event = make_event(personas, open_registration=True, title="Åpent")
    registration = services.registration_register(
        actor=personas.youth_a, event=open_event, now=_now()
    )
    assert registration.status == RS.REGISTERED


def test_registration_closes_at_deadline(personas):
    now = _now()
    event = make_event(personas, registration_deadline=now + datetime.timedelta(days=1))
    _invite(event, [personas.youth_a])
    with pytest.raises(ValidationError, match="Påmeldingsfristen"):
        services.registration_register(
            actor=personas.youth_a, event=event, now=now + datetime.timedelta(days=1)
        )
    assert event.registrations.get().status == RS.INVITED


def test_required_question_must_be_answered(personas):
    event = make_event(personas)
    services.question_add(
        actor=personas.leader_a,
        event=event,
        text="Allergier",
        required=True,
        is_sensitive=True,
        now=_now(),
    )
    _invite(event, [personas.youth_a])
    with pytest.raises(ValidationError, match="Allergier"):
        services.registration_register(actor=personas.youth_a, event=event, answers={}, now=_now())
    assert event.registrations.get().status == RS.INVITED


def test_move_keeps_registrations_tells_them_and_keeps_history(
    personas, django_capture_on_commit_callbacks
):
    event = make_event(personas)
    first_start = event.starts_at
    _invite(event, [personas.youth_a, personas.teacher_a])
    services.registration_register(actor=personas.youth_a, event=event, now=_now())
    new_start = first_start + datetime.timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        services.event_move(
            actor=personas.leader_a,
            event=event,
            starts_at=new_start,
            ends_at=new_start + datetime.timedelta(hours=2),
            reason="Kollisjon med UKM",
            now=_now(),
        )
    event.refresh_from_db()
    assert event.starts_at == new_start
    assert event.registrations.get(user=personas.youth_a).status == RS.REGISTERED
    # The registered and the invitee who has not answered yet (issue 22: only the registered
    # used to be told).
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [personas.youth_a.email, personas.teacher_a.email]
    )
    assert "Kollisjon med UKM" in mail.outbox[0].body
    history = list(event.changes.values_list("kind", "starts_at"))
    assert history == [("created", first_start), ("moved", new_start)]


def test_cancel_needs_reason_and_tells_registered(personas, django_capture_on_commit_callbacks):
    event = make_event(personas)
    _invite(event, [personas.youth_a])
    services.registration_register(actor=personas.youth_a, event=event, now=_now())
    with pytest.raises(ValidationError):
        services.event_cancel(actor=personas.leader_a, event=event, reason="  ", now=_now())
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(actor=personas.leader_a, event=event, reason="Sykdom", now=_now())
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    assert event.changes.last().kind == EventChange.Kind.CANCELLED
    assert mail.outbox[0].to == [personas.youth_a.email]
    assert "Sykdom" in mail.outbox[0].body
    with pytest.raises(ValidationError, match="avlyst"):
        services.event_move(
            actor=personas.leader_a,
            event=event,
            starts_at=event.starts_at + datetime.timedelta(days=1),
            ends_at=event.ends_at + datetime.timedelta(days=1),
            now=_now(),
        )


def test_attendance_marks_resource_group_youth_and_young_people(personas):
    event = make_event(personas, days=-1)
    adult_youth_member = make_user("voksen@example.org", first_name="Voksen", birth_year=1990)
    personas.a.resource_group.memberships.create(
        user=adult_youth_member, role="youth_member", start=datetime.date(2020, 1, 1)
    )
    services.attendance_set(
        actor=personas.leader_a,
        event=event,
        users=[personas.leader_a, personas.youth_member_a, adult_youth_member, personas.youth_a],
        now=_now(),
    )
    marks = dict(Attendance.objects.filter(event=event).values_list("user__first_name", "is_youth"))
    assert marks == {"LederA": False, "RessursA": True, "Voksen": True, "UngdomA": True}
    # Setting again replaces: who is not in the list is no longer present.
    services.attendance_set(
        actor=personas.leader_a, event=event, users=[personas.youth_member_a], now=_now()
    )
    assert list(event.attendances.values_list("user", flat=True)) == [personas.youth_member_a.pk]


def test_attendance_waits_for_the_event(personas):
    event = make_event(personas)
    with pytest.raises(ValidationError):
        services.attendance_set(actor=personas.leader_a, event=event, users=[], now=_now())


def test_held_means_not_cancelled_and_started(personas):
    past = make_event(personas, days=-2)
    cancelled = make_event(personas, days=-3, title="Avlyst")
    Event.objects.filter(pk=cancelled.pk).update(status=Event.Status.CANCELLED)
    make_event(personas, days=2, title="Senere")
    assert list(Event.objects.held(now=_now())) == [past]


def _answered_event(personas, days):
    event = make_event(personas, days=days, open_registration=True)
    sensitive = event.questions.create(text="Allergier", is_sensitive=True)
    plain = event.questions.create(text="Buss?", position=2)
    registration = Registration.objects.create(
        event=event, user=personas.youth_a, status=RS.REGISTERED
    )
    Answer.objects.create(registration=registration, question=sensitive, text="Nøtter")
    Answer.objects.create(registration=registration, question=plain, text="Ja")
    return event


def test_purge_deletes_sensitive_answers_of_ended_events_only(personas):
    ended = _answered_event(personas, days=-1)
    coming = _answered_event(personas, days=3)
    call_command("purge_event_answers", stdout=open("/dev/null", "w"))
    assert list(
        Answer.objects.filter(registration__event=ended).values_list("text", flat=True)
    ) == ["Ja"]
    assert Answer.objects.filter(registration__event=coming).count() == 2


def test_purge_task_does_the_same(personas):
    _answered_event(personas, days=-1)
    assert purge_event_answers.call() == 1
    assert not Answer.objects.filter(question__is_sensitive=True).exists()


def test_action_item_tells_owner(personas, django_capture_on_commit_callbacks):
    event = make_event(personas, days=-1)
    with django_capture_on_commit_callbacks(execute=True):
        item = services.action_item_add(
            actor=personas.leader_a,
            event=event,
            owner=personas.youth_member_a,
            what="Lage plakat",
            due=datetime.date(2027, 1, 10),
            now=_now(),
        )
    assert mail.outbox[0].to == [personas.youth_member_a.email]
    services.action_item_set_status(
        actor=personas.youth_member_a, item=item, status="done", now=_now()
    )
    item.refresh_from_db()
    assert item.status == "done" and item.closed_at is not None


def test_inviting_the_project_group_invites_its_resource_group_youth(personas):
    event = make_event(personas)
    services.event_invite_groups(
        actor=personas.leader_a, event=event, groups=[personas.a.project_group], now=_now()
    )
    assert set(event.registrations.values_list("user", flat=True)) == {
        personas.leader_a.pk,
        personas.youth_member_a.pk,
    }


def test_cancelling_deletes_sensitive_answers_at_once(personas):
    event = _answered_event(personas, days=3)
    services.event_cancel(actor=personas.leader_a, event=event, reason="Syk", now=_now())
    assert list(Answer.objects.values_list("text", flat=True)) == ["Ja"]
