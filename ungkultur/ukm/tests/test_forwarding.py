"""UKM entries are forwarded only after the local show, the youth is told, and the forwarded
entries can be exported for the county festival."""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ungkultur.core.models import AuditEntry
from ungkultur.ukm.models import UkmEvent

from .test_event_views import add_entry, who_is

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def forward(client, innslag):
    return client.post(reverse("ukm:innslag_forward", args=[innslag.pk]), {"forwarded": "1"})


def test_no_forwarding_before_the_local_show(client, personas, open_event):
    innslag = add_entry(personas, open_event, name="Kaos")
    client.force_login(personas.a.ukm_contact)
    response = forward(client, innslag)
    assert response.status_code == 400
    assert "først når den lokale mønstringen har vært" in response.text
    innslag.refresh_from_db()
    assert innslag.forwarded_at is None
    assert not AuditEntry.objects.filter(action="innslag.forwarded").exists()


def test_after_the_show_the_youth_is_told(
    client, personas, open_event, django_capture_on_commit_callbacks
):
    innslag = add_entry(personas, open_event, name="Kaos")
    UkmEvent.objects.filter(pk=open_event.pk).update(starts_at=timezone.now() - DAY)
    client.force_login(personas.a.ukm_contact)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert forward(client, innslag).status_code == 302
    assert [m.to for m in mail.outbox] == [[personas.youth_a.email]]
    assert "«Kaos»" in mail.outbox[0].body and "videresendt" in mail.outbox[0].subject
    # Taking the mark away sends nothing.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("ukm:innslag_forward", args=[innslag.pk]), {"forwarded": "0"})
    assert mail.outbox == []


def test_the_forwarded_entries_export(client, personas, open_event):
    kaos = add_entry(personas, open_event, name="Kaos")
    add_entry(personas, open_event, name="Ikke videre")
    UkmEvent.objects.filter(pk=open_event.pk).update(starts_at=timezone.now() - DAY)
    client.force_login(personas.a.ukm_contact)
    forward(client, kaos)
    url = reverse("ukm:forwarded_export", args=[open_event.pk])
    page = client.get(reverse("ukm:event_manage", args=[open_event.pk]))
    assert url in page.text
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Innslag", "Type", "Videresendt", "Titler", "Personer"]
    assert len(rows) == 2 and rows[1][0] == "Kaos"
    assert rows[1][3] == "Låt" and rows[1][4].startswith("Ola ")


@pytest.mark.parametrize("who,status", [("youth_a", 403), ("teacher_a", 403), ("leader_b", 404)])
def test_the_export_is_for_the_events_staff(client, personas, open_event, who, status):
    client.force_login(who_is(personas, who))
    url = reverse("ukm:forwarded_export", args=[open_event.pk])
    assert client.get(url).status_code == status
