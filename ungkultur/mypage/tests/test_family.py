"""Families: a guardian adds a child without e-mail, signs them up, sees their activities and
consents on Min side (which leads with "Barna dine"), and can give the child a login later."""

import pytest
from django.contrib.auth import authenticate
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ungkultur.accounts import family
from ungkultur.accounts.models import Consent, Guardianship, User
from ungkultur.core.models import AuditEntry
from ungkultur.enrolment.services import enrolment_join
from ungkultur.testing import make_user

pytestmark = pytest.mark.django_db
ADD = reverse("mypage:child_add")


def _year(age):
    return timezone.localdate().year - age


def _add(client, **data):
    payload = {
        "first_name": "Mia",
        "birth_year": str(_year(11)),
        "municipality": "",
        "accept": "on",
        **data,
    }
    return client.post(ADD, payload)


@pytest.fixture
def parent(personas):
    """An adult with a confirmed e-mail and no municipality (as a guardian account often is)."""
    return make_user("forelder@example.org", first_name="Forelder", last_name="Foreldersen")


def test_a_guardian_adds_a_child_without_e_mail(client, personas, parent):
    client.force_login(parent)
    page = client.get(ADD)
    assert page.status_code == 200
    assert 'name="email"' not in page.text
    response = _add(client, municipality=str(personas.arendal.pk))
    assert response.status_code == 302
    child = User.objects.get(first_name="Mia")
    assert child.birth_year == _year(11) and child.municipality == personas.arendal
    assert not family.has_own_email(child)
    assert not child.is_active and not child.has_usable_password()
    link = Guardianship.objects.get(guardian=parent, child=child)
    assert link.confirmed_at is not None
    consent = Consent.objects.get(subject=child, purpose="registration", status="given")
    assert consent.given_by == "guardian" and consent.grantor == parent
    assert consent.age_at_time == 11
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"user.registered", "guardianship.confirmed", "consent.given"} <= actions
    # The guardian's own municipality, when missing, becomes the child's.
    parent.refresh_from_db()
    assert parent.municipality == personas.arendal
    assert mail.outbox == []
    # Nobody logs in as the child.
    assert authenticate(username=child.email, password="") is None


def test_min_side_leads_with_barna_dine_and_each_child_can_be_signed_up(client, personas, parent):
    client.force_login(parent)
    _add(client, municipality=str(personas.arendal.pk))
    child = User.objects.get(first_name="Mia")
    text = client.get(reverse("mypage:index")).text
    assert text.index("Barna dine") < text.index("Om deg")
    assert "Mia" in text and "Ikke oppgitt" not in text.split("Om deg")[1].split("</dl>")[0]
    assert f"{reverse('catalogue:search', args=['4203'])}?age=11" in text
    assert reverse("mypage:child_login", args=[child.pk]) in text
    # The guardian signs the child up and sees the child's activity.
    workshop = personas.a.workshop
    workshop.age_min, workshop.term_end = 10, None
    workshop.save(update_fields=["age_min", "term_end"])
    enrolment_join(actor=parent, offer=workshop, person=child, now=timezone.now())
    text = client.get(reverse("mypage:index")).text
    section = text[text.index(f'id="activities-{child.pk}"') :]
    assert "Tegneserieverksted" in section


@pytest.mark.parametrize(
    ("data", "field_error"),
    [
        ({"first_name": ""}, "Skriv fornavnet til barnet."),
        ({"birth_year": "20x5"}, "Skriv fødselsåret med fire sifre"),
        ({"birth_year": str(_year(18))}, "Barnet må være født mellom"),
        ({"birth_year": str(_year(3))}, "Barnet må være født mellom"),
        ({"municipality": ""}, "Velg kommunen barnet bor i."),
        ({"accept": ""}, "Du må krysse av for å bekrefte."),
    ],
)
def test_bad_input_shows_the_form_again_and_adds_nobody(
    client, personas, parent, data, field_error
):
    client.force_login(parent)
    before = User.objects.count()
    response = _add(client, **{"municipality": str(personas.arendal.pk), **data})
    assert response.status_code == 400
    assert field_error in response.text
    assert User.objects.count() == before


def test_youth_and_unconfirmed_accounts_cannot_add_children(client, personas, parent):
    client.force_login(personas.youth_a)  # 15
    assert client.get(ADD).status_code == 403
    assert _add(client, municipality=str(personas.arendal.pk)).status_code == 403
    parent.email_confirmed_at = None
    parent.save(update_fields=["email_confirmed_at"])
    client.force_login(parent)
    assert _add(client, municipality=str(personas.arendal.pk)).status_code == 403
    assert not User.objects.filter(first_name="Mia").exists()


def test_youth_see_no_barna_dine(client, personas):
    client.force_login(personas.youth_a)
    text = client.get(reverse("mypage:index")).text
    assert "Barna dine" not in text and ADD not in text


def test_a_child_gets_its_own_login_later(client, personas, parent):
    client.force_login(parent)
    _add(client, municipality=str(personas.arendal.pk))
    child = User.objects.get(first_name="Mia")
    url = reverse("mypage:child_login", args=[child.pk])
    # Not the guardian's address, not one in use.
    response = client.post(url, {"email": "Forelder@example.org"})
    assert response.status_code == 400
    assert "Barnet må ha sin egen e-postadresse, ikke din." in response.text
    response = client.post(url, {"email": "ungdom.a@example.org"})
    assert response.status_code == 400
    assert "allerede i bruk" in response.text
    child.refresh_from_db()
    assert not family.has_own_email(child) and mail.outbox == []
    response = client.post(url, {"email": "mia@example.org"})
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.email == "mia@example.org" and child.is_active
    assert AuditEntry.objects.filter(action="user.login_given", object_id=str(child.pk)).exists()
    # The guardian stays a guardian.
    assert Guardianship.objects.filter(guardian=parent, child=child).exists()
    # Once given, the page says so instead of asking again.
    assert client.get(url).status_code == 302


def test_the_childs_login_link_sets_a_password(
    client, personas, parent, django_capture_on_commit_callbacks
):
    client.force_login(parent)
    _add(client, municipality=str(personas.arendal.pk))
    child = User.objects.get(first_name="Mia")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mypage:child_login", args=[child.pk]), {"email": "mia@example.org"})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["mia@example.org"]
    assert "Hei, Mia!" in message.body
    path = next(line for line in message.body.splitlines() if "/konto/passord/" in line)
    path = path[path.index("/konto/") :]
    client.logout()
    response = client.get(path, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "Mias-eget-passord-9", "new_password2": "Mias-eget-passord-9"}
    )
    assert response.status_code == 302
    assert authenticate(username="mia@example.org", password="Mias-eget-passord-9") == child


def test_only_the_childs_confirmed_guardian_gives_a_login(client, personas, parent):
    client.force_login(parent)
    _add(client, municipality=str(personas.arendal.pk))
    child = User.objects.get(first_name="Mia")
    url = reverse("mypage:child_login", args=[child.pk])
    for other in (personas.guardian_a, personas.youth_a, personas.a.leader):
        client.force_login(other)
        assert client.get(url).status_code == 403
        assert client.post(url, {"email": "mia@example.org"}).status_code == 403
    child.refresh_from_db()
    assert not family.has_own_email(child)


def test_a_guardian_confirming_a_childs_registration_gets_the_childs_municipality(client, personas):
    from ungkultur.accounts.services import guardian_confirm, youth_register

    now = timezone.now()
    child = youth_register(
        first_name="Ola",
        email="ola@example.org",
        password="Olas-passord-123",
        birth_year=now.year - 11,
        gender="undisclosed",
        municipality=personas.sola,
        guardian_name="Kari Nordmann",
        guardian_email="kari@example.org",
        now=now,
    )
    link = Guardianship.objects.get(child=child)
    assert link.guardian.municipality is None
    guardian_confirm(guardianship=link, password="Karis-passord-123", now=now)
    guardian = User.objects.get(email="kari@example.org")
    assert guardian.municipality == personas.sola
    assert AuditEntry.objects.filter(
        action="user.municipality_set", object_id=str(guardian.pk)
    ).exists()
    client.force_login(guardian)
    about = client.get(reverse("mypage:index")).text.split('id="about-heading"')[1]
    assert "Sola" in about.split("</dl>")[0] and "Ikke oppgitt" not in about.split("</dl>")[0]
