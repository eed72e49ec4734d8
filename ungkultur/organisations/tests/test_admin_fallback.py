"""The Django admin is a fallback for national administrators (before: refused, as they are not
``is_staff``), with every change audited (LogEntry and our audit row), also in admins registered
without AuditedAdmin; and without a way to make anyone a superuser."""

import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from ungkultur.accounts.models import User
from ungkultur.core.models import AuditEntry
from ungkultur.organisations.models import NationalRole, Organisation

pytestmark = pytest.mark.django_db


def test_a_national_admin_gets_into_the_admin(client, personas):
    assert not personas.admin.is_staff
    client.force_login(personas.admin)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "Kommuner" in response.text or "kommuner" in response.text


@pytest.mark.parametrize("who", ["coordinator", "leader_a", "rector_a", "teacher_a", "youth_a"])
def test_others_are_still_refused(client, personas, who):
    client.force_login(getattr(personas, who))
    for url in (reverse("admin:index"), reverse("admin:organisations_unit_changelist")):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]


def test_an_ended_national_admin_is_refused(client, personas):
    NationalRole.objects.filter(user=personas.admin).update(end=datetime.date(2021, 1, 1))
    client.force_login(personas.admin)
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_change_leaves_a_log_entry_and_an_audit_row(client, personas):
    client.force_login(personas.admin)
    url = reverse("admin:organisations_organisation_change", args=[personas.nkr.pk])
    response = client.post(
        url,
        {"name": "Norsk kulturskoleråd", "short_name": "NK", "slug": "nkr", "website": ""},
    )
    assert response.status_code == 302, response.text[:2000]
    assert Organisation.objects.get(pk=personas.nkr.pk).short_name == "NK"
    assert LogEntry.objects.get().user == personas.admin
    entry = AuditEntry.objects.get(action="organisation.admin_changed")
    assert entry.actor == personas.admin
    assert entry.changes == {"short_name": ["NKR", "NK"]}


def test_admins_registered_without_audit_are_audited_too(client, personas):
    """meetings' ActionItemAdmin and the like are plain ModelAdmins: the site wraps them."""
    from django.contrib import admin

    from ungkultur.core.admin import AuditedAdmin

    assert admin.site._registry
    assert all(isinstance(a, AuditedAdmin) for a in admin.site._registry.values())


def test_read_only_admins_stay_read_only(client, personas):
    client.force_login(personas.admin)
    assert client.get(reverse("admin:accounts_consent_add")).status_code == 403
    assert client.get(reverse("admin:core_auditentry_add")).status_code == 403


def test_no_self_grant_in_the_admin(client, personas):
    client.force_login(personas.admin)
    response = client.post(
        reverse("admin:organisations_nationalrole_add"),
        {"user": personas.admin.pk, "role": "coordinator", "start": "2026-01-01"},
    )
    assert response.status_code == 200
    assert "Du kan ikke gi deg selv en rolle" in response.text
    assert NationalRole.objects.filter(user=personas.admin).count() == 1


def test_a_national_admin_makes_nobody_superuser(client, personas):
    client.force_login(personas.admin)
    target = personas.leader_a
    url = reverse("admin:accounts_user_change", args=[target.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.text
    client.post(
        url,
        {
            "email": target.email,
            "first_name": target.first_name,
            "last_name": "Nytt",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "date_joined_0": "2020-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    target.refresh_from_db()
    assert not target.is_superuser
    assert not target.is_staff


def test_a_national_admin_does_not_touch_a_superuser(client, personas):
    root = User.objects.create_superuser("root@example.org", "Et-langt-passord-9", first_name="R")
    client.force_login(personas.admin)
    assert client.get(reverse("admin:accounts_user_change", args=[root.pk])).status_code == 200
    response = client.post(
        reverse("admin:auth_user_password_change", args=[root.pk]),
        {"password1": "Nytt-passord-123", "password2": "Nytt-passord-123"},
    )
    assert response.status_code == 403
    root.refresh_from_db()
    assert root.check_password("Et-langt-passord-9")
    response = client.post(reverse("admin:accounts_user_delete", args=[root.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert User.objects.filter(pk=root.pk).exists()


def test_kk_periods_and_invitations_are_seen_read_only(client, personas):
    from django.utils import timezone

    from ungkultur.municipalities.models import Municipality
    from ungkultur.municipalities.services import municipality_set_kk

    bodo = Municipality.objects.get(code="1804")
    municipality_set_kk(
        actor=personas.admin,
        municipality=bodo,
        active=True,
        today=timezone.localdate(),
        reason="Vedtak i kommunestyret",
    )
    client.force_login(personas.admin)
    page = client.get(reverse("admin:municipalities_municipality_change", args=[bodo.pk]))
    assert page.status_code == 200
    assert "Vedtak i kommunestyret" in page.text
    assert client.get(reverse("admin:organisations_invitation_changelist")).status_code == 200
    assert client.get(reverse("admin:organisations_invitation_add")).status_code == 403
