"""Two-factor login (issue 19): required for national roles and administrators, offered to all
staff; TOTP, passkeys and recovery codes through allauth.mfa."""

import os
import subprocess
import sys

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.conf import settings
from django.urls import reverse

from ungkultur.testing import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def required(settings):
    # As in production (the suite's settings turn it off for the other tests' personas).
    settings.UNGKULTUR_TWO_FACTOR_REQUIRED = True


def _login(client, user, url=None):
    return client.post(
        url or reverse("accounts:login"), {"username": user.email, "password": PASSWORD}
    )


def _code(secret):
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


@pytest.mark.parametrize("who", ["admin", "coordinator", "researcher"])
def test_national_roles_must_set_up_two_factor_first(client, personas, who):
    user = getattr(personas, who)
    assert _login(client, user).status_code == 302
    for url in (reverse("mypage:index"), reverse("organisations:home")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_index")
    assert client.get(reverse("mfa_index")).status_code == 200
    # Setting it up asks for the password once more (allauth's reauthentication).
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(response["Location"], {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    activated = client.post(reverse("mfa_activate_totp"), {"code": _code(secret)})
    assert activated.status_code == 302
    assert Authenticator.objects.filter(user=user, type="totp").exists()
    assert client.get(reverse("mypage:index")).status_code == 200  # no longer held back


@pytest.mark.parametrize("who", ["leader_a", "teacher_a", "youth_a"])
def test_others_are_not_held_back_but_staff_may_set_it_up(client, personas, who):
    _login(client, getattr(personas, who))
    assert client.get(reverse("mypage:index")).status_code == 200
    assert client.get(reverse("mfa_index")).status_code == 200


def test_with_totp_the_login_asks_for_the_code(client, personas):
    admin = personas.admin
    secret = generate_totp_secret()
    TOTP.activate(admin, secret)
    response = _login(client, admin)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session
    right = client.post(reverse("mfa_authenticate"), {"code": _code(secret)})
    assert right.status_code == 302
    assert client.session["_auth_user_id"] == str(admin.pk)
    assert client.get(reverse("mypage:index")).status_code == 200  # set up: not held back


def test_the_admin_login_asks_for_the_second_factor_too(client, personas):
    from ungkultur.accounts.models import User

    superuser = User.objects.create_superuser("super@example.org", PASSWORD, first_name="S")
    secret = generate_totp_secret()
    TOTP.activate(superuser, secret)
    response = _login(client, superuser, url=reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_recovery_code_works_once(client, personas):
    admin = personas.admin
    TOTP.activate(admin, generate_totp_secret())
    codes = RecoveryCodes.activate(admin)
    code = codes.get_unused_codes()[0]
    _login(client, admin)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert client.session["_auth_user_id"] == str(admin.pk)
    client.logout()
    _login(client, admin)
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert "_auth_user_id" not in client.session
    assert Authenticator.objects.filter(user=admin).count() == 2


@pytest.mark.parametrize(
    "env, required",
    [
        ({}, True),
        ({"UNGKULTUR_TWO_FACTOR_REQUIRED": "0"}, False),
        # Production never lets it go, whatever the environment says.
        (
            {
                "UNGKULTUR_TWO_FACTOR_REQUIRED": "0",
                "UNGKULTUR_ENV": "production",
                "DJANGO_SECRET_KEY": "x" * 50,
            },
            True,
        ),
    ],
)
def test_only_a_demo_machine_may_skip_two_factor(env, required):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("UNGKULTUR_", "DJANGO_"))}
    clean.update(env, DJANGO_SETTINGS_MODULE="ungkultur.settings")
    code = "from django.conf import settings; print(settings.UNGKULTUR_TWO_FACTOR_REQUIRED)"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=settings.BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip().splitlines()[-1] == str(required)
