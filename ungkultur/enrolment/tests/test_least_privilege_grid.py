"""Least privilege as a grid of role × action (docs/privacy.md: sensitive answers are seen by a
meeting's organisers alone; nobody grants themselves a role; a teacher is not a rector).

Each cell is the status the action answers; a refused action leaves the database as it was.
The teacher teaches piano (personas); "another teacher's group" is a violin group of the same
kulturskole taught by someone else.
"""

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ungkultur.catalogue.models import Offer
from ungkultur.core.models import AuditEntry
from ungkultur.enrolment.models import Attendance, Enrolment, OfferRef
from ungkultur.enrolment.tests.conftest import born, make_session
from ungkultur.meetings.models import Registration
from ungkultur.meetings.tests.factories import make_event
from ungkultur.organisations.models import Membership, UnitStaff
from ungkultur.testing import START, make_user

pytestmark = pytest.mark.django_db

ALLERGY = "Nøtteallergi"
ROLES = ["teacher", "unit_leader", "project_leader", "coordinator", "youth", "other_staff"]
PERSONA = {
    "teacher": "teacher_a",
    "unit_leader": "rector_a",
    "project_leader": "leader_a",
    "coordinator": "coordinator",
    "youth": "youth_a",
    # Sola's rector: Arendal's things answer 404, as if they did not exist.
    "other_staff": "rector_b",
}
# Per action, the status for each role in ROLES' order. 302: done (and redirected).
GRID = {
    "create_offer": (403, 302, 302, 403, 403, 404),
    "cancel_offer": (403, 302, 302, 403, 403, 404),
    "start_reregistration": (403, 302, 302, 403, 403, 404),
    "import": (403, 200, 200, 403, 403, 404),
    "attendance_own_group": (302, 302, 302, 403, 403, 404),
    "attendance_other_teachers_group": (403, 302, 302, 403, 403, 404),
    # 200 here shows the page; whether it shows the sensitive answer is SEES_SENSITIVE below.
    "see_meeting_sensitive_answers": (403, 403, 200, 200, 403, 404),
    "add_self_to_group": (403, 403, 403, 403, 403, 404),
    "grant_someone_a_role": (403, 403, 302, 302, 403, 404),
}
# The meeting is organised by the project leader; the coordinator may run it but sees counts.
SEES_SENSITIVE = {"project_leader"}


@pytest.fixture
def world(current, fill):
    """Piano (the teacher's) and violin (another teacher's) running, each with a pupil and a
    session an hour ago, and a meeting with a sensitive answer."""
    a = current.a
    violin = Offer.objects.get(pk=a.piano.pk)
    violin.pk = None
    violin.title = "Fiolin"
    violin.save()
    other_teacher = make_user("laerer2.a@example.org", first_name="Lærer2A")
    UnitStaff.objects.create(
        unit=a.kulturskole, user=other_teacher, role=UnitStaff.Role.TEACHER, start=START
    )
    violin.teachers.add(other_teacher)
    sessions = {}
    for offer in (a.piano, violin):
        (enrolment,) = fill(
            offer, 1, now=timezone.now() - datetime.timedelta(days=3), birth_year=born(14)
        )
        Enrolment.objects.filter(pk=enrolment.pk).update(
            status=Enrolment.Status.ACTIVE, start=timezone.localdate() - datetime.timedelta(days=2)
        )
        sessions[offer.pk] = (
            make_session(offer, timezone.now() - datetime.timedelta(hours=1)),
            enrolment,
        )
    event = make_event(current)
    question = event.questions.create(text="Helse", is_sensitive=True)
    registration = Registration.objects.create(
        event=event,
        user=current.youth_member_a,
        status=Registration.Status.REGISTERED,
        registered_at=timezone.now(),
    )
    registration.answers.create(question=question, text=ALLERGY)
    current.violin = violin
    current.sessions = sessions
    current.event = event
    return current


def _snapshot():
    """What any of the actions would change."""
    return {
        "offers": sorted(Offer.objects.values_list("pk", "status")),
        "enrolments": sorted(
            Enrolment.objects.values_list("pk", "status", "reregistration_deadline")
        ),
        "attendance": sorted(Attendance.objects.values_list("session_id", "enrolment_id")),
        "memberships": sorted(Membership.objects.values_list("pk", "user_id", "role", "end")),
        "offer_refs": OfferRef.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def _do(client, world, action, user):
    a = world.a
    if action == "create_offer":
        return client.post(
            reverse("catalogue:offer_create", args=[a.kulturskole.pk]),
            {
                "title": "Gitar",
                "category": "music",
                "age_min": "10",
                "age_max": "15",
                "venue": "",
                "price": "0",
                "join_mode": "registration",
                "capacity": "8",
                "term_start": "2027-01-04",
                "term_end": "2027-06-18",
            },
        )
    if action == "cancel_offer":
        return client.post(
            reverse("enrolment:offer_cancel", args=[a.piano.pk]), {"reason": "Læreren er syk"}
        )
    if action == "start_reregistration":
        deadline = timezone.localdate() + datetime.timedelta(days=14)
        return client.post(
            reverse("enrolment:reregistration_open", args=[a.piano.pk]),
            {"deadline": deadline.isoformat()},
        )
    if action == "import":
        data = Path(__file__).parent / "data" / "import_good_comma.csv"
        upload = SimpleUploadedFile("import.csv", data.read_bytes(), content_type="text/csv")
        return client.post(reverse("enrolment:import", args=[a.kulturskole.pk]), {"file": upload})
    if action in ("attendance_own_group", "attendance_other_teachers_group"):
        offer = a.piano if action == "attendance_own_group" else world.violin
        session, enrolment = world.sessions[offer.pk]
        return client.post(
            reverse("enrolment:attendance", args=[session.pk]), {"present": [enrolment.pk]}
        )
    if action == "see_meeting_sensitive_answers":
        return client.get(reverse("meetings:registrations", args=[world.event.pk]))
    if action == "add_self_to_group":
        return client.post(
            reverse("organisations:membership_add", args=[a.project_group.pk]),
            {"email": user.email, "role": "project_leader", "start": "2026-01-05", "end": ""},
        )
    if action == "grant_someone_a_role":
        return client.post(
            reverse("organisations:membership_add", args=[a.project_group.pk]),
            {"email": a.club_worker.email, "role": "member", "start": "2026-01-05", "end": ""},
        )
    raise AssertionError(action)


@pytest.mark.parametrize("action", GRID)
@pytest.mark.parametrize("role", ROLES)
def test_role_action_grid(client, world, role, action, django_capture_on_commit_callbacks):
    user = getattr(world, PERSONA[role])
    expected = GRID[action][ROLES.index(role)]
    client.force_login(user)
    before = _snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        response = _do(client, world, action, user)
    assert response.status_code == expected, response.content.decode()[:500]
    if expected in (403, 404):
        assert _snapshot() == before
    elif action == "see_meeting_sensitive_answers":
        assert (ALLERGY in response.content.decode()) == (role in SEES_SENSITIVE)
        assert _snapshot() == before
    elif action == "import":
        # The import page answers 200 with its report; the rows are written.
        assert _snapshot()["offer_refs"] > before["offer_refs"]
    else:
        assert _snapshot() != before


def test_the_teacher_sees_their_group_without_the_leaders_actions(client, world):
    piano = world.a.piano
    client.force_login(world.teacher_a)
    response = client.get(reverse("enrolment:participants", args=[piano.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    session, enrolment = world.sessions[piano.pk]
    assert enrolment.participant.user.full_name in text
    assert reverse("enrolment:attendance", args=[session.pk]) in text
    for leader_only in (
        reverse("enrolment:offer_cancel", args=[piano.pk]),
        reverse("enrolment:reregistration_open", args=[piano.pk]),
        reverse("enrolment:leave", args=[enrolment.pk]),
        reverse("enrolment:session_cancel", args=[session.pk]),
    ):
        assert leader_only not in text
    client.force_login(world.rector_a)
    text = client.get(reverse("enrolment:participants", args=[piano.pk])).content.decode()
    assert reverse("enrolment:offer_cancel", args=[piano.pk]) in text
    assert reverse("enrolment:leave", args=[enrolment.pk]) in text
