import datetime
import re

import pytest
from django.urls import reverse

from ungkultur.accounts.models import ApiToken
from ungkultur.accounts.selectors import user_for_api_token
from ungkultur.accounts.services import api_token_create
from ungkultur.core.models import AuditEntry

pytestmark = pytest.mark.django_db

CREATE = reverse("mypage:api_token_create")
NOW = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)


def revoke_url(token):
    return reverse("mypage:api_token_revoke", args=[token.pk])


@pytest.mark.parametrize("who", ["leader_a", "teacher_a", "coordinator", "researcher", "admin"])
def test_staff_create_a_token_and_see_it_once(client, personas, who):
    user = getattr(personas, who)
    client.force_login(user)
    response = client.post(CREATE, {"name": "Rapport"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    raw = re.search(r'id="api-token" type="text" value="([^"]+)"', response.text).group(1)
    assert user_for_api_token(raw, now=NOW) == user
    token = ApiToken.objects.get(user=user)
    assert token.name == "Rapport"
    assert token.key_hash != raw and raw not in token.key_hash
    assert raw not in str(dict(client.session))
    # Afterwards Min side lists the token by its prefix, never in full.
    page = client.get(reverse("mypage:index"))
    assert token.prefix in page.text
    assert raw not in page.text


@pytest.mark.parametrize("who", ["youth_a", "youth_member_a", "guardian_a", "child_a"])
def test_youth_and_guardians_may_not_create(client, personas, who):
    client.force_login(getattr(personas, who))
    response = client.post(CREATE, {"name": "Rapport"})
    assert response.status_code == 403
    assert not ApiToken.objects.exists()


def test_create_without_name_is_400(client, personas):
    client.force_login(personas.leader_a)
    response = client.post(CREATE, {"name": ""})
    assert response.status_code == 400
    assert "Gi nøkkelen et navn." in response.text
    assert 'aria-invalid="true"' in response.text
    assert not ApiToken.objects.exists()


def test_create_is_post_only(client, personas):
    client.force_login(personas.leader_a)
    assert client.get(CREATE).status_code == 405


def test_my_page_lists_live_tokens(client, personas):
    live, _raw = api_token_create(user=personas.leader_a, name="Levende", now=NOW)
    revoked, _raw = api_token_create(user=personas.leader_a, name="Gammel", now=NOW)
    revoked.revoked_at = NOW
    revoked.save()
    api_token_create(user=personas.leader_b, name="Andres", now=NOW)
    client.force_login(personas.leader_a)
    response = client.get(reverse("mypage:index"))
    assert "Levende" in response.text
    assert live.prefix in response.text
    assert "1. mars 2026" in response.text
    assert "aldri" in response.text
    assert "Gammel" not in response.text
    assert "Andres" not in response.text


def test_owner_revokes_a_token(client, personas):
    token, raw = api_token_create(user=personas.leader_a, name="Rapport", now=NOW)
    client.force_login(personas.leader_a)
    response = client.post(revoke_url(token))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert user_for_api_token(raw, now=NOW) is None
    assert AuditEntry.objects.filter(action="api_token.revoked").count() == 1


def test_a_youth_who_has_a_token_may_still_revoke_it(client, personas):
    # Tokens are no longer issued to youth (issue 19); one made before that may be revoked.
    token = ApiToken.objects.create(
        user=personas.youth_a, name="Gammel", prefix="gammel00", key_hash="0" * 64
    )
    client.force_login(personas.youth_a)
    assert client.post(revoke_url(token)).status_code == 302


@pytest.mark.parametrize("who", ["leader_b", "admin", "teacher_a"])
def test_another_persons_token_is_404(client, personas, who):
    token, raw = api_token_create(user=personas.leader_a, name="Rapport", now=NOW)
    client.force_login(getattr(personas, who))
    assert client.post(revoke_url(token)).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoked_token_is_404(client, personas):
    token, _raw = api_token_create(user=personas.leader_a, name="Rapport", now=NOW)
    client.force_login(personas.leader_a)
    client.post(revoke_url(token))
    assert client.post(revoke_url(token)).status_code == 404


def test_revoke_is_post_only(client, personas):
    token, _raw = api_token_create(user=personas.leader_a, name="Rapport", now=NOW)
    client.force_login(personas.leader_a)
    assert client.get(revoke_url(token)).status_code == 405
