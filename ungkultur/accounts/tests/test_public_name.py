"""The nickname at sign-up, the texts about who sees a youth's name, and the consent to be named
with the resource group (docs/privacy.md: youth are not named in public)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from ungkultur.accounts.models import Consent, User
from ungkultur.accounts.tests.helpers import registration_data

pytestmark = pytest.mark.django_db

URL = reverse("accounts:register")


@pytest.mark.parametrize(
    ("nickname", "message"),
    [
        ("nora", "Kallenavnet kan ikke inneholde fornavnet eller etternavnet ditt."),
        ("nora@example.org", "Kallenavnet kan ikke være en e-postadresse eller en nettadresse."),
        ("412 34 567", "Kallenavnet kan ha høyst 4 sifre, så det ikke kan være et telefonnummer."),
    ],
)
def test_registration_refuses_a_nickname_that_gives_the_youth_away(client, nickname, message):
    response = client.post(URL, registration_data(age=14, nickname=nickname))
    assert response.status_code == 400
    assert message in response.text
    assert not User.objects.exists()


def test_registration_says_what_is_true_about_the_name(client):
    text = client.get(URL).text
    # The old text promised "Navnet ditt vises aldri offentlig" while first names were shown.
    assert "Navnet ditt vises aldri offentlig" not in text
    assert (
        "Etternavnet ditt vises aldri offentlig, og fornavnet bare hvis du samtykker til det."
        in text
    )
    assert "vises med kallenavnet ditt, eller uten navn" in text
    assert "Står det tomt, vises ikke noe navn." in text  # the nickname's help text


def test_privacy_page_says_what_is_true_about_names(client):
    text = client.get(reverse("core:privacy")).text
    assert "Navn på ungdom vises aldri offentlig" not in text
    assert "med kallenavnet ungdommen selv har valgt, eller uten navn" in text


def test_youth_of_15_consents_to_be_named_on_min_side(client, personas):
    youth = personas.youth_a
    youth.birth_year = timezone.localdate().year - 15
    youth.save()
    client.force_login(youth)
    page = client.get(reverse("mypage:index")).text
    assert 'name="purpose" value="named"' in page
    assert "Uten dette samtykket står det bare hvor mange fra ressursgruppa" in page
    response = client.post(
        reverse("mypage:consent_give"), {"subject": youth.pk, "purpose": "named"}
    )
    assert response.status_code == 302
    consent = Consent.objects.get(subject=youth)
    assert (consent.purpose, consent.given_by, consent.status) == ("named", "self", "given")


def test_under_15_a_guardian_decides_whether_the_youth_is_named(client, personas):
    child = personas.child_a
    child.birth_year = timezone.localdate().year - 14
    child.save()
    client.force_login(child)
    response = client.post(
        reverse("mypage:consent_give"), {"subject": child.pk, "purpose": "named"}
    )
    assert response.status_code == 403
    client.force_login(personas.guardian_a)
    response = client.post(
        reverse("mypage:consent_give"), {"subject": child.pk, "purpose": "named"}
    )
    assert response.status_code == 302
    assert Consent.objects.get(subject=child).given_by == "guardian"
