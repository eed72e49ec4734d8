"""A parent or guardian registers from the registration page (issue 18), with the youth's
protections, confirms the e-mail and adds a child from Min side."""

import re

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from ungkultur.accounts.models import Consent, Guardianship, User
from ungkultur.accounts.tests.helpers import YOUTH_PASSWORD, registration_data
from ungkultur.core.models import AuditEntry
from ungkultur.municipalities.models import Municipality
from ungkultur.participation.rules import At

pytestmark = pytest.mark.django_db

URL = reverse("accounts:register_adult")


def _data(**overrides):
    return {
        "first_name": "Kari",
        "last_name": "Nordmann",
        "email": "kari@example.org",
        "password1": YOUTH_PASSWORD,
        "password2": YOUTH_PASSWORD,
        "municipality": str(Municipality.objects.get(code="5028").pk),  # Melhus
        "accept": "on",
        **overrides,
    }


def _confirm_link(message):
    return re.search(r"https?://[^/\s]+(/konto/e-post/bekreft/\S+/)", message.body).group(1)


def test_the_youth_form_leads_a_parent_to_the_adult_form(client):
    page = client.get(reverse("accounts:register"))
    assert URL in page.text
    adult = client.get(URL)
    assert adult.status_code == 200
    assert 'name="birth_year"' not in adult.text and 'name="gender"' not in adult.text
    assert "Vi spør ikke om fødselsåret ditt." in adult.text


def test_a_parent_registers_confirms_and_adds_a_child(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, _data())
    assert response.status_code == 200
    assert "Vi har sendt en e-post til kari@example.org" in response.text
    assert "_auth_user_id" not in client.session  # nobody is logged in at registration
    parent = User.objects.get(email="kari@example.org")
    assert parent.is_active and parent.birth_year is None and parent.gender == ""
    assert parent.full_name == "Kari Nordmann" and parent.municipality.code == "5028"
    assert parent.email_confirmed_at is None
    consent = Consent.objects.get(subject=parent, purpose="registration", status="given")
    assert consent.given_by == "self" and consent.age_at_time is None
    assert AuditEntry.objects.filter(action="user.registered", object_id=str(parent.pk)).exists()
    assert [m.to for m in mail.outbox] == [["kari@example.org"]]

    # Before the e-mail is confirmed no child can be added.
    assert client.login(username="kari@example.org", password=YOUTH_PASSWORD)
    assert client.get(reverse("mypage:child_add")).status_code == 403
    client.logout()

    link = _confirm_link(mail.outbox[0])
    done = client.post(link)
    assert "Nå kan du legge til barna dine" in done.text
    login = client.post(
        reverse("accounts:login"), {"username": "kari@example.org", "password": YOUTH_PASSWORD}
    )
    assert login.url == reverse("mypage:index")
    text = client.get(login.url).text
    assert "Barna dine" in text
    assert reverse("mypage:child_add") in text

    # The form is pre-filled with the municipality chosen at registration.
    form = client.get(reverse("mypage:child_add")).text
    assert re.search(rf'<option value="{parent.municipality_id}"\s+selected', form)
    year = timezone.localdate().year
    added = client.post(
        reverse("mypage:child_add"),
        {
            "first_name": "Mia",
            "birth_year": str(year - 11),
            "municipality": str(parent.municipality_id),
            "accept": "on",
        },
    )
    assert added.status_code == 302
    child = User.objects.get(first_name="Mia")
    assert child.municipality.code == "5028"
    assert Guardianship.objects.get(guardian=parent, child=child).confirmed_at is not None
    assert "Mia" in client.get(reverse("mypage:index")).text


def test_a_parent_can_neither_propose_nor_vote_as_youth(client, personas):
    client.post(URL, _data(municipality=str(personas.arendal.pk)))
    parent = User.objects.get(email="kari@example.org")
    parent.email_confirmed_at = timezone.now()
    parent.save(update_fields=["email_confirmed_at"])
    assert not parent.has_perm("participation.propose", At(personas.arendal, timezone.now()))
    client.force_login(parent)
    new = reverse("participation:proposal_new", args=[personas.arendal.code])
    assert client.get(new).status_code == 403


def test_an_existing_email_is_not_revealed_but_its_owner_is_told(
    client, personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        new = client.post(URL, _data(email="ny.forelder@example.org"))
        taken = client.post(URL, _data(email="UNGDOM.A@example.org"))
    assert taken.status_code == new.status_code == 200

    def page(response, email):
        return re.sub(r"[A-Za-z0-9]{64}", "", response.text.replace(email, "X"))

    assert page(taken, "ungdom.a@example.org") == page(new, "ny.forelder@example.org")
    owner = User.objects.get(email="ungdom.a@example.org")
    assert owner.last_name != "Nordmann" and owner.birth_year is not None
    owner_mail = [m for m in mail.outbox if m.to == ["ungdom.a@example.org"]]
    assert len(owner_mail) == 1 and "Det finnes allerede en konto med den" in owner_mail[0].body
    # Again within the hour, through either form: the owner is not e-mailed again.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, _data(email="ungdom.a@example.org"))
        client.post(
            reverse("accounts:register"), registration_data(age=15, email="ungdom.a@example.org")
        )
    assert len([m for m in mail.outbox if m.to == ["ungdom.a@example.org"]]) == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"first_name": ""}, "Skriv fornavnet ditt."),
        ({"last_name": ""}, "Skriv etternavnet ditt."),
        ({"email": "ikke-en-adresse"}, "gyldig e-postadresse"),
        ({"password2": "noe-annet-123"}, "Passordene er ikke like."),
        ({"password1": "12345678", "password2": "12345678"}, "Dette passordet er"),
        ({"municipality": ""}, "Velg kommunen du bor i."),
        ({"accept": ""}, "Du må krysse av for å registrere deg."),
    ],
)
def test_bad_input_is_refused_in_norwegian_and_creates_nothing(client, overrides, message):
    response = client.post(URL, _data(**overrides))
    assert response.status_code == 400
    assert message in response.text
    assert not User.objects.exists()
    assert not Consent.objects.exists()
    assert mail.outbox == []


@override_settings(UNGKULTUR_REGISTRATIONS_PER_ADDRESS=2)
def test_registrations_from_one_address_are_limited(client):
    for n in range(2):
        assert client.post(URL, _data(email=f"forelder{n}@example.org")).status_code == 200
    refused = client.post(URL, _data(email="forelder9@example.org"))
    assert refused.status_code == 429
    assert "For mange registreringer fra denne adressen" in refused.text
    assert not User.objects.filter(email="forelder9@example.org").exists()
    youth = client.post(reverse("accounts:register"), registration_data(age=15))
    assert youth.status_code == 429  # the youth form counts against the same limit
    assert User.objects.count() == 2


def test_a_logged_in_user_is_sent_to_min_side(client, personas):
    client.force_login(personas.youth_a)
    assert client.get(URL).url == reverse("mypage:index")


def test_a_placeholder_guardian_who_registers_gets_a_link_to_take_over_the_account(
    client, django_capture_on_commit_callbacks
):
    """A child's sign-up made an account for the guardian's address (inactive, no password).
    Login and password reset do not work for it, so the guardian who then registers is sent
    the confirmation link, to that address, where they choose their password (issue 18)."""
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:register"),
            registration_data(
                age=12, guardian_name="Kari Nordmann", guardian_email="kari@example.org"
            ),
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, _data())
    assert response.status_code == 200
    assert User.objects.filter(email__iexact="kari@example.org").count() == 1
    (message,) = mail.outbox
    assert message.to == ["kari@example.org"]
    assert reverse("accounts:password_reset") not in message.body
    link = re.search(r"https?://[^/\s]+(/konto/foresatt/bekreft/\S+/)", message.body).group(1)
    assert AuditEntry.objects.filter(action="guardianship.link_resent").count() == 1
    page = client.get(link)
    assert page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            link,
            {
                "password1": YOUTH_PASSWORD,
                "password2": YOUTH_PASSWORD,
                "accept": "on",
                "adult": "on",
            },
        )
    guardian = User.objects.get(email="kari@example.org")
    assert guardian.is_active and guardian.check_password(YOUTH_PASSWORD)
    assert Guardianship.objects.get(guardian=guardian).confirmed_at is not None


def test_a_placeholder_guardian_who_asks_for_a_new_password_gets_the_link(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:register"),
            registration_data(
                age=12, guardian_name="Kari Nordmann", guardian_email="kari@example.org"
            ),
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"email": "kari@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    (message,) = mail.outbox
    assert message.to == ["kari@example.org"]
    assert "/konto/foresatt/bekreft/" in message.body
    assert not User.objects.get(email="kari@example.org").is_active
