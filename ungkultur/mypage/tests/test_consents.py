import pytest
from django.urls import reverse
from django.utils import timezone

from ungkultur.accounts.models import Consent
from ungkultur.accounts.services import consent_give
from ungkultur.core.models import AuditEntry

pytestmark = pytest.mark.django_db

GIVE = reverse("mypage:consent_give")


def withdraw_url(consent):
    return reverse("mypage:consent_withdraw", args=[consent.pk])


@pytest.fixture
def people(personas):
    """Ages counted from this year, so the tests hold whatever year they run in (and consents
    are given now: at a fixed date in another year the youth would be a year younger)."""
    year = timezone.localdate().year
    personas.youth_a.birth_year = year - 15  # photo (15) alone, research (16) not
    personas.youth_a.save()
    personas.child_a.birth_year = year - 11  # nothing alone
    personas.child_a.save()
    return personas


def test_youth_gives_own_consent(client, people):
    client.force_login(people.youth_a)
    response = client.post(GIVE, {"subject": people.youth_a.pk, "purpose": "photo"})
    assert response.status_code == 302
    assert response["Location"] == reverse("mypage:index")
    consent = Consent.objects.get()
    assert (consent.subject, consent.grantor, consent.given_by) == (
        people.youth_a,
        people.youth_a,
        "self",
    )
    assert AuditEntry.objects.filter(action="consent.given").count() == 1


def test_give_form_offers_only_what_the_youth_may_give(client, people):
    client.force_login(people.youth_a)
    response = client.get(reverse("mypage:index"))
    assert 'name="purpose" value="photo"' in response.text
    assert 'name="purpose" value="sharing"' in response.text
    assert 'name="purpose" value="research"' not in response.text
    assert "under 16 år er det en foresatt som gir dette samtykket" in response.text


def test_youth_under_the_limit_acting_alone_is_403(client, people):
    client.force_login(people.youth_a)
    response = client.post(GIVE, {"subject": people.youth_a.pk, "purpose": "research"})
    assert response.status_code == 403
    assert not Consent.objects.exists()


def test_child_acting_alone_is_403(client, people):
    client.force_login(people.child_a)
    response = client.post(GIVE, {"subject": people.child_a.pk, "purpose": "photo"})
    assert response.status_code == 403
    assert not Consent.objects.exists()


def test_guardian_gives_for_child(client, people):
    client.force_login(people.guardian_a)
    response = client.post(GIVE, {"subject": people.child_a.pk, "purpose": "research"})
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert (consent.subject, consent.grantor, consent.given_by) == (
        people.child_a,
        people.guardian_a,
        "guardian",
    )


def test_guardian_cannot_give_for_someone_elses_child(client, people):
    client.force_login(people.guardian_a)
    response = client.post(GIVE, {"subject": people.youth_b.pk, "purpose": "photo"})
    assert response.status_code == 404
    assert not Consent.objects.exists()


def test_give_twice_is_400_with_message(client, people):
    client.force_login(people.youth_a)
    client.post(GIVE, {"subject": people.youth_a.pk, "purpose": "photo"})
    response = client.post(GIVE, {"subject": people.youth_a.pk, "purpose": "photo"})
    assert response.status_code == 400
    assert "Dette samtykket er allerede gitt." in response.text
    assert Consent.objects.count() == 1


@pytest.mark.parametrize("purpose", ["registration", "ukjent", ""])
def test_give_unknown_or_registration_purpose_is_400(client, people, purpose):
    client.force_login(people.youth_a)
    response = client.post(GIVE, {"subject": people.youth_a.pk, "purpose": purpose})
    assert response.status_code == 400
    assert not Consent.objects.exists()


def test_give_is_post_only(client, people):
    client.force_login(people.youth_a)
    assert client.get(GIVE).status_code == 405


def test_give_needs_login(client, people):
    response = client.post(GIVE, {"subject": people.youth_a.pk, "purpose": "photo"})
    assert response.status_code == 302
    assert not Consent.objects.exists()


def test_youth_withdraws_own_consent(client, people):
    consent = consent_give(
        actor=people.youth_a, subject=people.youth_a, purpose="photo", now=timezone.now()
    )
    client.force_login(people.youth_a)
    response = client.post(withdraw_url(consent))
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.status == Consent.Status.WITHDRAWN
    assert AuditEntry.objects.get(action="consent.withdrawn").changes["purpose"] == "photo"


def test_guardian_withdraws_childs_consent(client, people):
    consent = consent_give(
        actor=people.guardian_a, subject=people.child_a, purpose="photo", now=timezone.now()
    )
    client.force_login(people.guardian_a)
    response = client.post(withdraw_url(consent))
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.status == Consent.Status.WITHDRAWN


def test_child_cannot_withdraw_guardians_consent(client, people):
    consent = consent_give(
        actor=people.guardian_a, subject=people.child_a, purpose="photo", now=timezone.now()
    )
    client.force_login(people.child_a)
    assert client.get(withdraw_url(consent)).status_code == 403
    assert client.post(withdraw_url(consent)).status_code == 403
    consent.refresh_from_db()
    assert consent.status == Consent.Status.GIVEN


@pytest.mark.parametrize("who", ["youth_b", "leader_a", "admin", "youth_member_a"])
def test_someone_elses_consent_is_404(client, people, who):
    consent = consent_give(
        actor=people.youth_a, subject=people.youth_a, purpose="photo", now=timezone.now()
    )
    client.force_login(getattr(people, who))
    assert client.get(withdraw_url(consent)).status_code == 404
    assert client.post(withdraw_url(consent)).status_code == 404
    consent.refresh_from_db()
    assert consent.status == Consent.Status.GIVEN


def test_unconfirmed_guardian_gets_404(client, people):
    consent = consent_give(
        actor=people.guardian_a, subject=people.child_a, purpose="photo", now=timezone.now()
    )
    people.guardian_a.children_links.update(confirmed_at=None)
    client.force_login(people.guardian_a)
    assert client.post(withdraw_url(consent)).status_code == 404


def test_withdraw_twice_is_400(client, people):
    consent = consent_give(
        actor=people.youth_a, subject=people.youth_a, purpose="photo", now=timezone.now()
    )
    client.force_login(people.youth_a)
    client.post(withdraw_url(consent))
    response = client.post(withdraw_url(consent))
    assert response.status_code == 400
    assert "allerede trukket tilbake" in response.text


def test_withdraw_rejects_other_methods(client, people):
    consent = consent_give(
        actor=people.youth_a, subject=people.youth_a, purpose="photo", now=timezone.now()
    )
    client.force_login(people.youth_a)
    assert client.put(withdraw_url(consent)).status_code == 405


def test_registration_withdrawal_explains_first(client, people):
    consent = consent_give(
        actor=people.youth_a, subject=people.youth_a, purpose="registration", now=timezone.now()
    )
    client.force_login(people.youth_a)
    index = client.get(reverse("mypage:index"))
    assert f'href="{withdraw_url(consent)}"' in index.text
    response = client.get(withdraw_url(consent))
    assert response.status_code == 200
    assert "Kontoen din blir stengt, og du blir logget ut." in response.text
    consent.refresh_from_db()
    assert consent.status == Consent.Status.GIVEN


def test_withdrawing_own_registration_closes_account_and_logs_out(client, people):
    consent = consent_give(
        actor=people.youth_a, subject=people.youth_a, purpose="registration", now=timezone.now()
    )
    client.force_login(people.youth_a)
    response = client.post(withdraw_url(consent), follow=True)
    assert response.redirect_chain[-1][0] == reverse("organisations:home")
    assert "kontoen din er stengt" in response.text
    assert "_auth_user_id" not in client.session
    people.youth_a.refresh_from_db()
    assert not people.youth_a.is_active
    assert AuditEntry.objects.filter(action="user.deactivated").count() == 1


def test_guardian_withdrawing_childs_registration_closes_childs_account(client, people):
    consent = consent_give(
        actor=people.guardian_a, subject=people.child_a, purpose="registration", now=timezone.now()
    )
    client.force_login(people.guardian_a)
    response = client.get(withdraw_url(consent))
    assert "Uten dette samtykket kan ikke BarnA bruke Ungkultur." in response.text
    response = client.post(withdraw_url(consent))
    assert response.status_code == 302
    assert response["Location"] == reverse("mypage:index")
    people.child_a.refresh_from_db()
    assert not people.child_a.is_active
    assert client.session["_auth_user_id"] == str(people.guardian_a.pk)
