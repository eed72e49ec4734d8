import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ungkultur.accounts.models import Consent, Guardianship, User
from ungkultur.accounts.selectors import guardianship_token
from ungkultur.accounts.tests.helpers import guardian_link, registration_data, this_year
from ungkultur.core.models import AuditEntry
from ungkultur.testing import PASSWORD

pytestmark = pytest.mark.django_db

GUARDIAN_PASSWORD = "Foresatt-passord-2026"


@pytest.fixture
def pending(client, django_capture_on_commit_callbacks):
    """A ten-year-old has signed up and named a new guardian; the e-mail has gone out."""
    data = registration_data(age=10, guardian_name="Mor Moe", guardian_email="mor@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:register"), data)
    mail.outbox.clear()
    return Guardianship.objects.select_related("guardian", "child").get()


def guardian_link_for(guardianship, *, now=None):
    token = guardianship_token(guardianship=guardianship, now=now or timezone.now())
    return reverse("accounts:guardian_confirm", args=[token])


def _confirm(client, url, data, capture):
    with capture(execute=True):
        return client.post(url, data)


def test_page_shows_child_and_consent_text(client, pending):
    response = client.get(guardian_link_for(pending))
    assert response.status_code == 200
    assert "Bekreft at Nora kan bruke Ungkultur" in response.text
    assert str(this_year() - 10) in response.text
    assert "Tekstversjon 2026-12" in response.text
    assert 'name="password1"' in response.text


def test_new_guardian_sets_password_and_confirms(
    client, pending, django_capture_on_commit_callbacks
):
    url = guardian_link_for(pending)
    response = _confirm(
        client,
        url,
        {"password1": GUARDIAN_PASSWORD, "password2": GUARDIAN_PASSWORD, "accept": "on"},
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 200
    assert "Kontoen til Nora er klar" in response.text
    pending.refresh_from_db()
    guardian, child = pending.guardian, pending.child
    guardian.refresh_from_db()
    child.refresh_from_db()
    assert pending.confirmed_at is not None
    assert guardian.is_active and guardian.check_password(GUARDIAN_PASSWORD)
    assert child.is_active
    consent = Consent.objects.get(subject=child)
    assert consent.purpose == Consent.Purpose.REGISTRATION
    assert consent.given_by == Consent.GivenBy.GUARDIAN
    assert consent.grantor == guardian
    assert consent.age_at_time == 10
    assert consent.status == Consent.Status.GIVEN
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"guardianship.confirmed", "consent.given", "user.activated"} <= actions
    assert AuditEntry.objects.filter(action="user.activated").count() == 2
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [child.email]
    assert "Kontoen din i Ungkultur er klar" == mail.outbox[0].subject
    assert client.login(username="mor@example.org", password=GUARDIAN_PASSWORD)


def test_link_in_the_email_works(client, django_capture_on_commit_callbacks):
    data = registration_data(age=10, guardian_name="Mor", guardian_email="mor@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:register"), data)
    response = client.get(guardian_link())
    assert response.status_code == 200
    assert "Bekreft at Nora kan bruke Ungkultur" in response.text


def test_child_can_log_in_after_confirmation(client, pending, django_capture_on_commit_callbacks):
    url = guardian_link_for(pending)
    _confirm(
        client,
        url,
        {"password1": GUARDIAN_PASSWORD, "password2": GUARDIAN_PASSWORD, "accept": "on"},
        django_capture_on_commit_callbacks,
    )
    client.logout()
    response = client.post(
        reverse("accounts:login"),
        {"username": "nora@example.org", "password": registration_data(age=10)["password1"]},
    )
    assert response.status_code == 302


def test_existing_guardian_only_confirms(client, personas, django_capture_on_commit_callbacks):
    data = registration_data(age=9, guardian_name="X", guardian_email="foresatt.a@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:register"), data)
    link = Guardianship.objects.get(child__email="nora@example.org")
    url = guardian_link_for(link)
    response = client.get(url)
    assert 'name="password1"' not in response.text
    response = _confirm(client, url, {"accept": "on"}, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    personas.guardian_a.refresh_from_db()
    assert personas.guardian_a.check_password(PASSWORD)
    assert User.objects.get(email="nora@example.org").is_active


def test_new_guardian_must_choose_a_password(client, pending):
    response = client.post(guardian_link_for(pending), {"accept": "on"})
    assert response.status_code == 400
    pending.refresh_from_db()
    assert pending.confirmed_at is None
    assert not User.objects.get(email="nora@example.org").is_active


def test_guardian_must_tick_the_consent(client, pending):
    response = client.post(
        guardian_link_for(pending), {"password1": GUARDIAN_PASSWORD, "password2": GUARDIAN_PASSWORD}
    )
    assert response.status_code == 400
    assert "Du må krysse av for å bekrefte." in response.text
    assert not Consent.objects.exists()


def test_tampered_token_is_400_and_changes_nothing(client, pending):
    url = guardian_link_for(pending)
    bad = url.replace("/bekreft/", "/bekreft/x")
    response = client.post(
        bad, {"password1": GUARDIAN_PASSWORD, "password2": GUARDIAN_PASSWORD, "accept": "on"}
    )
    assert response.status_code == 400
    assert "Lenken er ikke gyldig" in response.text
    pending.refresh_from_db()
    assert pending.confirmed_at is None
    assert not Consent.objects.exists()


def test_expired_token_is_400_and_changes_nothing(client, pending):
    url = guardian_link_for(pending, now=timezone.now() - datetime.timedelta(days=7, minutes=1))
    response = client.post(
        url, {"password1": GUARDIAN_PASSWORD, "password2": GUARDIAN_PASSWORD, "accept": "on"}
    )
    assert response.status_code == 400
    assert "mer enn sju dager gammel" in response.text
    pending.refresh_from_db()
    assert pending.confirmed_at is None


def test_token_is_still_valid_just_inside_seven_days(client, pending):
    url = guardian_link_for(pending, now=timezone.now() - datetime.timedelta(days=6, hours=23))
    assert client.get(url).status_code == 200


def test_already_confirmed_is_a_friendly_no_op(client, pending, django_capture_on_commit_callbacks):
    url = guardian_link_for(pending)
    data = {"password1": GUARDIAN_PASSWORD, "password2": GUARDIAN_PASSWORD, "accept": "on"}
    _confirm(client, url, data, django_capture_on_commit_callbacks)
    audit_count = AuditEntry.objects.count()
    mail.outbox.clear()
    response = _confirm(
        client,
        url,
        {"password1": "Noe-helt-annet-99", "password2": "Noe-helt-annet-99", "accept": "on"},
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 200
    assert "allerede bekreftet" in response.text
    assert AuditEntry.objects.count() == audit_count
    assert Consent.objects.count() == 1
    assert mail.outbox == []
    assert User.objects.get(email="mor@example.org").check_password(GUARDIAN_PASSWORD)


def test_confirm_rejects_other_methods(client, pending):
    assert client.put(guardian_link_for(pending)).status_code == 405


def test_a_minor_cannot_be_named_as_guardian(client, personas):
    # ungdom.a@example.org is a youth account: a ten-year-old cannot name them as guardian.
    data = registration_data(age=10, guardian_name="Venn", guardian_email="ungdom.a@example.org")
    before = Guardianship.objects.count()
    response = client.post(reverse("accounts:register"), data)
    assert response.status_code == 400
    assert "En foresatt må være 18 år eller eldre." in response.text
    assert not User.objects.filter(email=data["email"]).exists()
    assert Guardianship.objects.count() == before


def test_a_guardian_account_under_18_cannot_confirm(client, pending):
    guardian = pending.guardian
    guardian.birth_year = this_year() - 16
    guardian.save()
    data = {"password1": GUARDIAN_PASSWORD, "password2": GUARDIAN_PASSWORD, "accept": "on"}
    response = client.post(guardian_link_for(pending), data)
    assert response.status_code == 400
    assert "En foresatt må være 18 år eller eldre." in response.text
    pending.refresh_from_db()
    assert pending.confirmed_at is None
    assert not Consent.objects.filter(subject=pending.child).exists()
