import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from ungkultur.core.models import AuditEntry
from ungkultur.organisations.models import Group, Membership
from ungkultur.organisations.services import membership_create, membership_end
from ungkultur.testing import make_user

pytestmark = pytest.mark.django_db

AUG = datetime.date(2025, 8, 1)


def _messages(error: ValidationError) -> list[str]:
    return [message for messages in error.message_dict.values() for message in messages]


def _youth(personas, n, *, birth_year=2011, municipality=None):
    return make_user(
        f"ung{n}@example.org",
        first_name=f"Ung{n}",
        birth_year=birth_year,
        municipality=municipality or personas.arendal,
    )


def test_create_adds_member_with_audit_row_and_email(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        membership = membership_create(
            actor=personas.leader_a,
            group=personas.a.resource_group,
            user=personas.youth_a,
            role=Membership.Role.YOUTH_MEMBER,
            start=AUG,
            end=datetime.date(2026, 8, 1),
        )
    membership.refresh_from_db()
    assert membership.user == personas.youth_a
    assert membership.end == datetime.date(2026, 8, 1)
    entry = AuditEntry.objects.get(action="membership.created")
    assert entry.actor == personas.leader_a
    assert entry.object_id == str(membership.pk)
    assert entry.changes == {
        "role": "youth_member",
        "group": personas.a.resource_group.pk,
        "group_name": personas.a.resource_group.name,
        "user": personas.youth_a.pk,
        "start": "2025-08-01",
        "end": "2026-08-01",
    }
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [personas.youth_a.email]
    assert "Ressursgruppe ungdom Arendal" in mail.outbox[0].subject
    assert "1. august 2025" in mail.outbox[0].body


def _assert_rejected(personas, message, **kwargs):
    before = Membership.objects.count()
    fields = {"actor": personas.admin, "start": AUG, **kwargs}
    with pytest.raises(ValidationError) as caught:
        membership_create(**fields)
    assert message in _messages(caught.value)
    assert Membership.objects.count() == before
    assert not AuditEntry.objects.exists()


def test_end_must_be_after_start(personas):
    _assert_rejected(
        personas,
        "Sluttdatoen må være etter startdatoen.",
        group=personas.a.project_group,
        user=personas.teacher_a,
        role=Membership.Role.KULTURSKOLE_RECTOR,
        end=AUG,
    )


def test_person_cannot_overlap_own_membership_in_same_group(personas):
    # The leader has been project leader since 2020 with no end.
    _assert_rejected(
        personas,
        "Personen er allerede medlem av gruppen i denne perioden.",
        group=personas.a.project_group,
        user=personas.leader_a,
        role=Membership.Role.CULTURE_CHIEF,
    )


def test_person_may_rejoin_after_membership_ended(personas):
    old = Membership.objects.get(group=personas.a.project_group, user=personas.leader_a)
    membership_end(actor=personas.admin, membership=old, end=AUG)
    membership = membership_create(
        actor=personas.admin,
        group=personas.a.project_group,
        user=personas.leader_a,
        role=Membership.Role.CULTURE_CHIEF,
        start=AUG,
    )
    assert membership.pk != old.pk


def test_membership_ending_before_another_starts_does_not_overlap(personas):
    membership_create(
        actor=personas.admin,
        group=personas.a.project_group,
        user=personas.teacher_a,
        role=Membership.Role.KULTURSKOLE_RECTOR,
        start=datetime.date(2024, 1, 1),
        end=AUG,
    )
    membership_create(
        actor=personas.admin,
        group=personas.a.project_group,
        user=personas.teacher_a,
        role=Membership.Role.KULTURSKOLE_RECTOR,
        start=AUG,
    )
    assert Membership.objects.filter(user=personas.teacher_a).count() == 2


def test_youth_member_must_live_in_the_groups_municipality(personas):
    _assert_rejected(
        personas,
        "Ungdomsmedlemmer må bo i Arendal.",
        group=personas.a.resource_group,
        user=personas.youth_b,
        role=Membership.Role.YOUTH_MEMBER,
    )


def test_adult_in_local_project_group_may_live_elsewhere(personas):
    membership = membership_create(
        actor=personas.admin,
        group=personas.a.project_group,
        user=personas.teacher_b,
        role=Membership.Role.ADVISER,
        start=AUG,
    )
    assert membership.group == personas.a.project_group


def test_youth_resource_group_takes_only_youth_members(personas):
    _assert_rejected(
        personas,
        "Ressursgruppen ungdom har bare ungdomsmedlemmer.",
        group=personas.a.resource_group,
        user=personas.teacher_a,
        role=Membership.Role.MEMBER,
    )


@pytest.mark.parametrize("birth_year", [2013, 2005])  # 12 and 20 in 2025
def test_youth_member_must_be_13_to_19(personas, birth_year):
    _assert_rejected(
        personas,
        "Ungdomsmedlemmer må være mellom 13 og 19 år.",
        group=personas.a.resource_group,
        user=_youth(personas, 1, birth_year=birth_year),
        role=Membership.Role.YOUTH_MEMBER,
    )


@pytest.mark.parametrize("birth_year", [2012, 2006])  # 13 and 19 in 2025
def test_youth_member_ages_13_and_19_are_accepted(personas, birth_year):
    youth = _youth(personas, 1, birth_year=birth_year)
    membership_create(
        actor=personas.admin,
        group=personas.a.resource_group,
        user=youth,
        role=Membership.Role.YOUTH_MEMBER,
        start=AUG,
    )
    assert Membership.objects.filter(user=youth).exists()


def test_youth_member_needs_a_birth_year(personas):
    _assert_rejected(
        personas,
        "Personen har ikke oppgitt fødselsår. Ungdomsmedlemmer må være 13–19 år.",
        group=personas.a.resource_group,
        user=_youth(personas, 1, birth_year=None),
        role=Membership.Role.YOUTH_MEMBER,
    )


def test_youth_member_of_national_group_needs_no_municipality(personas):
    reference = Group.objects.create(kind=Group.Kind.REFERENCE_GROUP, name="Referansegruppen")
    membership = membership_create(
        actor=personas.admin,
        group=reference,
        user=personas.youth_b,
        role=Membership.Role.YOUTH_MEMBER,
        start=AUG,
    )
    assert membership.group == reference


def _fill_resource_group(personas, *, free=0):
    # The resource group has 5 seats and 1 youth member already.
    for n in range(4 - free):
        membership_create(
            actor=personas.admin,
            group=personas.a.resource_group,
            user=_youth(personas, n),
            role=Membership.Role.YOUTH_MEMBER,
            start=AUG,
        )


def test_full_resource_group_has_no_free_seats(personas):
    _fill_resource_group(personas)
    _assert_rejected_after_fill(personas)


def _assert_rejected_after_fill(personas):
    before = Membership.objects.count()
    with pytest.raises(ValidationError) as caught:
        membership_create(
            actor=personas.admin,
            group=personas.a.resource_group,
            user=personas.youth_a,
            role=Membership.Role.YOUTH_MEMBER,
            start=AUG,
        )
    assert "Ressursgruppen har ingen ledige plasser" in _messages(caught.value)
    assert Membership.objects.count() == before


def test_last_free_seat_can_be_taken(personas):
    _fill_resource_group(personas, free=1)
    membership_create(
        actor=personas.admin,
        group=personas.a.resource_group,
        user=personas.youth_a,
        role=Membership.Role.YOUTH_MEMBER,
        start=AUG,
    )
    assert Membership.objects.filter(group=personas.a.resource_group).count() == 5


def test_seat_is_free_again_when_a_membership_has_ended(personas):
    _fill_resource_group(personas)
    first = Membership.objects.get(user=personas.youth_member_a)
    membership_end(actor=personas.admin, membership=first, end=AUG)
    membership_create(
        actor=personas.admin,
        group=personas.a.resource_group,
        user=personas.youth_a,
        role=Membership.Role.YOUTH_MEMBER,
        start=AUG,
    )
    assert Membership.objects.active_on(AUG).filter(group=personas.a.resource_group).count() == 5


def test_seats_count_members_who_start_later_in_the_period(personas):
    # Four youth start next year: from then on the group is full, so an open-ended seat from
    # now would overfill it.
    later = datetime.date(2026, 8, 1)
    for n in range(4):
        membership_create(
            actor=personas.admin,
            group=personas.a.resource_group,
            user=_youth(personas, n),
            role=Membership.Role.YOUTH_MEMBER,
            start=later,
        )
    _assert_rejected_after_fill(personas)
    membership_create(
        actor=personas.admin,
        group=personas.a.resource_group,
        user=personas.youth_a,
        role=Membership.Role.YOUTH_MEMBER,
        start=AUG,
        end=later,
    )
    assert Membership.objects.filter(user=personas.youth_a).exists()


def test_end_sets_end_date_with_audit_row(personas):
    membership = Membership.objects.get(user=personas.youth_member_a)
    membership_end(actor=personas.leader_a, membership=membership, end=AUG)
    membership.refresh_from_db()
    assert membership.end == AUG
    entry = AuditEntry.objects.get(action="membership.ended")
    assert entry.actor == personas.leader_a
    assert entry.object_id == str(membership.pk)
    assert entry.changes == {
        "role": "youth_member",
        "group": personas.a.resource_group.pk,
        "group_name": personas.a.resource_group.name,
        "user": personas.youth_member_a.pk,
        "start": "2020-02-12",
        "end": "2025-08-01",
        "previous_end": None,
    }


def test_end_must_be_after_start_of_membership(personas):
    membership = Membership.objects.get(user=personas.youth_member_a)
    with pytest.raises(ValidationError) as caught:
        membership_end(actor=personas.admin, membership=membership, end=membership.start)
    assert "Sluttdatoen må være etter startdatoen 12. februar 2020." in _messages(caught.value)
    membership.refresh_from_db()
    assert membership.end is None
    assert not AuditEntry.objects.exists()


def test_end_cannot_move_an_end_later(personas):
    membership = Membership.objects.get(user=personas.youth_member_a)
    membership_end(actor=personas.admin, membership=membership, end=AUG)
    with pytest.raises(ValidationError) as caught:
        membership_end(actor=personas.admin, membership=membership, end=datetime.date(2025, 9, 1))
    assert "Medlemskapet slutter allerede 1. august 2025." in _messages(caught.value)
    membership.refresh_from_db()
    assert membership.end == AUG


def test_end_can_move_a_future_end_earlier(personas):
    membership = Membership.objects.get(user=personas.youth_member_a)
    membership_end(actor=personas.admin, membership=membership, end=datetime.date(2027, 1, 1))
    membership_end(actor=personas.admin, membership=membership, end=AUG)
    membership.refresh_from_db()
    assert membership.end == AUG
    assert AuditEntry.objects.filter(action="membership.ended").first().changes["previous_end"] == (
        "2027-01-01"
    )
