"""The data migration that splits unit leaders from teachers keeps partner staff working."""

import importlib

import pytest
from django.apps import apps

from ungkultur.organisations.models import UnitStaff
from ungkultur.testing import START, make_user

pytestmark = pytest.mark.django_db

leader_role = importlib.import_module(
    "ungkultur.organisations.migrations.0002_unitstaff_leader_role"
)


def test_partner_staff_become_its_leaders_and_teachers_stay_teachers(personas):
    librarian = make_user("bibliotek.a@example.org", first_name="Bibliotekar")
    staff = UnitStaff.objects.create(
        unit=personas.a.library, user=librarian, role=UnitStaff.Role.STAFF, start=START
    )
    leader_role.partner_staff_lead(apps, None)
    staff.refresh_from_db()
    assert staff.role == UnitStaff.Role.LEADER
    assert UnitStaff.objects.get(user=personas.teacher_a).role == UnitStaff.Role.TEACHER
    assert UnitStaff.objects.get(user=personas.rector_a).role == UnitStaff.Role.RECTOR
