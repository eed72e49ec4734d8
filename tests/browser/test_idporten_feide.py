"""ID-porten login end to end in the browser, against a local issuer (oidc-provider-mock on a
free loopback port, started here): first login, return login, cancelled login, a tampered
state, an issuer that does not answer (issue 19)."""

import re
import socket

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from tests.browser.conftest import check_page
from ungkultur.accounts.models import User
from ungkultur.identity.oidc import subject_hash
from ungkultur.identity.testing import local_issuer, oidc_settings, set_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PID = "01020812345"
CLAIMS = {
    "email": "kari@example.org",
    "email_verified": True,
    "given_name": "Kari",
    "family_name": "Nordmann",
    "birthdate": "2011-02-01",
    "municipality": "4203",
}


def _csp(issuer):
    from django.conf import settings

    policy = {**settings.CONTENT_SECURITY_POLICY}
    directives = {**policy["DIRECTIVES"]}
    directives["form-action"] = [*directives["form-action"], issuer]
    policy["DIRECTIVES"] = directives
    return policy


@pytest.fixture
def issuer(personas):
    with (
        local_issuer() as url,
        override_settings(
            SOCIALACCOUNT_PROVIDERS=oidc_settings(url), CONTENT_SECURITY_POLICY=_csp(url)
        ),
    ):
        set_person(url, PID, CLAIMS)
        yield url


def _to_issuer(page, live_server):
    page.goto(live_server.url + "/konto/logg-inn/")
    page.get_by_role("button", name="ID-porten").click()
    expect(page.get_by_role("button", name="Authorize")).to_be_visible()


def _log_in(page, live_server):
    _to_issuer(page, live_server)
    page.locator("input[name=sub]").fill(PID)
    page.get_by_role("button", name="Authorize").click()
    expect(page).to_have_url(re.compile(r"/min-side/$"))


def _log_out(page):
    page.context.clear_cookies()  # a new visit, as on another day


def test_first_and_return_login(page, live_server, issuer):
    page.goto(live_server.url + "/konto/logg-inn/")
    check_page(page, "login_with_idporten")
    _log_in(page, live_server)
    expect(page.get_by_text("Kari").first).to_be_visible()
    user = User.objects.get(email="kari@example.org")
    assert user.birth_year_verified and user.municipality_verified
    assert user.socialaccount_set.get().uid == subject_hash("idporten", PID)
    _log_out(page)
    _log_in(page, live_server)
    assert User.objects.filter(email="kari@example.org").count() == 1


def test_cancelled_login(page, live_server, issuer):
    _to_issuer(page, live_server)
    page.get_by_role("button", name="Deny").click()
    expect(page.get_by_role("heading", name="Innloggingen ble ikke fullført")).to_be_visible()
    page.console_errors.clear()  # the local issuer's page asks the web for its style sheet
    check_page(page, "login_not_completed", status_errors=(401,))
    assert not User.objects.filter(email="kari@example.org").exists()


def test_tampered_state(page, live_server, issuer):
    _to_issuer(page, live_server)
    # The issuer hands back whatever state it was given: change it on the way.
    page.evaluate(
        """() => { const f = document.querySelector('form');
        f.action = location.href.replace(
          /state=([^&]+)/, (m, v) => 'state=' + v.slice(0, -2) + 'xx'); }"""
    )
    page.locator("input[name=sub]").fill(PID)
    page.get_by_role("button", name="Authorize").click()
    expect(page.get_by_role("heading", name="Innloggingen ble ikke fullført")).to_be_visible()
    assert not User.objects.filter(email="kari@example.org").exists()


def test_unknown_issuer(page, live_server, personas):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    with override_settings(
        SOCIALACCOUNT_PROVIDERS=oidc_settings(dead), CONTENT_SECURITY_POLICY=_csp(dead)
    ):
        page.goto(live_server.url + "/konto/logg-inn/")
        page.get_by_role("button", name="ID-porten").click()
        expect(page.get_by_role("heading", name="Innloggingen ble ikke fullført")).to_be_visible()
