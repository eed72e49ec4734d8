import pytest
from django.urls import reverse
from django.utils import timezone

from ungkultur.accounts.models import ApiToken
from ungkultur.accounts.services import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db

URL = reverse("api:municipality_organisation", args=["4203"])


def _assert_401(response):
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "error" in response.json()
    assert "Authorization" in response["Vary"]


@pytest.mark.parametrize(
    "header",
    ["Token abc", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer two words", "abc"],
)
def test_malformed_authorization_is_401(client, header):
    response = client.get(URL, HTTP_AUTHORIZATION=header)
    _assert_401(response)
    assert 'error="invalid_request"' in response["WWW-Authenticate"]


def test_unknown_token_is_401(client, personas):
    response = client.get(URL, HTTP_AUTHORIZATION="Bearer not-a-real-token")
    _assert_401(response)
    assert 'error="invalid_token"' in response["WWW-Authenticate"]
    assert response.json() == {
        "error": "API-nøkkelen er ukjent eller trukket tilbake.",
        "status": 401,
        "title": "Unauthorized",
    }


def test_revoked_token_is_401(client, personas):
    token, raw = api_token_create(user=personas.leader_a, name="Test", now=timezone.now())
    api_token_revoke(actor=personas.leader_a, token=token, now=timezone.now())
    _assert_401(client.get(URL, HTTP_AUTHORIZATION=f"Bearer {raw}"))


def test_token_of_deactivated_user_is_401(client, personas):
    _token, raw = api_token_create(user=personas.leader_a, name="Test", now=timezone.now())
    personas.leader_a.is_active = False
    personas.leader_a.save()
    _assert_401(client.get(URL, HTTP_AUTHORIZATION=f"Bearer {raw}"))


def test_bearer_scheme_is_case_insensitive_and_records_use(client, personas):
    token, raw = api_token_create(user=personas.leader_a, name="Test", now=timezone.now())
    response = client.get(URL, HTTP_AUTHORIZATION=f"bearer {raw}")
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_bad_token_is_401_on_public_endpoints_too(client):
    response = client.get(
        reverse("api:municipality_list"), HTTP_AUTHORIZATION="Bearer not-a-real-token"
    )
    _assert_401(response)


def test_wrong_method_is_405_before_authentication(client):
    response = client.put(URL, HTTP_AUTHORIZATION="Bearer not-a-real-token")
    assert response.status_code == 405
    assert not ApiToken.objects.exists()
