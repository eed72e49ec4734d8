"""Switching a municipality on and off for KK: a confirmation with a reason, periods kept as
history, audited; the municipality is out of the national lists only while off."""

import datetime

import pytest
from django.urls import reverse

from ungkultur.core.models import AuditEntry
from ungkultur.municipalities.models import KKPeriod, Municipality
from ungkultur.municipalities.services import municipality_set_kk

pytestmark = pytest.mark.django_db

ON = reverse("organisations:municipality_kk_activate", args=["1804"])
OFF = reverse("organisations:municipality_kk_deactivate", args=["1804"])


def _bodo():
    return Municipality.objects.get(code="1804")


def test_switch_on_asks_for_confirmation_first(client, personas):
    client.force_login(personas.admin)
    response = client.get(ON)
    assert response.status_code == 200
    assert "Begrunnelse" in response.text
    assert not _bodo().kk_active
    assert not AuditEntry.objects.exists()


def test_switch_on_without_reason_changes_nothing(client, personas):
    client.force_login(personas.admin)
    response = client.post(ON, {"reason": "   "})
    assert response.status_code == 400
    assert "Skriv en begrunnelse." in response.text
    assert not _bodo().kk_active
    assert not KKPeriod.objects.exists()
    assert not AuditEntry.objects.exists()


def test_switch_on_leads_to_the_municipality_page_and_the_next_step(client, personas):
    """The finding: switching Bodø on showed no next step."""
    client.force_login(personas.admin)
    response = client.post(ON, {"reason": "Vedtak i kommunestyret 3. mars"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "organisations:municipality_detail", args=["1804"]
    )
    assert "Bodø er nå med i koordinert kulturarbeid" in response.text
    next_step = reverse("organisations:invitation_create", args=["1804"]) + "?role=project_leader"
    assert next_step in response.text
    assert "Neste steg: inviter prosjektleder" in response.text
    bodo = _bodo()
    assert bodo.kk_active
    period = KKPeriod.objects.get(municipality=bodo)
    assert period.start == bodo.kk_active_since
    assert period.end is None
    assert period.start_reason == "Vedtak i kommunestyret 3. mars"
    assert period.started_by == personas.admin
    entry = AuditEntry.objects.get(action="municipality.kk_activated")
    assert entry.actor == personas.admin
    assert entry.object_id == str(bodo.pk)
    assert entry.changes["reason"] == "Vedtak i kommunestyret 3. mars"
    assert entry.changes["period"] == period.pk


def test_off_and_on_again_keeps_med_i_kk_siden_and_the_history(personas):
    bodo = _bodo()
    first = datetime.date(2025, 1, 6)
    municipality_set_kk(
        actor=personas.admin, municipality=bodo, active=True, today=first, reason="a"
    )
    municipality_set_kk(
        actor=personas.admin,
        municipality=bodo,
        active=False,
        today=datetime.date(2025, 6, 1),
        reason="pause",
    )
    bodo.refresh_from_db()
    assert not bodo.kk_active
    municipality_set_kk(
        actor=personas.admin,
        municipality=bodo,
        active=True,
        today=datetime.date(2026, 1, 5),
        reason="igjen",
    )
    bodo.refresh_from_db()
    assert bodo.kk_active
    assert bodo.kk_active_since == first
    periods = list(KKPeriod.objects.filter(municipality=bodo).order_by("start"))
    assert [(p.start, p.end) for p in periods] == [
        (first, datetime.date(2025, 6, 1)),
        (datetime.date(2026, 1, 5), None),
    ]
    assert periods[0].end_reason == "pause"
    assert periods[0].ended_by == personas.admin
    assert list(
        AuditEntry.objects.filter(object_id=str(bodo.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["municipality.kk_activated", "municipality.kk_deactivated", "municipality.kk_activated"]


def test_switch_off_a_municipality_from_before_periods_records_its_period(client, personas):
    """Arendal was switched on before periods were kept (no KKPeriod row)."""
    client.force_login(personas.admin)
    response = client.post(
        reverse("organisations:municipality_kk_deactivate", args=["4203"]), {"reason": "Slutt"}
    )
    assert response.status_code == 302
    arendal = Municipality.objects.get(code="4203")
    assert not arendal.kk_active
    period = KKPeriod.objects.get(municipality=arendal)
    assert period.start == datetime.date(2020, 2, 12)
    assert period.end is not None
    assert period.end_reason == "Slutt"
    assert AuditEntry.objects.filter(action="municipality.kk_deactivated").count() == 1


def test_off_leaves_the_national_lists_only_while_off(client, personas):
    client.force_login(personas.admin)
    off = reverse("organisations:municipality_kk_deactivate", args=["4203"])
    on = reverse("organisations:municipality_kk_activate", args=["4203"])
    lists = [reverse("organisations:home"), reverse("organisations:national")]
    assert all("Arendal" in client.get(url).text for url in lists)
    client.post(off, {"reason": "Pause"}, follow=True)  # the message names Arendal
    assert all("Arendal" not in client.get(url).text for url in lists)
    # Its own page still opens: the history stays.
    assert (
        client.get(reverse("organisations:municipality_detail", args=["4203"])).status_code == 200
    )
    client.post(on, {"reason": "Tilbake"})
    assert all("Arendal" in client.get(url).text for url in lists)
    arendal = Municipality.objects.get(code="4203")
    assert arendal.kk_active_since == datetime.date(2020, 2, 12)


def test_switching_on_twice_says_so_and_changes_nothing(client, personas):
    client.force_login(personas.admin)
    response = client.post(
        reverse("organisations:municipality_kk_activate", args=["4203"]), {"reason": "Igjen"}
    )
    assert response.status_code == 400
    assert "Arendal er allerede med i koordinert kulturarbeid." in response.text
    assert not KKPeriod.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    "who", ["coordinator", "leader_a", "rector_a", "teacher_a", "youth_a", "researcher"]
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_others_may_not_switch_kk(client, personas, who, method):
    client.force_login(getattr(personas, who))
    response = getattr(client, method)(ON, {"reason": "Nei"} if method == "post" else None)
    assert response.status_code == 403
    assert not _bodo().kk_active
    assert not KKPeriod.objects.exists()
    assert not AuditEntry.objects.exists()


def test_anonymous_is_sent_to_login(client):
    response = client.post(ON, {"reason": "x"})
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert not _bodo().kk_active


def test_unknown_municipality_is_404(client, personas):
    client.force_login(personas.admin)
    url = reverse("organisations:municipality_kk_activate", args=["9999"])
    assert client.post(url, {"reason": "x"}).status_code == 404
