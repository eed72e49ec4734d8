"""The indicator permissions as a role grid (docs/architecture.md)."""

import pytest

pytestmark = pytest.mark.django_db

ALL = [
    "admin",
    "coordinator",
    "researcher",
    "leader_a",
    "teacher_a",
    "youth_member_a",
    "youth_a",
    "guardian_a",
    "leader_b",
    "teacher_b",
]


@pytest.mark.parametrize(
    ("perm", "allowed"),
    [
        (
            "indicators.view_dashboard",
            {"admin", "coordinator", "researcher", "leader_a", "teacher_a"},
        ),
        ("indicators.set_targets", {"admin", "leader_a"}),
    ],
)
def test_municipal_permissions(personas, perm, allowed):
    for name in ALL:
        user = getattr(personas, name)
        assert user.has_perm(perm, personas.arendal) == (name in allowed), name


@pytest.mark.parametrize("perm", ["indicators.view_national", "indicators.download_research_data"])
def test_national_permissions(personas, perm):
    for name in ALL:
        allowed = name in {"admin", "coordinator", "researcher"}
        assert getattr(personas, name).has_perm(perm) == allowed, name


def test_club_worker_and_ukm_contact_read_their_municipality_only(personas):
    for user in (personas.a.club_worker, personas.a.ukm_contact):
        assert user.has_perm("indicators.view_dashboard", personas.arendal)
        assert not user.has_perm("indicators.view_dashboard", personas.sola)
        assert not user.has_perm("indicators.set_targets", personas.arendal)
