import pytest
from django.contrib.auth.models import AnonymousUser

pytestmark = pytest.mark.django_db

# Who may manage the groups of Arendal (a), Sola (b) and the national steering group.
MANAGE = {
    "admin": (True, True, True),
    "coordinator": (True, True, True),
    "leader_a": (True, False, False),
    "leader_b": (False, True, False),
    "teacher_a": (False, False, False),
    "youth_member_a": (False, False, False),
    "youth_a": (False, False, False),
    "guardian_a": (False, False, False),
    "researcher": (False, False, False),
}

# Who may see the members (also youth) of Arendal's resource group, Sola's and the steering group.
VIEW_MEMBERS = {
    "admin": (True, True, True),
    "coordinator": (True, True, True),
    "leader_a": (True, False, False),
    "leader_b": (False, True, False),
    "teacher_a": (True, False, False),
    "youth_member_a": (True, False, False),
    "youth_a": (False, False, False),
    "guardian_a": (False, False, False),
    "researcher": (False, False, False),
}


def _groups(personas):
    return (personas.a.resource_group, personas.b.resource_group, personas.steering)


@pytest.mark.parametrize("who, expected", MANAGE.items())
def test_manage_group(personas, who, expected):
    user = getattr(personas, who)
    assert tuple(user.has_perm("organisations.manage_group", g) for g in _groups(personas)) == (
        expected
    )


@pytest.mark.parametrize("who, expected", VIEW_MEMBERS.items())
def test_view_group_members(personas, who, expected):
    user = getattr(personas, who)
    assert (
        tuple(user.has_perm("organisations.view_group_members", g) for g in _groups(personas))
        == expected
    )


def test_steering_group_member_sees_its_members(personas):
    # The coordinator is a member of the steering group; a member sees fellow members.
    assert personas.coordinator.has_perm("organisations.view_group_members", personas.steering)


def test_anonymous_may_neither_manage_nor_see_members(personas):
    anonymous = AnonymousUser()
    for group in _groups(personas):
        assert not anonymous.has_perm("organisations.manage_group", group)
        assert not anonymous.has_perm("organisations.view_group_members", group)
