import re

import pytest
from django.core import mail
from django.urls import reverse

from ungkultur.accounts.models import Consent, Guardianship, User
from ungkultur.accounts.tests.helpers import (
    YOUTH_PASSWORD,
    guardian_link,
    registration_data,
    this_year,
)
from ungkultur.core.models import AuditEntry

pytestmark = pytest.mark.django_db

URL = reverse("accounts:register")


def test_form_shows_consent_text_and_guardian_hint(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert "Fylles ut hvis du er under 13 år." in response.text
    assert "Tekstversjon 2026-12" in response.text
    assert 'inputmode="numeric"' in response.text
    assert "vil ikke oppgi" in response.text
    select = re.search(r'<select name="municipality".*?</select>', response.text, re.S).group()
    assert select.count("<option") == 357 + 1  # every municipality, and "Velg kommune"
    assert select.index(">Arendal<") < select.index(">Bergen<") < select.index(">Sola<")


def test_youth_13_or_older_is_registered_active_and_asked_to_confirm_the_email(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, registration_data(age=13, nickname="Nono"))
    # Not logged in: the answer must look the same when the address already has an account.
    assert response.status_code == 200
    assert "Vi har sendt en e-post til nora@example.org" in response.text
    assert "_auth_user_id" not in client.session
    user = User.objects.get(email="nora@example.org")
    assert user.is_active
    assert user.email_confirmed_at is None
    assert user.check_password(YOUTH_PASSWORD)
    assert (user.nickname, user.gender, user.birth_year) == ("Nono", "female", this_year() - 13)
    assert user.municipality.code == "4203"
    consent = Consent.objects.get(subject=user)
    assert consent.purpose == Consent.Purpose.REGISTRATION
    assert consent.given_by == Consent.GivenBy.SELF
    assert consent.grantor == user
    assert consent.age_at_time == 13
    assert consent.text_version == "2026-12"
    assert consent.status == Consent.Status.GIVEN
    assert AuditEntry.objects.filter(action="user.registered", object_id=str(user.pk)).exists()
    audit = AuditEntry.objects.get(action="consent.given")
    assert audit.changes["purpose"] == "registration"
    assert audit.actor == user
    assert not Guardianship.objects.exists()
    [message] = mail.outbox
    assert message.to == ["nora@example.org"]
    assert "/konto/e-post/bekreft/" in message.body


def test_guardian_fields_are_ignored_from_13(client):
    client.post(
        URL,
        registration_data(age=14, guardian_name="Mor Moe", guardian_email="mor@example.org"),
    )
    assert not User.objects.filter(email="mor@example.org").exists()


def test_youth_under_13_waits_for_a_new_guardian(client, django_capture_on_commit_callbacks):
    data = registration_data(age=12, guardian_name="Mari Mor Moe", guardian_email="Mor@Example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, data)
    assert response.status_code == 200
    assert "En foresatt må bekrefte registreringen" in response.text
    assert "_auth_user_id" not in client.session
    child = User.objects.get(email="nora@example.org")
    assert not child.is_active
    guardian = User.objects.get(email="mor@example.org")
    assert not guardian.is_active
    assert not guardian.has_usable_password()
    assert (guardian.first_name, guardian.last_name) == ("Mari Mor", "Moe")
    link = Guardianship.objects.get()
    assert (link.guardian, link.child, link.confirmed_at) == (guardian, child, None)
    assert not Consent.objects.exists()
    assert AuditEntry.objects.filter(action="guardianship.requested").count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["mor@example.org"]
    assert "Nora" in mail.outbox[0].subject
    assert f"Nora (født {this_year() - 12})" in mail.outbox[0].body
    assert guardian_link().startswith("/konto/foresatt/bekreft/")


def test_under_13_links_an_existing_guardian(client, personas, django_capture_on_commit_callbacks):
    data = registration_data(age=8, guardian_name="X", guardian_email="foresatt.a@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, data)
    link = Guardianship.objects.get(child__email="nora@example.org")
    assert link.guardian == personas.guardian_a
    assert User.objects.filter(email="foresatt.a@example.org").count() == 1
    personas.guardian_a.refresh_from_db()
    assert personas.guardian_a.is_active
    assert mail.outbox[0].to == ["foresatt.a@example.org"]


def test_youth_under_13_needs_guardian(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, registration_data(age=12))
    assert response.status_code == 400
    assert "Du er under 13 år, så vi trenger en foresatt." in response.text
    assert 'aria-invalid="true"' in response.text
    assert 'value="Nora"' in response.text  # what they typed is kept
    assert not User.objects.exists()
    assert not Guardianship.objects.exists()
    assert mail.outbox == []


def test_guardian_email_must_differ_from_youths(client):
    data = registration_data(age=10, guardian_name="Mor", guardian_email="nora@example.org")
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "Foresatt må ha en annen e-postadresse enn deg." in response.text
    assert not User.objects.exists()


def test_duplicate_email_is_not_revealed_but_its_owner_is_told(
    client, personas, django_capture_on_commit_callbacks
):
    """Issue 19: the form no longer tells whether an address has an account."""
    with django_capture_on_commit_callbacks(execute=True):
        new = client.post(URL, registration_data(age=15, email="ny.person@example.org"))
        taken = client.post(URL, registration_data(age=15, email="UNGDOM.A@example.org"))
    assert taken.status_code == new.status_code == 200

    def page(response, email):
        # The CSRF tokens (masked anew on every page) are the only other difference.
        return re.sub(r"[A-Za-z0-9]{64}", "", response.text.replace(email, "X"))

    assert page(taken, "ungdom.a@example.org") == page(new, "ny.person@example.org")
    assert "Det finnes allerede" not in taken.text
    assert User.objects.filter(email="ungdom.a@example.org").count() == 1
    assert not Consent.objects.filter(subject__email="ungdom.a@example.org").exists()
    owner_mail = [m for m in mail.outbox if m.to == ["ungdom.a@example.org"]]
    assert len(owner_mail) == 1
    assert "Det finnes allerede en konto med den" in owner_mail[0].body
    assert "/konto/e-post/bekreft/" not in owner_mail[0].body
    # Trying again within the hour does not flood the owner's inbox.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, registration_data(age=15, email="ungdom.a@example.org"))
    assert len([m for m in mail.outbox if m.to == ["ungdom.a@example.org"]]) == 1


def test_duplicate_email_under_13_looks_like_a_new_registration(
    client, personas, django_capture_on_commit_callbacks
):
    data = registration_data(
        age=12, email="ungdom.a@example.org", guardian_name="Mor", guardian_email="mor@example.org"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, data)
    assert response.status_code == 200
    assert "En foresatt må bekrefte registreringen" in response.text
    assert not User.objects.filter(email="mor@example.org").exists()
    assert [m.to for m in mail.outbox] == [["ungdom.a@example.org"]]


@pytest.mark.parametrize("age", [5, 27])
def test_birth_year_out_of_range_is_refused(client, age):
    response = client.post(URL, registration_data(age=age))
    assert response.status_code == 400
    year = this_year()
    assert f"Fødselsåret må være mellom {year - 26} og {year - 6}." in response.text
    assert not User.objects.exists()


@pytest.mark.parametrize("age", [6, 26])
def test_birth_year_at_the_limits_is_accepted(client, age):
    data = registration_data(age=age, guardian_name="Mor", guardian_email="mor@example.org")
    assert client.post(URL, data).status_code in (200, 302)
    assert User.objects.filter(email="nora@example.org").exists()


def test_birth_year_must_be_a_number(client):
    response = client.post(URL, registration_data(age=15, birth_year="to tusen"))
    assert response.status_code == 400
    assert "Skriv fødselsåret med fire sifre" in response.text


def test_consent_must_be_accepted(client):
    data = registration_data(age=15)
    del data["accept"]
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "Du må samtykke for å registrere deg." in response.text
    assert not User.objects.exists()


def test_gender_is_required_but_may_be_undisclosed(client):
    response = client.post(URL, registration_data(age=15, gender=""))
    assert response.status_code == 400
    assert not User.objects.exists()
    response = client.post(URL, registration_data(age=15, gender="undisclosed"))
    assert response.status_code == 200
    assert User.objects.get().gender == "undisclosed"


def test_passwords_must_match_and_be_strong(client):
    response = client.post(URL, registration_data(age=15, password2="noe-annet-123"))
    assert response.status_code == 400
    assert "Passordene er ikke like." in response.text
    response = client.post(
        URL, registration_data(age=15, password1="12345678", password2="12345678")
    )
    assert response.status_code == 400
    assert not User.objects.exists()


def test_register_rejects_other_methods(client):
    assert client.put(URL).status_code == 405


def test_logged_in_user_is_sent_to_my_page(client, personas):
    client.force_login(personas.youth_a)
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("mypage:index")
