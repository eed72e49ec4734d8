"""Every password message of registration and password reset in bokmål and nynorsk, never
Django's English (issue 18): too short, too common, only digits, too like one's name, not
the same twice, empty; and nothing is saved."""

import html
import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ungkultur.accounts.models import User
from ungkultur.accounts.tests.helpers import registration_data
from ungkultur.testing import make_user

pytestmark = pytest.mark.django_db

ENGLISH = ("password", "This field", "didn", "too short", "too common", "entirely numeric")
MESSAGES = {
    "nb": {
        "kort7": "Passordet er for kort. Det må ha minst 8 tegn.",
        "password123": "Dette passordet er for vanlig.",
        "40918273645": "Dette passordet inneholder bare tall.",
        "nora.nordmann": "Passordet er for likt",
        "mismatch": ("Passordene er ikke like.", "De to passordfeltene er ikke like."),
        "": "Feltet er påkrevet.",
    },
    "nn": {
        "kort7": "Passordet er for kort. Det må ha minst 8 teikn.",
        "password123": "Dette passordet er for vanleg.",
        "40918273645": "Dette passordet innehalder berre tal.",
        "nora.nordmann": "Passordet er for likt",
        "mismatch": ("Passorda er ikkje like.", "Dei to passordfelta er ikkje like."),
        "": "Feltet er påkravd.",
    },
}


def errors_of(response):
    """The visible text of the page's main part (no attributes such as autocomplete)."""
    text = response.content.decode()
    main = text[text.index("<main") : text.index("</main>")]
    return html.unescape(re.sub(r"<[^>]+>", " ", main))


def assert_norwegian(response, language, case):
    assert response.status_code in (200, 400)
    errors = errors_of(response)
    expected = MESSAGES[language][case]
    expected = (expected,) if isinstance(expected, str) else expected
    assert any(message in errors for message in expected), errors
    for word in ENGLISH:
        assert word not in errors, word


def pair(case):
    if case == "mismatch":
        return "lang-nok-passord-8", "lang-nok-passord-9"
    return case, case


@pytest.mark.parametrize("language", ["nb", "nn"])
@pytest.mark.parametrize(
    "case", ["kort7", "password123", "40918273645", "nora.nordmann", "mismatch", ""]
)
def test_registration_gives_every_password_message_in_norwegian(client, db, language, case):
    client.cookies["django_language"] = language
    password1, password2 = pair(case)
    data = registration_data(
        age=15, email="nora.nordmann@example.org", password1=password1, password2=password2
    )
    response = client.post(reverse("accounts:register"), data)
    assert_norwegian(response, language, case)
    assert not User.objects.filter(email="nora.nordmann@example.org").exists()


@pytest.mark.parametrize("language", ["nb", "nn"])
@pytest.mark.parametrize("case", ["kort7", "password123", "40918273645", "mismatch", ""])
def test_password_reset_gives_every_password_message_in_norwegian(client, db, language, case):
    user = make_user("nora.nordmann@example.org", first_name="Nora")
    before = User.objects.get(pk=user.pk).password
    client.cookies["django_language"] = language
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    start = client.get(reverse("accounts:password_reset_confirm", args=[uid, token]))
    assert start.status_code == 302  # to the same page without the token in the address
    password1, password2 = pair(case)
    response = client.post(
        start["Location"], {"new_password1": password1, "new_password2": password2}
    )
    assert_norwegian(response, language, case)
    assert User.objects.get(pk=user.pk).password == before
