import pytest
from django.test import override_settings
from django.urls import reverse

from ungkultur.testing import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_links_to_reset_and_register(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert reverse("accounts:password_reset") in response.text
    assert "Glemt passord?" in response.text
    assert reverse("accounts:register") in response.text


def test_login_with_email_lands_on_my_page(client, personas):
    response = client.post(
        reverse("accounts:login"), {"username": "Ungdom.A@Example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mypage:index")
    assert client.session["_auth_user_id"] == str(personas.youth_a.pk)


def test_wrong_password_gives_a_norwegian_message(client, personas):
    response = client.post(
        reverse("accounts:login"), {"username": "ungdom.a@example.org", "password": "feil"}
    )
    assert response.status_code == 400
    assert "Feil e-post eller passord" in response.text
    assert "_auth_user_id" not in client.session


def test_inactive_account_with_right_password_is_told_why(client, personas):
    personas.youth_a.is_active = False
    personas.youth_a.save()
    response = client.post(
        reverse("accounts:login"), {"username": "ungdom.a@example.org", "password": PASSWORD}
    )
    assert response.status_code == 400
    assert "Kontoen er ikke aktiv" in response.text
    assert "_auth_user_id" not in client.session


def test_inactive_account_with_wrong_password_reveals_nothing(client, personas):
    personas.youth_a.is_active = False
    personas.youth_a.save()
    response = client.post(
        reverse("accounts:login"), {"username": "ungdom.a@example.org", "password": "feil"}
    )
    assert "Feil e-post eller passord" in response.text
    assert "Kontoen er ikke aktiv" not in response.text


def test_logout_is_post_only(client, personas):
    client.force_login(personas.youth_a)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("organisations:home")
    assert "_auth_user_id" not in client.session


def _login(client, password):
    return client.post(
        reverse("accounts:login"), {"username": "ungdom.a@example.org", "password": password}
    )


@override_settings(UNGKULTUR_LOGIN_ATTEMPTS=3)
def test_after_too_many_wrong_passwords_even_the_right_one_must_wait(client, personas):
    for _ in range(3):
        assert _login(client, "feil").status_code == 400
    response = _login(client, PASSWORD)
    assert response.status_code == 400
    assert "For mange mislykkede forsøk på å logge inn. Vent 15 minutter" in response.text
    assert "_auth_user_id" not in client.session


@override_settings(UNGKULTUR_LOGIN_ATTEMPTS=3)
def test_a_successful_login_starts_the_count_again(client, personas):
    for _ in range(2):
        _login(client, "feil")
    assert _login(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(2):
        _login(client, "feil")
    assert _login(client, PASSWORD).status_code == 302


@override_settings(UNGKULTUR_LOGIN_ATTEMPTS=3)
def test_the_wait_is_per_account(client, personas):
    for _ in range(3):
        _login(client, "feil")
    response = client.post(
        reverse("accounts:login"), {"username": "ungdom.b@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
