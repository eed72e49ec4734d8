"""Ending a unit role in the UI: the project leader ends any, a unit's leader the other roles of
their own unit, a teacher none; nobody ends their own; audited."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from ungkultur.core.models import AuditEntry
from ungkultur.organisations.models import UnitStaff
from ungkultur.organisations.staff import unit_staff_create, unit_staff_end

pytestmark = pytest.mark.django_db


def _staff(user):
    return UnitStaff.objects.get(user=user)


def _url(staff):
    return reverse("organisations:unit_staff_end", args=[staff.pk])


@pytest.mark.parametrize("who", ["admin", "leader_a", "rector_a"])
def test_leaders_end_a_teachers_role(client, personas, who):
    client.force_login(getattr(personas, who))
    staff = _staff(personas.teacher_a)
    assert client.get(_url(staff)).status_code == 200
    end = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(_url(staff), {"end": end.isoformat()})
    assert response.status_code == 302
    assert response["Location"] == reverse("organisations:staff_list", args=["4203"])
    staff.refresh_from_db()
    assert staff.end == end
    entry = AuditEntry.objects.get(action="unitstaff.ended")
    assert entry.actor == getattr(personas, who)
    assert entry.changes["user"] == personas.teacher_a.pk
    assert entry.changes["end"] == end.isoformat()


@pytest.mark.parametrize(
    "who,person,status",
    [
        ("teacher_a", "rector_a", 403),  # a teacher is not a rector
        ("rector_a", "club_worker", 403),  # another unit
        ("rector_a", "ukm_contact", 403),
        ("coordinator", "teacher_a", 403),
        ("youth_a", "teacher_a", 403),
        ("leader_b", "teacher_a", 404),
        ("rector_b", "teacher_a", 404),
    ],
)
def test_others_may_not_end_a_role(client, personas, who, person, status):
    user = getattr(personas, person, None) or getattr(personas.a, person)
    staff = _staff(user)
    client.force_login(getattr(personas, who))
    assert client.get(_url(staff)).status_code == status
    assert client.post(_url(staff), {"end": timezone.localdate().isoformat()}).status_code == status
    staff.refresh_from_db()
    assert staff.end is None
    assert not AuditEntry.objects.exists()


def test_a_rector_may_not_end_another_rector(client, personas):
    """Leader roles are ended by the project leader, not by another leader of the unit."""
    second = UnitStaff.objects.create(
        unit=personas.a.kulturskole,
        user=personas.a.club_worker,
        role=UnitStaff.Role.RECTOR,
        start=datetime.date(2024, 1, 1),
    )
    client.force_login(personas.rector_a)
    assert client.post(_url(second), {"end": timezone.localdate().isoformat()}).status_code == 403
    second.refresh_from_db()
    assert second.end is None


def test_nobody_ends_their_own_role(personas):
    staff = UnitStaff.objects.create(
        unit=personas.a.club,
        user=personas.leader_a,
        role=UnitStaff.Role.CLUB_LEADER,
        start=datetime.date(2024, 1, 1),
    )
    with pytest.raises(PermissionDenied):
        unit_staff_end(actor=personas.leader_a, staff=staff, end=timezone.localdate())
    staff.refresh_from_db()
    assert staff.end is None
    assert not AuditEntry.objects.exists()


def test_an_end_before_the_start_is_refused(client, personas):
    client.force_login(personas.leader_a)
    staff = _staff(personas.teacher_a)
    response = client.post(_url(staff), {"end": "2019-01-01"})
    assert response.status_code == 400
    assert "Sluttdatoen må være etter startdatoen" in response.text
    staff.refresh_from_db()
    assert staff.end is None
    assert not AuditEntry.objects.exists()


def test_nobody_grants_themself_a_unit_role(personas):
    with pytest.raises(PermissionDenied):
        unit_staff_create(
            actor=personas.leader_a,
            unit=personas.a.club,
            user=personas.leader_a,
            role=UnitStaff.Role.CLUB_LEADER,
            start=timezone.localdate(),
        )
    with pytest.raises(PermissionDenied):
        unit_staff_create(
            actor=personas.rector_a,
            unit=personas.a.kulturskole,
            user=personas.youth_a,
            role=UnitStaff.Role.RECTOR,
            start=timezone.localdate(),
        )
    assert not UnitStaff.objects.filter(user__in=[personas.leader_a, personas.youth_a]).exists()
