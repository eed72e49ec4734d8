import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ungkultur.accounts.models import Consent
from ungkultur.accounts.services import consent_give, consent_withdraw
from ungkultur.core.models import AuditEntry

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def people(personas):
    """Ages in 2026: youth_a 15, child_a 11."""
    personas.youth_a.birth_year = 2011
    personas.youth_a.save()
    personas.child_a.birth_year = 2015
    personas.child_a.save()
    return personas


def test_youth_gives_own_photo_consent_from_15(people):
    consent = consent_give(actor=people.youth_a, subject=people.youth_a, purpose="photo", now=NOW)
    assert consent.status == Consent.Status.GIVEN
    assert consent.given_by == Consent.GivenBy.SELF
    assert consent.grantor == people.youth_a
    assert consent.age_at_time == 15
    assert consent.given_at == NOW
    entry = AuditEntry.objects.get(action="consent.given")
    assert entry.changes["purpose"] == "photo"
    assert entry.actor == people.youth_a


def test_youth_under_16_cannot_consent_to_research_alone(people):
    with pytest.raises(PermissionDenied):
        consent_give(actor=people.youth_a, subject=people.youth_a, purpose="research", now=NOW)
    assert not Consent.objects.exists()
    assert not AuditEntry.objects.exists()


def test_age_counts_the_calendar_year_in_oslo(people):
    # 23:30 UTC on 31 December is already the next year in Oslo: youth_a (2011) turns 16.
    new_year_in_oslo = datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC)
    consent = consent_give(
        actor=people.youth_a, subject=people.youth_a, purpose="research", now=new_year_in_oslo
    )
    assert consent.age_at_time == 16


def test_guardian_gives_for_child_under_the_limit(people):
    consent = consent_give(
        actor=people.guardian_a, subject=people.child_a, purpose="photo", now=NOW
    )
    assert consent.given_by == Consent.GivenBy.GUARDIAN
    assert consent.grantor == people.guardian_a
    assert consent.age_at_time == 11


def test_child_under_the_limit_cannot_act_alone(people):
    for purpose in ("photo", "sharing", "research"):
        with pytest.raises(PermissionDenied):
            consent_give(actor=people.child_a, subject=people.child_a, purpose=purpose, now=NOW)
    assert not Consent.objects.exists()


def test_guardian_cannot_decide_once_the_child_is_over_the_limit(people):
    people.child_a.birth_year = 2010
    people.child_a.save()
    with pytest.raises(PermissionDenied):
        consent_give(actor=people.guardian_a, subject=people.child_a, purpose="photo", now=NOW)


def test_unconfirmed_guardian_cannot_decide(people):
    link = people.guardian_a.children_links.get()
    link.confirmed_at = None
    link.save()
    with pytest.raises(PermissionDenied):
        consent_give(actor=people.guardian_a, subject=people.child_a, purpose="photo", now=NOW)


def test_stranger_cannot_decide(people):
    with pytest.raises(PermissionDenied):
        consent_give(actor=people.leader_a, subject=people.child_a, purpose="photo", now=NOW)


def test_the_same_consent_cannot_be_given_twice(people):
    consent_give(actor=people.youth_a, subject=people.youth_a, purpose="photo", now=NOW)
    with pytest.raises(ValidationError, match="allerede gitt"):
        consent_give(actor=people.youth_a, subject=people.youth_a, purpose="photo", now=NOW)
    assert Consent.objects.count() == 1


def test_withdraw_own_consent(people):
    consent = consent_give(actor=people.youth_a, subject=people.youth_a, purpose="photo", now=NOW)
    later = NOW + datetime.timedelta(days=3)
    consent_withdraw(actor=people.youth_a, consent=consent, now=later)
    consent.refresh_from_db()
    assert consent.status == Consent.Status.WITHDRAWN
    assert consent.withdrawn_at == later
    entry = AuditEntry.objects.get(action="consent.withdrawn")
    assert entry.changes["purpose"] == "photo"
    people.youth_a.refresh_from_db()
    assert people.youth_a.is_active  # only the registration consent closes the account


def test_withdrawn_consent_can_be_given_again(people):
    consent = consent_give(actor=people.youth_a, subject=people.youth_a, purpose="photo", now=NOW)
    consent_withdraw(actor=people.youth_a, consent=consent, now=NOW)
    consent_give(actor=people.youth_a, subject=people.youth_a, purpose="photo", now=NOW)
    assert Consent.objects.filter(status="given").count() == 1
    assert Consent.objects.count() == 2


def test_withdrawing_twice_is_refused(people):
    consent = consent_give(actor=people.youth_a, subject=people.youth_a, purpose="photo", now=NOW)
    consent_withdraw(actor=people.youth_a, consent=consent, now=NOW)
    with pytest.raises(ValidationError, match="allerede trukket tilbake"):
        consent_withdraw(actor=people.youth_a, consent=consent, now=NOW)
    assert AuditEntry.objects.filter(action="consent.withdrawn").count() == 1


def test_withdrawing_registration_deactivates_the_account(people):
    consent = consent_give(
        actor=people.youth_a, subject=people.youth_a, purpose="registration", now=NOW
    )
    consent_withdraw(actor=people.youth_a, consent=consent, now=NOW)
    people.youth_a.refresh_from_db()
    assert not people.youth_a.is_active
    assert AuditEntry.objects.filter(
        action="user.deactivated", object_id=str(people.youth_a.pk)
    ).exists()


def test_guardian_withdraws_childs_registration(people):
    consent = consent_give(
        actor=people.guardian_a, subject=people.child_a, purpose="registration", now=NOW
    )
    consent_withdraw(actor=people.guardian_a, consent=consent, now=NOW)
    people.child_a.refresh_from_db()
    assert not people.child_a.is_active
    # Giving it again opens the account again.
    consent_give(actor=people.guardian_a, subject=people.child_a, purpose="registration", now=NOW)
    people.child_a.refresh_from_db()
    assert people.child_a.is_active


def test_child_cannot_withdraw_what_the_guardian_gave(people):
    consent = consent_give(
        actor=people.guardian_a, subject=people.child_a, purpose="photo", now=NOW
    )
    with pytest.raises(PermissionDenied):
        consent_withdraw(actor=people.child_a, consent=consent, now=NOW)
    consent.refresh_from_db()
    assert consent.status == Consent.Status.GIVEN


def test_adult_without_birth_year_decides_alone(people):
    consent = consent_give(
        actor=people.guardian_a, subject=people.guardian_a, purpose="research", now=NOW
    )
    assert consent.age_at_time is None
    assert consent.given_by == Consent.GivenBy.SELF
