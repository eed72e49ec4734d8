import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from ungkultur.organisations.models import UnitStaff

pytestmark = pytest.mark.django_db

# Who may run the offers of Arendal's kulturskole, Arendal's library and Sola's kulturskole.
MANAGE = {
    "admin": (True, True, True),
    "coordinator": (False, False, False),
    "researcher": (False, False, False),
    "leader_a": (True, True, False),
    "leader_b": (False, False, True),
    "rector_a": (True, False, False),
    "rector_b": (False, False, True),
    # A teacher is not a rector (docs/privacy.md): teachers take attendance, leaders run offers.
    "teacher_a": (False, False, False),
    "club_worker_a": (False, False, False),
    "teacher_b": (False, False, False),
    "youth_member_a": (False, False, False),
    "youth_a": (False, False, False),
    "guardian_a": (False, False, False),
}


def _user(personas, who):
    return personas.a.club_worker if who == "club_worker_a" else getattr(personas, who)


@pytest.mark.parametrize("who, expected", MANAGE.items())
def test_manage_unit_offers(personas, who, expected):
    user = _user(personas, who)
    units = (personas.a.kulturskole, personas.a.library, personas.b.kulturskole)
    assert tuple(user.has_perm("catalogue.manage_unit_offers", u) for u in units) == expected


@pytest.mark.parametrize("who, expected", MANAGE.items())
def test_manage_offer(personas, who, expected):
    user = _user(personas, who)
    offers = (personas.a.piano, personas.a.workshop, personas.b.piano)
    assert tuple(user.has_perm("catalogue.manage_offer", o) for o in offers) == expected


def test_staff_whose_term_has_ended_may_not_manage(personas):
    UnitStaff.objects.filter(user=personas.rector_a).update(end=datetime.date(2021, 1, 1))
    rector = type(personas.rector_a).objects.get(pk=personas.rector_a.pk)
    assert not rector.has_perm("catalogue.manage_offer", personas.a.piano)


def test_anonymous_may_not_manage(personas):
    anonymous = AnonymousUser()
    assert not anonymous.has_perm("catalogue.manage_offer", personas.a.piano)
    assert not anonymous.has_perm("catalogue.manage_unit_offers", personas.a.kulturskole)


def test_rules_without_an_object_are_false(personas):
    assert not personas.teacher_a.has_perm("catalogue.manage_offer")
