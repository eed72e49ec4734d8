"""Login hardening for staff and people's pages (issue 19)."""

import datetime

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ungkultur.accounts.models import ApiToken
from ungkultur.accounts.selectors import user_for_api_token
from ungkultur.accounts.services import api_token_create
from ungkultur.core.models import AuditEntry
from ungkultur.testing import PASSWORD, make_user

pytestmark = pytest.mark.django_db

ELEVEN = "Kort-pass-1"  # 11 characters, otherwise a fine password
TWELVE = "Kort-pass-12"
NOW = datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize("who", ["leader_a", "teacher_a", "admin", "coordinator", "researcher"])
def test_staff_passwords_have_at_least_12_characters(personas, who):
    user = getattr(personas, who)
    with pytest.raises(ValidationError, match="minst 12 tegn"):
        validate_password(ELEVEN, user)
    validate_password(TWELVE, user)


@pytest.mark.parametrize("who", ["youth_a", "guardian_a"])
def test_others_keep_the_general_minimum(personas, who):
    validate_password(ELEVEN, getattr(personas, who))


def test_a_staff_password_reset_refuses_11_characters(client, personas):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    leader = personas.leader_a
    uid = urlsafe_base64_encode(force_bytes(leader.pk))
    url = reverse(
        "accounts:password_reset_confirm", args=[uid, default_token_generator.make_token(leader)]
    )
    form_url = client.get(url)["Location"]
    response = client.post(form_url, {"new_password1": ELEVEN, "new_password2": ELEVEN})
    assert response.status_code == 400
    assert "minst 12 tegn" in response.text
    leader.refresh_from_db()
    assert leader.check_password(PASSWORD)


def _login(client, email):
    return client.post(reverse("accounts:login"), {"username": email, "password": PASSWORD})


@pytest.mark.parametrize(("who", "ends"), [("leader_a", True), ("youth_a", False)])
def test_staff_sessions_end_after_two_hours_idle(client, personas, who, ends):
    user = getattr(personas, who)
    with time_machine.travel(NOW, tick=False) as clock:
        assert _login(client, user.email).status_code == 302
        assert client.get(reverse("mypage:index")).status_code == 200
        clock.shift(datetime.timedelta(minutes=119))
        assert client.get(reverse("mypage:index")).status_code == 200  # activity moves the clock
        clock.shift(datetime.timedelta(minutes=119))
        assert client.get(reverse("mypage:index")).status_code == 200
        clock.shift(datetime.timedelta(minutes=121))
        response = client.get(reverse("mypage:index"))
    if ends:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        assert "_auth_user_id" not in client.session
    else:
        assert response.status_code == 200


def test_pages_for_a_logged_in_person_are_not_stored(client, personas):
    anonymous = client.get(reverse("organisations:home"))
    assert "no-store" not in anonymous.get("Cache-Control", "")
    client.force_login(personas.youth_a)
    for url in (reverse("mypage:index"), reverse("organisations:home")):
        cache_control = client.get(url)["Cache-Control"]
        assert "no-store" in cache_control
        assert "private" in cache_control


def test_api_tokens_expire(personas):
    token, raw = api_token_create(user=personas.leader_a, name="Rapport", now=NOW, days=30)
    assert token.expires_at == NOW + datetime.timedelta(days=30)
    assert user_for_api_token(raw, now=NOW + datetime.timedelta(days=29)) == personas.leader_a
    assert user_for_api_token(raw, now=NOW + datetime.timedelta(days=30)) is None
    audit = AuditEntry.objects.get(action="api_token.created")
    assert audit.changes["expires_at"] == token.expires_at.isoformat()
    with pytest.raises(ValidationError):
        api_token_create(user=personas.leader_a, name="For alltid", now=NOW, days=100_000)


def test_api_tokens_are_not_issued_to_youth(client, personas):
    from ungkultur.organisations.models import UnitStaff

    # A 16-year-old helping at the club is staff of a unit, and still youth.
    helper = make_user(
        "hjelper@example.org", first_name="H", birth_year=2010, municipality=personas.arendal
    )
    UnitStaff.objects.create(unit=personas.a.club, user=helper, start=datetime.date(2026, 1, 1))
    with pytest.raises(PermissionDenied):
        api_token_create(user=helper, name="Data", now=NOW)
    client.force_login(helper)
    assert client.post(reverse("mypage:api_token_create"), {"name": "Data"}).status_code == 403
    assert "API-nøkler" not in client.get(reverse("mypage:index")).text
    assert not ApiToken.objects.exists()


def test_the_token_form_offers_an_expiry(client, personas):
    client.force_login(personas.leader_a)
    response = client.post(reverse("mypage:api_token_create"), {"name": "Data", "days": "365"})
    assert response.status_code == 200
    token = ApiToken.objects.get()
    assert token.expires_at - token.created_at == datetime.timedelta(days=365)
    bad = client.post(reverse("mypage:api_token_create"), {"name": "Data", "days": "9999"})
    assert bad.status_code == 400
    assert ApiToken.objects.count() == 1


def test_min_side_offers_two_factor_to_staff_and_a_new_link_to_the_unconfirmed(client, personas):
    client.force_login(personas.leader_a)
    page = client.get(reverse("mypage:index")).text
    assert reverse("mfa_index") in page
    assert reverse("accounts:email_confirm_resend") not in page
    youth = make_user("ny@example.org", first_name="Ny", birth_year=2011, email_confirmed_at=None)
    client.force_login(youth)
    page = client.get(reverse("mypage:index")).text
    assert reverse("mfa_index") not in page
    assert reverse("accounts:email_confirm_resend") in page
