"""Confirming a local account's e-mail (issue 19): what the link promises, and what breaks it."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from ungkultur.accounts.selectors import email_confirm_token
from ungkultur.core.models import AuditEntry
from ungkultur.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def youth(personas):
    return make_user(
        "ny@example.org",
        first_name="Ny",
        birth_year=2011,
        municipality=personas.arendal,
        email_confirmed_at=None,
    )


def _url(token):
    return reverse("accounts:email_confirm", args=[token])


def test_opening_the_link_confirms_nothing_the_button_does(client, youth):
    url = _url(email_confirm_token(youth))
    page = client.get(url)
    assert page.status_code == 200
    assert "Bekreft e-postadressen" in page.text
    youth.refresh_from_db()
    assert youth.email_confirmed_at is None
    assert client.post(url).status_code == 200
    youth.refresh_from_db()
    assert youth.email_confirmed_at is not None
    client.post(url)  # a second time changes nothing and writes no second audit row
    assert AuditEntry.objects.filter(action="user.email_confirmed").count() == 1


def test_a_tampered_link_is_refused(client, youth):
    token = email_confirm_token(youth)
    response = client.post(_url(token[:-3] + "abc"))
    assert response.status_code == 400
    assert "Lenken virker ikke" in response.text
    youth.refresh_from_db()
    assert youth.email_confirmed_at is None


def test_an_old_link_is_refused(client, youth):
    with time_machine.travel(datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC), tick=False):
        token = email_confirm_token(youth)
    with time_machine.travel(datetime.datetime(2026, 1, 9, tzinfo=datetime.UTC), tick=False):
        assert client.post(_url(token)).status_code == 400
    youth.refresh_from_db()
    assert youth.email_confirmed_at is None


def test_a_link_for_an_address_since_changed_is_refused(client, youth):
    token = email_confirm_token(youth)
    youth.email = "annen@example.org"
    youth.save()
    assert client.post(_url(token)).status_code == 400
    youth.refresh_from_db()
    assert youth.email_confirmed_at is None


def test_a_new_link_at_most_every_ten_minutes(client, youth, django_capture_on_commit_callbacks):
    client.force_login(youth)
    url = reverse("accounts:email_confirm_resend")
    assert client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            assert client.post(url).status_code == 200
    assert [m.to for m in mail.outbox] == [["ny@example.org"]]
