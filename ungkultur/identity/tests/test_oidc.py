"""ID-porten and Feide login against a local issuer (oidc-provider-mock), through Django's
test client: first login, return login, cancelled, tampered or expired state, unknown issuer,
linking while logged in, unlinking audited. No national identity number is stored."""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.test import override_settings
from django.urls import reverse

from ungkultur.accounts.models import User
from ungkultur.core.models import AuditEntry
from ungkultur.identity.config import oidc_apps
from ungkultur.identity.oidc import subject_hash
from ungkultur.identity.testing import authorize, local_issuer, oidc_settings, query, set_person

pytestmark = pytest.mark.django_db

PID = "01020812345"  # what a national identity number looks like (made up)
START = "/konto/oidc/idporten/login/"
CLAIMS = {
    "email": "kari@example.org",
    "email_verified": True,
    "given_name": "Kari",
    "family_name": "Nordmann",
    "birthdate": "2011-02-01",
    "municipality": "4203",
}


@pytest.fixture
def issuer(personas):
    with local_issuer() as url, override_settings(SOCIALACCOUNT_PROVIDERS=oidc_settings(url)):
        yield url


def _login(client, issuer, sub, *, deny=False):
    start = client.post(START)
    assert start.status_code == 302
    assert start["Location"].startswith(issuer)
    back = authorize(start["Location"], sub, deny=deny)
    return client.get(back.removeprefix("http://testserver"))


def test_the_login_page_shows_only_configured_providers(client, issuer):
    page = client.get(reverse("accounts:login")).text
    assert "ID-porten" in page
    assert "Feide" not in page


def test_no_variables_no_button(client, personas):
    environ = {
        "UNGKULTUR_OIDC_FEIDE_ISSUER": "https://auth.dataporten.no",
        "UNGKULTUR_OIDC_FEIDE_CLIENT_ID": "x",
    }  # no secret
    assert oidc_apps(environ) == []
    empty = {
        "openid_connect": {
            "APPS": [],
            "provider_class": "ungkultur.identity.oidc.HashedSubjectProvider",
        }
    }
    with override_settings(SOCIALACCOUNT_PROVIDERS=empty):
        page = client.get(reverse("accounts:login")).text
    assert "ID-porten" not in page and "Feide" not in page


def test_first_login_makes_a_verified_account_without_the_national_number(client, issuer):
    set_person(issuer, PID, CLAIMS | {"pid": PID})
    response = _login(client, issuer, PID)
    assert response.status_code == 302
    user = User.objects.get(email="kari@example.org")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert (user.first_name, user.birth_year, user.municipality.code) == ("Kari", 2011, "4203")
    assert user.birth_year_verified and user.municipality_verified
    assert user.identity_provider == "idporten"
    account = SocialAccount.objects.get(user=user)
    assert account.uid == subject_hash("idporten", PID)
    assert PID not in account.uid
    # Nothing stored anywhere holds the number.
    for row in (User.objects.filter(pk=user.pk).values().get(), account.extra_data):
        assert PID not in str(row)
    assert PID not in str(list(AuditEntry.objects.values()))
    assert AuditEntry.objects.filter(action="identity.linked", actor=user).exists()


def test_return_login_finds_the_same_account_and_refreshes_claims(client, issuer):
    set_person(issuer, PID, CLAIMS)
    _login(client, issuer, PID)
    client.logout()
    set_person(issuer, PID, CLAIMS | {"municipality": "1124"})
    response = _login(client, issuer, PID)
    assert response.status_code == 302
    assert User.objects.filter(email="kari@example.org").count() == 1
    user = User.objects.get(email="kari@example.org")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert user.municipality.code == "1124"
    assert SocialAccount.objects.count() == 1


def test_cancelled_login_logs_nobody_in(client, issuer):
    start = client.post(START)
    state = query(start["Location"])["state"]
    # What ID-porten sends back when the person presses «Avbryt».
    response = client.get(
        "/konto/oidc/idporten/login/callback/", {"error": "access_denied", "state": state}
    )
    assert response.status_code == 200
    assert "Innloggingen ble avbrutt" in response.text
    assert "_auth_user_id" not in client.session
    assert not SocialAccount.objects.exists()


def test_denied_at_the_issuer_logs_nobody_in(client, issuer):
    # The local issuer's «deny» sends no state back: refused like a tampered state.
    response = _login(client, issuer, None, deny=True)
    assert response.status_code == 401
    assert "Innloggingen ble ikke fullført" in response.text
    assert "_auth_user_id" not in client.session


def test_tampered_state_is_refused(client, issuer):
    set_person(issuer, PID, CLAIMS)
    start = client.post(START)
    back = authorize(start["Location"], PID)
    params = query(back)
    bad = back.replace(params["state"], params["state"][:-2] + "xx")
    response = client.get(bad.removeprefix("http://testserver"))
    assert "_auth_user_id" not in client.session
    assert response.status_code == 401
    assert "Innloggingen ble ikke fullført" in response.text
    assert not User.objects.filter(email="kari@example.org").exists()


def test_state_from_another_session_is_refused(client, issuer, django_user_model):
    """An expired session (or one the state was never issued to) has no such state."""
    from django.test import Client

    set_person(issuer, PID, CLAIMS)
    start = client.post(START)
    back = authorize(start["Location"], PID)
    other = Client()
    response = other.get(back.removeprefix("http://testserver"))
    assert response.status_code == 401
    assert "_auth_user_id" not in other.session
    assert not User.objects.filter(email="kari@example.org").exists()


def test_an_unknown_provider_answers_404(client, issuer):
    assert client.post("/konto/oidc/ukjent/login/").status_code == 404


def test_an_existing_email_is_never_linked_by_guessing(client, issuer, personas):
    set_person(issuer, PID, CLAIMS | {"email": "ungdom.a@example.org"})
    _login(client, issuer, PID)
    assert client.session.get("_auth_user_id") != str(personas.youth_a.pk)
    assert not SocialAccount.objects.filter(user=personas.youth_a).exists()


def test_linking_while_logged_in_and_unlinking_is_audited(client, issuer, personas):
    set_person(issuer, PID, CLAIMS | {"email": "annen@example.org"})
    youth = personas.youth_a
    client.force_login(youth)
    start = client.post(START, {"process": "connect"})
    back = authorize(start["Location"], PID)
    client.get(back.removeprefix("http://testserver"))
    account = SocialAccount.objects.get(user=youth)
    youth.refresh_from_db()
    assert youth.identity_provider == "idporten" and youth.birth_year_verified
    assert AuditEntry.objects.filter(action="identity.linked", actor=youth).exists()
    response = client.post(reverse("socialaccount_connections"), {"account": account.pk})
    assert response.status_code == 302
    assert not SocialAccount.objects.exists()
    youth.refresh_from_db()
    assert youth.identity_provider == "" and not youth.birth_year_verified
    assert AuditEntry.objects.filter(action="identity.unlinked", actor=youth).exists()


def test_an_issuer_that_does_not_answer_gives_a_norwegian_page(client, personas):
    import socket

    with socket.socket() as s:  # a free loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    with override_settings(SOCIALACCOUNT_PROVIDERS=oidc_settings(dead)):
        response = client.post(START)
    assert response.status_code == 401
    assert "Innloggingen ble ikke fullført" in response.text
    assert "_auth_user_id" not in client.session
