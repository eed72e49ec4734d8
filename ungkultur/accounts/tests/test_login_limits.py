"""Login hardening (issue 19): one limiter on every login form, the admin's included, counted
per account and per address; password reset limited."""

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from ungkultur.testing import PASSWORD

pytestmark = pytest.mark.django_db

SITE = reverse("accounts:login")
ADMIN = reverse("admin:login")


def _try(client, url, email, password, address="192.0.2.10"):
    return client.post(url, {"username": email, "password": password}, REMOTE_ADDR=address)


@pytest.fixture
def superuser(personas):
    from ungkultur.accounts.models import User

    return User.objects.create_superuser("super@example.org", PASSWORD, first_name="S")


@override_settings(UNGKULTUR_LOGIN_ATTEMPTS=5)
def test_admin_login_obeys_the_lockout(client, superuser):
    """The security review: 12 wrong passwords at /admin/login/, then in."""
    for _ in range(12):
        assert _try(client, ADMIN, "super@example.org", "feil").status_code in (200, 400)
    response = _try(client, ADMIN, "super@example.org", PASSWORD)
    assert "_auth_user_id" not in client.session
    assert "For mange mislykkede forsøk" in response.text


@override_settings(UNGKULTUR_LOGIN_ATTEMPTS=5)
def test_the_site_and_the_admin_share_one_count(client, superuser):
    for _ in range(3):
        _try(client, SITE, "super@example.org", "feil")
    for _ in range(2):
        _try(client, ADMIN, "super@example.org", "feil")
    for url in (SITE, ADMIN):
        _try(client, url, "super@example.org", PASSWORD)
        assert "_auth_user_id" not in client.session


@override_settings(UNGKULTUR_LOGIN_ATTEMPTS=5)
def test_the_admin_still_logs_staff_in_and_refuses_others(client, superuser, personas):
    response = _try(client, ADMIN, "super@example.org", PASSWORD)
    assert response.status_code == 302
    client.logout()
    response = _try(client, ADMIN, "ungdom.a@example.org", PASSWORD)
    assert "_auth_user_id" not in client.session


@override_settings(UNGKULTUR_LOGIN_ATTEMPTS=100, UNGKULTUR_LOGIN_ATTEMPTS_PER_ADDRESS=4)
def test_one_address_guessing_many_accounts_is_stopped(client, personas):
    """Password spraying: one guess at each of many accounts from one address."""
    emails = [
        "ungdom.a@example.org",
        "ungdom.b@example.org",
        "leder.a@example.org",
        "laerer.a@example.org",
    ]
    for email in emails:
        assert _try(client, SITE, email, "Sommer2026!").status_code == 400
    response = _try(client, SITE, "leder.b@example.org", PASSWORD)
    assert response.status_code == 400
    assert "For mange mislykkede forsøk" in response.text
    assert "_auth_user_id" not in client.session
    # Another address is not held back by this one.
    assert (
        _try(client, SITE, "leder.b@example.org", PASSWORD, address="198.51.100.7").status_code
        == 302
    )


@override_settings(UNGKULTUR_LOGIN_ATTEMPTS=100, UNGKULTUR_LOGIN_ATTEMPTS_PER_ADDRESS=4)
def test_a_good_login_does_not_clear_the_address_count(client, personas):
    for _ in range(3):
        _try(client, SITE, "ungdom.b@example.org", "feil")
    assert _try(client, SITE, "ungdom.a@example.org", PASSWORD).status_code == 302
    client.logout()
    _try(client, SITE, "ungdom.b@example.org", "feil")
    assert _try(client, SITE, "ungdom.a@example.org", PASSWORD).status_code == 400


@override_settings(UNGKULTUR_PASSWORD_RESETS_PER_EMAIL=2)
def test_password_reset_sends_at_most_so_many_mails_an_hour(client, personas):
    url = reverse("accounts:password_reset")
    for _ in range(5):
        response = client.post(url, {"email": "ungdom.a@example.org"})
        # The same answer each time: the page does not tell that the limit is reached.
        assert response.status_code == 302
    assert len(mail.outbox) == 2


@override_settings(UNGKULTUR_PASSWORD_RESETS_PER_ADDRESS=3)
def test_password_reset_from_one_address_is_limited(client, personas):
    url = reverse("accounts:password_reset")
    for n in range(3):
        assert client.post(url, {"email": f"x{n}@example.org"}).status_code == 302
    response = client.post(url, {"email": "ungdom.a@example.org"})
    assert response.status_code == 429
    assert "For mange forespørsler" in response.text
    assert mail.outbox == []
