import re

import pytest
from django.core import mail
from django.urls import reverse

from ungkultur.testing import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Nytt-og-langt-passord-42"


def _reset_link(message):
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def test_reset_sends_an_email_with_a_working_link(client, personas):
    response = client.post(reverse("accounts:password_reset"), {"email": "ungdom.a@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ungdom.a@example.org"]
    assert message.subject == "Nytt passord til Ungkultur"
    assert "Hei, UngdomA!" in message.body

    link = _reset_link(message)
    response = client.get(link, follow=True)
    assert response.status_code == 200
    assert "Velg nytt passord" in response.text
    set_password_url = response.redirect_chain[-1][0]
    response = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    personas.youth_a.refresh_from_db()
    assert personas.youth_a.check_password(NEW_PASSWORD)
    assert not personas.youth_a.check_password(PASSWORD)


def test_reset_link_works_only_once(client, personas):
    client.post(reverse("accounts:password_reset"), {"email": "ungdom.a@example.org"})
    link = _reset_link(mail.outbox[0])
    response = client.get(link, follow=True)
    url = response.redirect_chain[-1][0]
    client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    response = client.get(link, follow=True)
    assert "Lenken virker ikke" in response.text


def test_mismatched_new_passwords_are_refused(client, personas):
    client.post(reverse("accounts:password_reset"), {"email": "ungdom.a@example.org"})
    response = client.get(_reset_link(mail.outbox[0]), follow=True)
    url = response.redirect_chain[-1][0]
    response = client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": "noe-annet-9"})
    assert response.status_code == 400
    personas.youth_a.refresh_from_db()
    assert personas.youth_a.check_password(PASSWORD)


def test_unknown_email_sends_nothing_but_looks_the_same(client, personas):
    response = client.post(reverse("accounts:password_reset"), {"email": "ingen@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_invalid_email_is_400(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "ikke-en-adresse"})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.text


def test_tampered_reset_link_is_refused(client, personas):
    response = client.get(
        reverse("accounts:password_reset_confirm", args=["MQ", "feil-token"]), follow=True
    )
    assert "Lenken virker ikke" in response.text
