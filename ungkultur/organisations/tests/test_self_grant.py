"""Least privilege (docs/privacy.md): nobody grants themself a role or a membership; a grant or a
revoke by someone else leaves an audit row and an e-mail to the municipality's project leaders."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ungkultur.accounts.models import User
from ungkultur.core.models import AuditEntry
from ungkultur.organisations.models import Membership, NationalRole, UnitStaff
from ungkultur.organisations.services import membership_create, membership_end

pytestmark = pytest.mark.django_db

SELF_GRANT = "Du kan ikke gi deg selv en rolle eller et medlemskap."


def _add(client, group, user, role="project_leader"):
    return client.post(
        reverse("organisations:membership_add", args=[group.pk]),
        {"email": user.email, "role": role, "start": "2026-01-05", "end": ""},
    )


@pytest.mark.parametrize("who", ["coordinator", "admin", "leader_a"])
def test_nobody_adds_themself_as_project_leader(client, personas, who):
    person = getattr(personas, who)
    client.force_login(person)
    before = set(Membership.objects.values_list("pk", "end"))
    response = _add(client, personas.a.project_group, person)
    assert response.status_code == 403
    assert SELF_GRANT in response.content.decode()
    assert set(Membership.objects.values_list("pk", "end")) == before
    assert not AuditEntry.objects.exists()
    assert mail.outbox == []


def test_the_service_refuses_a_self_grant_too(personas):
    with pytest.raises(PermissionDenied):
        membership_create(
            actor=personas.coordinator,
            group=personas.a.project_group,
            user=personas.coordinator,
            role=Membership.Role.PROJECT_LEADER,
            start=datetime.date(2026, 1, 5),
        )
    assert not Membership.objects.filter(
        user=personas.coordinator, group__municipality__isnull=False
    )


def test_a_grant_by_someone_else_is_audited_and_mailed_to_the_project_leader(
    client, personas, django_capture_on_commit_callbacks
):
    client.force_login(personas.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = _add(client, personas.a.project_group, personas.teacher_a, role="member")
    assert response.status_code == 302
    membership = Membership.objects.get(user=personas.teacher_a)
    entry = AuditEntry.objects.get(action="membership.created")
    assert (entry.actor, entry.object_id) == (personas.coordinator, str(membership.pk))
    to_leader = [m for m in mail.outbox if m.to == [personas.leader_a.email]]
    assert len(to_leader) == 1
    assert personas.coordinator.full_name in to_leader[0].body
    assert personas.teacher_a.full_name in to_leader[0].body
    # Sola's project leader hears nothing of Arendal's groups.
    assert not [m for m in mail.outbox if personas.leader_b.email in m.to]


def test_a_revoke_by_someone_else_is_audited_and_mailed_to_the_project_leader(
    personas, django_capture_on_commit_callbacks
):
    membership = Membership.objects.get(user=personas.youth_member_a)
    with django_capture_on_commit_callbacks(execute=True):
        membership_end(
            actor=personas.coordinator, membership=membership, end=datetime.date(2026, 6, 1)
        )
    assert AuditEntry.objects.get(action="membership.ended").actor == personas.coordinator
    (message,) = mail.outbox
    assert message.to == [personas.leader_a.email]
    assert personas.youth_member_a.full_name in message.body


def test_the_project_leader_is_not_mailed_about_their_own_grant(
    personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        membership_create(
            actor=personas.leader_a,
            group=personas.a.project_group,
            user=personas.teacher_a,
            role=Membership.Role.MEMBER,
            start=datetime.date(2026, 1, 5),
        )
    assert [m.to for m in mail.outbox] == [[personas.teacher_a.email]]
    assert AuditEntry.objects.filter(action="membership.created").count() == 1


@pytest.fixture
def superuser(client):
    user = User.objects.create_superuser("super@example.org", "Super-passord-1", first_name="S")
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    "model, fields",
    [
        ("nationalrole", {"role": NationalRole.Role.COORDINATOR}),
        ("unitstaff", {"role": UnitStaff.Role.RECTOR}),
        ("membership", {"role": Membership.Role.PROJECT_LEADER}),
    ],
)
def test_not_even_a_superuser_grants_themself_a_role_in_the_admin(
    client, superuser, personas, model, fields
):
    data = {"user": superuser.pk, "start": "2026-01-05", "end": "", **fields}
    if model == "unitstaff":
        data["unit"] = personas.a.kulturskole.pk
    if model == "membership":
        data["group"] = personas.a.project_group.pk
    counts = (NationalRole.objects.count(), UnitStaff.objects.count(), Membership.objects.count())
    response = client.post(reverse(f"admin:organisations_{model}_add"), data)
    assert response.status_code == 200
    assert SELF_GRANT in response.content.decode()
    assert (
        NationalRole.objects.count(),
        UnitStaff.objects.count(),
        Membership.objects.count(),
    ) == counts
    assert not AuditEntry.objects.exists()
