import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ungkultur.accounts import services
from ungkultur.accounts.models import Guardianship, User
from ungkultur.accounts.tests.helpers import YOUTH_PASSWORD, guardian_link, registration_data
from ungkultur.core.models import AuditEntry
from ungkultur.municipalities.models import Municipality
from ungkultur.testing import PASSWORD

pytestmark = pytest.mark.django_db

URL = reverse("accounts:guardian_resend")
NEUTRAL = (
    "Hvis e-postadressen hører til en registrering som venter på en foresatt, "
    "har vi sendt en ny lenke til den foresatte."
)
GUARDIAN_PASSWORD = "Foresatt-passord-2026"


@pytest.fixture
def pending(client, django_capture_on_commit_callbacks):
    """A ten-year-old has signed up and named a new guardian; the first e-mail has gone out."""
    data = registration_data(age=10, guardian_name="Mor Moe", guardian_email="mor@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:register"), data)
    mail.outbox.clear()
    return Guardianship.objects.select_related("guardian", "child").get()


def _resend(client, capture, email):
    with capture(execute=True):
        return client.post(URL, {"email": email})


def _page(response):
    """The page as the visitor sees it; the CSRF token is masked differently on every render."""
    return re.sub(r'(value="|"X-CSRFToken": ")[A-Za-z0-9]{64}"', r'\1"', response.text)


def _resent_rows(guardianship):
    return AuditEntry.objects.filter(
        action="guardianship.link_resent", object_id=str(guardianship.pk)
    )


def test_form_asks_for_the_childs_email(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert "Send bekreftelsen på nytt" in response.text
    assert '<label class="ds-label" for="id_email">Barnets e-postadresse</label>' in response.text
    assert 'type="email" name="email"' in response.text
    assert f'action="{URL}"' in response.text


def test_guardian_gets_a_new_link_that_activates_the_child(
    client, pending, django_capture_on_commit_callbacks
):
    response = _resend(client, django_capture_on_commit_callbacks, " Nora@Example.org ")
    assert response.status_code == 200
    assert NEUTRAL in response.text
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["mor@example.org"]
    assert message.subject == "Bekreft at Nora kan bruke Ungkultur"
    assert "Hei, Mor Moe!" in message.body
    assert "Lenken virker i 7 dager." in message.body
    audit = _resent_rows(pending).get()
    assert audit.actor is None

    url = guardian_link(message)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"password1": GUARDIAN_PASSWORD, "password2": GUARDIAN_PASSWORD, "accept": "on"}
        )
    assert response.status_code == 200
    assert "Kontoen til Nora er klar" in response.text
    pending.refresh_from_db()
    assert pending.confirmed_at is not None
    assert User.objects.get(email="nora@example.org").is_active
    assert User.objects.get(email="mor@example.org").is_active


def test_new_link_works_after_the_first_one_expired(client, django_capture_on_commit_callbacks):
    # The child registered eight days ago: the first link no longer works.
    long_ago = timezone.now() - datetime.timedelta(days=8)
    with django_capture_on_commit_callbacks(execute=True):
        services.youth_register(
            first_name="Nora",
            email="nora@example.org",
            password=YOUTH_PASSWORD,
            birth_year=timezone.localdate().year - 10,
            gender="female",
            municipality=Municipality.objects.get(code="4203"),
            guardian_name="Mor Moe",
            guardian_email="mor@example.org",
            now=long_ago,
        )
    assert client.get(guardian_link()).status_code == 400
    _resend(client, django_capture_on_commit_callbacks, "nora@example.org")
    assert len(mail.outbox) == 2
    response = client.get(guardian_link())
    assert response.status_code == 200
    assert "Bekreft at Nora kan bruke Ungkultur" in response.text


def test_existing_guardian_is_greeted_by_name(client, personas, django_capture_on_commit_callbacks):
    data = registration_data(age=9, guardian_name="X", guardian_email="foresatt.a@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:register"), data)
    mail.outbox.clear()
    _resend(client, django_capture_on_commit_callbacks, "nora@example.org")
    assert [m.to for m in mail.outbox] == [["foresatt.a@example.org"]]
    assert f"Hei, {personas.guardian_a.full_name}!" in mail.outbox[0].body


def test_unknown_email_gets_the_same_answer_and_no_mail(
    client, pending, django_capture_on_commit_callbacks
):
    sent = _resend(client, django_capture_on_commit_callbacks, "nora@example.org")
    mail.outbox.clear()
    unknown = _resend(client, django_capture_on_commit_callbacks, "ingen@example.org")
    assert unknown.status_code == 200
    assert _page(unknown) == _page(sent)
    assert mail.outbox == []
    assert AuditEntry.objects.filter(action="guardianship.link_resent").count() == 1


def test_active_account_gets_the_same_answer_and_no_mail(
    client, personas, django_capture_on_commit_callbacks
):
    # child_a is active with a confirmed guardian; youth_a is active without one.
    for email in (personas.child_a.email, personas.youth_a.email):
        response = _resend(client, django_capture_on_commit_callbacks, email)
        assert response.status_code == 200
        assert NEUTRAL in response.text
    assert mail.outbox == []
    assert not AuditEntry.objects.filter(action="guardianship.link_resent").exists()


def test_confirmed_guardianship_of_a_closed_account_sends_nothing(
    client, personas, django_capture_on_commit_callbacks
):
    # The registration consent was withdrawn later; there is nothing left to confirm.
    personas.child_a.is_active = False
    personas.child_a.save()
    response = _resend(client, django_capture_on_commit_callbacks, personas.child_a.email)
    assert response.status_code == 200
    assert NEUTRAL in response.text
    assert mail.outbox == []


def test_a_repeat_within_ten_minutes_silently_sends_nothing(
    client, pending, django_capture_on_commit_callbacks
):
    first = _resend(client, django_capture_on_commit_callbacks, "nora@example.org")
    second = _resend(client, django_capture_on_commit_callbacks, "nora@example.org")
    assert second.status_code == 200
    assert _page(second) == _page(first)
    assert len(mail.outbox) == 1
    assert _resent_rows(pending).count() == 1


def test_the_limit_is_ten_minutes_per_guardianship(pending, django_capture_on_commit_callbacks):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.guardianship_resend_link(email="nora@example.org", now=now)
        assert not services.guardianship_resend_link(
            email="nora@example.org", now=now + datetime.timedelta(minutes=9, seconds=59)
        )
        assert services.guardianship_resend_link(
            email="nora@example.org", now=now + datetime.timedelta(minutes=10, seconds=1)
        )
    assert len(mail.outbox) == 2
    assert _resent_rows(pending).count() == 2


def test_bad_email_is_400_with_the_message(client, pending, django_capture_on_commit_callbacks):
    response = _resend(client, django_capture_on_commit_callbacks, "nora@")
    assert response.status_code == 400
    assert "Noe må rettes før du kan gå videre" in response.text
    assert 'aria-invalid="true"' in response.text
    assert 'id="id_email_error"' in response.text
    assert 'value="nora@"' in response.text
    assert mail.outbox == []
    assert not _resent_rows(pending).exists()


def test_empty_post_is_400(client):
    response = client.post(URL, {})
    assert response.status_code == 400
    assert 'id="id_email_error"' in response.text


def test_resend_rejects_other_methods(client):
    assert client.put(URL).status_code == 405


def test_expired_link_page_links_to_resend(client, pending):
    response = client.get(reverse("accounts:guardian_confirm", args=["ikke-gyldig"]))
    assert response.status_code == 400
    assert URL in response.text


def test_register_pending_page_links_to_resend(client):
    response = client.post(
        reverse("accounts:register"),
        registration_data(age=10, guardian_name="Mor Moe", guardian_email="mor@example.org"),
    )
    assert response.status_code == 200
    assert "En foresatt må bekrefte registreringen" in response.text
    assert URL in response.text


def test_login_links_to_resend_for_a_child_waiting_for_a_guardian(client, pending):
    response = client.post(
        reverse("accounts:login"), {"username": "nora@example.org", "password": YOUTH_PASSWORD}
    )
    assert response.status_code == 400
    assert "Kontoen er ikke aktiv" in response.text
    assert URL in response.text


def test_login_does_not_offer_resend_to_others(client, pending, personas):
    wrong = client.post(
        reverse("accounts:login"), {"username": "nora@example.org", "password": "feil"}
    )
    assert URL not in wrong.text
    personas.youth_a.is_active = False
    personas.youth_a.save()
    closed = client.post(
        reverse("accounts:login"), {"username": personas.youth_a.email, "password": PASSWORD}
    )
    assert "Kontoen er ikke aktiv" in closed.text
    assert URL not in closed.text
