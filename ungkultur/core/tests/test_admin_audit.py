"""Changes made in the Django admin leave audit rows, as the services' changes do."""

import pytest
from django.urls import reverse

from ungkultur.accounts.models import User
from ungkultur.core.models import AuditEntry
from ungkultur.organisations.models import UnitStaff

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(client):
    user = User.objects.create_superuser("super@example.org", "Super-passord-1", first_name="S")
    client.force_login(user)
    return user


def test_changing_a_role_in_the_admin_is_audited(client, superuser, personas):
    staff = UnitStaff.objects.filter(user=personas.teacher_a).first()
    url = reverse("admin:organisations_unitstaff_change", args=[staff.pk])
    response = client.post(
        url,
        {
            "user": staff.user_id,
            "unit": staff.unit_id,
            "role": UnitStaff.Role.RECTOR,
            "start": staff.start.isoformat(),
            "end": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = AuditEntry.objects.get(action="unitstaff.admin_changed")
    assert entry.actor == superuser
    assert entry.object_id == str(staff.pk)
    assert entry.changes == {"role": [staff.role, UnitStaff.Role.RECTOR]}


def test_deleting_in_the_admin_is_audited(client, superuser, personas):
    staff = UnitStaff.objects.filter(user=personas.teacher_a).first()
    url = reverse("admin:organisations_unitstaff_delete", args=[staff.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not UnitStaff.objects.filter(pk=staff.pk).exists()
    assert AuditEntry.objects.filter(
        action="unitstaff.admin_deleted", object_id=str(staff.pk), actor=superuser
    ).exists()


def test_a_password_set_in_the_admin_is_audited_without_its_value(client, superuser, db):
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "ny@example.org",
            "first_name": "Ny",
            "usable_password": "true",
            "password1": "Et-langt-passord-9",
            "password2": "Et-langt-passord-9",
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="user.admin_added")
    assert "Et-langt-passord-9" not in str(entry.changes)
    assert entry.changes["password1"] == "***"
