import datetime

import pytest
from django.urls import reverse

from ungkultur.accounts.models import ApiToken, Consent, User
from ungkultur.accounts.services import api_token_create, consent_give

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def superuser_client(client):
    user = User.objects.create_superuser("super@example.org", "Super-passord-1", first_name="S")
    client.force_login(user)
    return client


def test_user_admin_lists_and_searches_by_email(superuser_client, personas):
    response = superuser_client.get(reverse("admin:accounts_user_changelist"), {"q": "ungdom.a"})
    assert response.status_code == 200
    assert "ungdom.a@example.org" in response.text
    assert "leder.a@example.org" not in response.text


def test_user_admin_creates_a_user_with_email(superuser_client, db):
    response = superuser_client.post(
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
    assert User.objects.get(email="ny@example.org").check_password("Et-langt-passord-9")


def test_user_admin_change_page_opens(superuser_client, personas):
    response = superuser_client.get(
        reverse("admin:accounts_user_change", args=[personas.youth_a.pk])
    )
    assert response.status_code == 200
    assert "ungdom.a@example.org" in response.text


def test_api_token_admin_is_read_only_and_hides_the_hash(superuser_client, personas):
    token, raw = api_token_create(user=personas.leader_a, name="Rapport", now=NOW)
    response = superuser_client.get(reverse("admin:accounts_apitoken_change", args=[token.pk]))
    assert response.status_code == 200
    assert token.prefix in response.text
    assert token.key_hash not in response.text
    assert raw not in response.text
    assert superuser_client.get(reverse("admin:accounts_apitoken_add")).status_code == 403
    response = superuser_client.post(
        reverse("admin:accounts_apitoken_change", args=[token.pk]), {"name": "Endret"}
    )
    assert response.status_code == 403
    assert ApiToken.objects.get().name == "Rapport"


def test_consent_admin_lists_consents_read_only(superuser_client, personas):
    consent_give(actor=personas.youth_a, subject=personas.youth_a, purpose="photo", now=NOW)
    response = superuser_client.get(reverse("admin:accounts_consent_changelist"))
    assert response.status_code == 200
    assert "UngdomA" in response.text
    assert superuser_client.get(reverse("admin:accounts_consent_add")).status_code == 403
    assert Consent.objects.count() == 1


def test_guardianship_admin_lists_links(superuser_client, personas):
    response = superuser_client.get(reverse("admin:accounts_guardianship_changelist"))
    assert response.status_code == 200
    assert "ForesattA" in response.text
