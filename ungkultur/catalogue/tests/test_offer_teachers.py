"""Who teaches an offer: set by the unit's leader, among the unit's own teachers (docs/privacy.md: a
teacher sees and takes attendance for the groups they teach only)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ungkultur.catalogue.services import offer_set_teachers
from ungkultur.core.models import AuditEntry
from ungkultur.organisations.models import UnitStaff
from ungkultur.testing import START, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_teacher(personas):
    user = make_user("laerer2.a@example.org", first_name="Lærer2A")
    UnitStaff.objects.create(
        unit=personas.a.kulturskole, user=user, role=UnitStaff.Role.TEACHER, start=START
    )
    return user


def _url(offer):
    return reverse("catalogue:offer_teachers", args=[offer.pk])


def test_the_rector_chooses_the_teachers_among_the_units_teachers(client, personas, second_teacher):
    piano = personas.a.piano
    client.force_login(personas.rector_a)
    page = client.get(_url(piano))
    assert page.status_code == 200
    assert second_teacher.full_name in page.text
    assert personas.a.club_worker.full_name not in page.text
    response = client.post(_url(piano), {"teachers": [second_teacher.pk]})
    assert response.status_code == 302
    assert list(piano.teachers.all()) == [second_teacher]
    entry = AuditEntry.objects.get(action="offer.teachers_changed")
    assert entry.actor == personas.rector_a
    assert entry.changes == {"teachers": [[personas.teacher_a.pk], [second_teacher.pk]]}
    # The teacher taken off piano no longer takes its attendance.
    teacher = type(personas.teacher_a).objects.get(pk=personas.teacher_a.pk)
    assert not teacher.has_perm("enrolment.take_attendance", piano)


def test_someone_who_does_not_teach_in_the_unit_is_400(client, personas):
    client.force_login(personas.rector_a)
    response = client.post(_url(personas.a.piano), {"teachers": [personas.a.club_worker.pk]})
    assert response.status_code == 400
    assert list(personas.a.piano.teachers.all()) == [personas.teacher_a]
    assert not AuditEntry.objects.exists()


def test_the_service_refuses_a_teacher_who_has_left(personas):
    UnitStaff.objects.filter(user=personas.teacher_a).update(end=datetime.date(2021, 1, 1))
    with pytest.raises(ValidationError):
        offer_set_teachers(
            actor=personas.rector_a,
            offer=personas.a.piano,
            teachers=[personas.teacher_a],
            now=timezone.now(),
        )


@pytest.mark.parametrize(
    "who, status", [("teacher_a", 403), ("coordinator", 403), ("youth_a", 403), ("rector_b", 404)]
)
def test_others_may_not_choose_teachers(client, personas, who, status, second_teacher):
    client.force_login(getattr(personas, who))
    assert client.get(_url(personas.a.piano)).status_code == status
    response = client.post(_url(personas.a.piano), {"teachers": [second_teacher.pk]})
    assert response.status_code == status
    assert list(personas.a.piano.teachers.all()) == [personas.teacher_a]
    assert not AuditEntry.objects.exists()
