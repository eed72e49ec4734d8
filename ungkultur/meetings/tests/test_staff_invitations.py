"""A course for "kulturskolelærere og ungdomsarbeidere" reaches them: the organisers invite all
staff of one unit, or all staff of chosen unit kinds and roles in the municipality. The page
shows how many it reaches before anything is sent; each new invitee gets a notice and the
invitation e-mail with the .ics; nobody already on the event is invited twice."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from ungkultur.core.models import AuditEntry
from ungkultur.meetings import services
from ungkultur.meetings.models import Event, Registration
from ungkultur.meetings.tests.factories import make_event
from ungkultur.organisations.models import UnitStaff
from ungkultur.participation.models import Notification
from ungkultur.testing import START, make_user

pytestmark = pytest.mark.django_db
RS = Registration.Status


@pytest.fixture
def course(personas):
    return make_event(personas, kind=Event.Kind.COURSE, title="Kurs i inkludering")


def _url(event, name="meetings:event_invite_staff"):
    return reverse(name, args=[event.pk])


def test_the_count_is_shown_before_anything_is_sent(client, personas, course):
    client.force_login(personas.leader_a)
    response = client.get(_url(course), {"unit_kinds": ["kulturskole", "youth_club"]})
    assert response.status_code == 200
    # Teacher and rector of the kulturskole, the club's youth worker.
    assert "Inviterer 3 ansatte" in response.text
    assert not course.registrations.exists()
    assert mail.outbox == []


def test_staff_of_chosen_kinds_and_roles_are_invited_with_notice_and_calendar(
    client, personas, course, django_capture_on_commit_callbacks
):
    client.force_login(personas.leader_a)
    # Already invited: counted apart, not invited again.
    Registration.objects.create(
        event=course, user=personas.teacher_a, status=RS.REGISTERED, registered_at=timezone.now()
    )
    data = {"unit_kinds": ["kulturskole", "youth_club"], "roles": ["teacher", "youth_worker"]}
    preview = client.get(_url(course), data)
    assert "Inviterer 1 ansatt" in preview.text
    assert "1 av dem du valgte, er allerede invitert" in preview.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(course), data)
    assert response.status_code == 302
    club_worker = personas.a.club_worker
    assert dict(course.registrations.values_list("user_id", "status")) == {
        personas.teacher_a.pk: RS.REGISTERED,
        club_worker.pk: RS.INVITED,
    }
    assert [m.to for m in mail.outbox] == [[club_worker.email]]
    calendar = Calendar.from_ical(mail.outbox[0].attachments[0][1])
    assert calendar["METHOD"] == "REQUEST"
    assert str(calendar.walk("VEVENT")[0]["UID"]) == f"event-{course.pk}@ungkultur"
    notice = Notification.objects.get(kind=Notification.Kind.EVENT_INVITED)
    assert (notice.user, notice.event) == (club_worker, course)
    assert notice.emailed_at is not None  # the digest does not repeat it
    audit = AuditEntry.objects.get(action="meetings.event_invite_staff")
    assert audit.changes == {
        "unit": None,
        "unit_kinds": ["kulturskole", "youth_club"],
        "roles": ["teacher", "youth_worker"],
        "invited": 1,
    }
    # Sending the same choice again invites nobody twice.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(course), data)
    assert course.registrations.count() == 2
    assert len(mail.outbox) == 1


def test_one_units_staff_only_current_and_active(
    personas, course, django_capture_on_commit_callbacks
):
    kulturskole = personas.a.kulturskole
    gone = make_user("sluttet@example.org", first_name="Sluttet", municipality=personas.arendal)
    UnitStaff.objects.create(
        unit=kulturskole,
        user=gone,
        role=UnitStaff.Role.TEACHER,
        start=START,
        end=START + datetime.timedelta(days=30),
    )
    inactive = make_user(
        "inaktiv@example.org", first_name="Inaktiv", municipality=personas.arendal, is_active=False
    )
    UnitStaff.objects.create(
        unit=kulturskole, user=inactive, role=UnitStaff.Role.TEACHER, start=START
    )
    other = make_user("sola@example.org", first_name="Sola")
    UnitStaff.objects.create(
        unit=personas.b.kulturskole, user=other, role=UnitStaff.Role.TEACHER, start=START
    )
    with django_capture_on_commit_callbacks(execute=True):
        count = services.event_invite_staff(
            actor=personas.leader_a, event=course, unit=kulturskole, now=timezone.now()
        )
    assert count == 2
    assert set(course.registrations.values_list("user_id", flat=True)) == {
        personas.teacher_a.pk,
        personas.rector_a.pk,
    }


@pytest.mark.parametrize("who", ["teacher_a", "youth_member_a", "rector_a"])
def test_others_of_the_municipality_may_not_invite(client, personas, course, who):
    client.force_login(getattr(personas, who))
    assert client.get(_url(course)).status_code == 403
    response = client.post(_url(course), {"unit_kinds": ["kulturskole"]})
    assert response.status_code == 403
    assert not course.registrations.exists()


def test_another_municipalitys_leader_gets_404(client, personas, course):
    client.force_login(personas.leader_b)
    assert client.get(_url(course)).status_code == 404
    assert client.post(_url(course), {"unit_kinds": ["kulturskole"]}).status_code == 404
    assert not course.registrations.exists()


def test_the_coordinator_organising_the_course_may_invite(client, personas, course):
    client.force_login(personas.coordinator)
    assert client.get(_url(course), {"roles": ["teacher"]}).status_code == 200


@pytest.mark.parametrize(
    "data, message",
    [
        ({"unit": ""}, "Velg en enhet, en type enhet eller en rolle."),
        ({"unit_kinds": ["castle"]}, "Velg et gyldig valg"),
        ({"roles": ["king"]}, "Velg et gyldig valg"),
    ],
)
def test_bad_choices_change_nothing(client, personas, course, data, message):
    client.force_login(personas.leader_a)
    for response in (client.get(_url(course), data), client.post(_url(course), data)):
        assert response.status_code == 400
        assert message in response.text
    assert not course.registrations.exists()
    assert not Notification.objects.exists()
    assert not AuditEntry.objects.filter(action="meetings.event_invite_staff").exists()


def test_another_municipalitys_unit_is_refused(client, personas, course):
    client.force_login(personas.leader_a)
    response = client.post(_url(course), {"unit": personas.b.kulturskole.pk})
    assert response.status_code == 400
    assert not course.registrations.exists()
    with pytest.raises(Exception, match="kommunens egne enheter"):
        services.event_invite_staff(
            actor=personas.leader_a,
            event=course,
            unit=personas.b.kulturskole,
            now=timezone.now(),
        )


def test_national_events_have_no_staff_invitation(client, personas):
    event = make_event(
        personas, municipality=None, kind=Event.Kind.CONFERENCE, actor=personas.admin
    )
    client.force_login(personas.admin)
    assert client.get(_url(event)).status_code == 404
    detail = client.get(reverse("meetings:event_detail", args=[event.pk])).text
    assert "Inviter ansatte" not in detail


def test_the_event_page_links_to_it(client, personas, course):
    client.force_login(personas.leader_a)
    detail = client.get(reverse("meetings:event_detail", args=[course.pk])).text
    assert _url(course) in detail


def test_the_invitee_finds_the_notice_on_min_side(
    client, personas, course, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.event_invite_staff(
            actor=personas.leader_a, event=course, roles=["teacher"], now=timezone.now()
        )
    client.force_login(personas.teacher_a)
    page = client.get(reverse("mypage:index")).text
    assert "Du er invitert til «Kurs i inkludering»" in page
    assert "Varsler (1 ulest)" in page
    # A teacher with no proposals of their own is not shown an empty proposals list.
    assert "Du har ikke sendt inn noen forslag" not in page


def test_the_group_invitation_page_links_to_it(client, personas, course):
    client.force_login(personas.leader_a)
    page = client.get(reverse("meetings:event_invite", args=[course.pk])).text
    assert _url(course) in page
