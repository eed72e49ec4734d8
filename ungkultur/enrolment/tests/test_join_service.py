import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ungkultur.accounts.models import Gender, Guardianship
from ungkultur.catalogue.models import Offer
from ungkultur.core.models import AuditEntry
from ungkultur.enrolment.models import Enrolment, Participant
from ungkultur.enrolment.selectors import waiting_position
from ungkultur.enrolment.services import enrolment_join, enrolment_leave, participant_for
from ungkultur.enrolment.tests.conftest import NOW, OSLO, SPRING

pytestmark = pytest.mark.django_db
Status = Enrolment.Status


def join(offer, person, *, actor=None, now=NOW):
    return enrolment_join(actor=actor or person, offer=offer, person=person, now=now)


def test_participant_for_copies_birth_year_and_gender(personas):
    youth = personas.youth_a
    youth.gender = Gender.FEMALE
    youth.save()
    participant = participant_for(youth, personas.arendal)
    assert (participant.birth_year, participant.gender) == (2011, Gender.FEMALE)
    assert participant_for(youth, personas.arendal) == participant
    youth.gender = Gender.OTHER
    youth.save()
    participant_for(youth, personas.arendal)
    participant.refresh_from_db()
    assert participant.gender == Gender.OTHER
    assert Participant.objects.filter(user=youth).count() == 1


def test_registration_is_first_come_first_served_then_waiting(personas, fill):
    first, second, third, fourth = fill(personas.a.workshop, 4)
    assert [e.status for e in (first, second, third, fourth)] == [
        Status.ACTIVE,
        Status.ACTIVE,
        Status.WAITING,
        Status.WAITING,
    ]
    assert first.start == NOW.date()
    assert waiting_position(third) == 1
    assert waiting_position(fourth) == 2
    assert waiting_position(first) is None


def test_a_place_taken_before_the_term_starts_on_its_first_day(personas):
    enrolment = join(personas.a.workshop, personas.youth_a, now=SPRING)
    assert enrolment.status == Status.ACTIVE
    assert enrolment.start == datetime.date(2026, 8, 1)


def test_join_writes_an_audit_row(personas):
    enrolment = join(personas.a.workshop, personas.youth_a)
    entry = AuditEntry.objects.get(action="enrolment.joined")
    assert entry.actor == personas.youth_a
    assert entry.object_id == str(enrolment.pk)
    assert entry.changes["to"] == "active"
    assert entry.at == NOW


def test_offer_without_capacity_takes_everyone(personas, fill):
    Offer.objects.filter(pk=personas.a.workshop.pk).update(capacity=None)
    assert {e.status for e in fill(personas.a.workshop, 5)} == {Status.ACTIVE}


def test_free_places_go_to_those_already_waiting(personas, fill):
    _, _, waited = fill(personas.a.workshop, 3)
    # Staff raise the capacity: the free place is the waiting one's, not the newcomer's.
    Offer.objects.filter(pk=personas.a.workshop.pk).update(capacity=3)
    (late,) = fill(personas.a.workshop, 1, now=NOW + datetime.timedelta(hours=1))
    waited.refresh_from_db()
    assert waited.status == Status.OFFERED
    assert late.status == Status.WAITING
    assert waiting_position(late) == 1


def test_application_before_the_deadline_is_applied(personas):
    enrolment = join(personas.a.piano, personas.youth_a, now=SPRING)
    assert enrolment.status == Status.APPLIED
    assert enrolment.start is None


def test_application_deadline_day_is_inclusive(personas):
    late_evening = datetime.datetime(2026, 6, 1, 23, 59, tzinfo=OSLO)
    assert join(personas.a.piano, personas.youth_a, now=late_evening).status == Status.APPLIED


def test_application_after_the_deadline_is_refused(personas):
    with pytest.raises(ValidationError) as error:
        join(
            personas.a.piano, personas.youth_a, now=datetime.datetime(2026, 6, 2, 0, 1, tzinfo=OSLO)
        )
    assert "Søknadsfristen har gått ut" in error.value.messages[0]
    assert not Enrolment.objects.exists()


def test_drop_in_has_no_sign_up(personas):
    with pytest.raises(ValidationError) as error:
        join(personas.a.open_club, personas.youth_a)
    assert "Bare møt opp" in error.value.messages[0]


@pytest.mark.parametrize("birth_year", [2015, 2009])
def test_age_outside_the_offer_range_is_refused(personas, make_youth, birth_year):
    youth = make_youth(birth_year=birth_year)
    if birth_year == 2015:
        # An 11-year-old decides nothing alone; their guardian tries.
        guardian = make_youth(birth_year=None)
        Guardianship.objects.create(guardian=guardian, child=youth, confirmed_at=NOW)
    else:
        guardian = youth
    with pytest.raises(ValidationError) as error:
        join(personas.a.workshop, youth, actor=guardian)
    assert "Tilbudet er for 12–16 år" in error.value.messages[0]
    assert f"{2026 - birth_year} år i 2026" in error.value.messages[0]


def test_age_counts_in_the_year_the_place_starts_not_the_year_a_long_offer_began(
    personas, make_youth
):
    """An offer running since 2024 (a standing kulturskole subject): a youth 12 in 2026 was 10
    in the offer's first year, and is still welcome in a 12–16 offer now (DESIGN §4: age =
    calendar year of the term - birth year)."""
    offer = personas.a.workshop
    Offer.objects.filter(pk=offer.pk).update(
        term_start=datetime.date(2024, 8, 1), term_end=datetime.date(2027, 6, 30)
    )
    offer.refresh_from_db()
    youth = make_youth(birth_year=2014)
    guardian = make_youth(birth_year=None)
    Guardianship.objects.create(guardian=guardian, child=youth, confirmed_at=NOW)
    enrolment = join(offer, youth, actor=guardian)
    assert enrolment.status == Status.ACTIVE
    too_old = make_youth(birth_year=2009)  # 15 in 2024, 17 now
    with pytest.raises(ValidationError) as error:
        join(offer, too_old)
    assert "17 år i 2026" in error.value.messages[0]
    assert not Enrolment.objects.filter(participant__user=too_old).exists()


def test_a_place_taken_before_the_term_counts_age_in_the_term_s_year(personas, make_youth):
    """Signing up in December for a term that starts in January: the age of the new year."""
    offer = personas.a.workshop
    Offer.objects.filter(pk=offer.pk).update(
        term_start=datetime.date(2027, 1, 5),
        term_end=datetime.date(2027, 6, 15),
        application_deadline=None,
    )
    offer.refresh_from_db()
    youth = make_youth(birth_year=2010)  # 16 in 2026, 17 in 2027
    with pytest.raises(ValidationError) as error:
        join(offer, youth)
    assert "17 år i 2027" in error.value.messages[0]


def test_no_birth_year_is_refused(personas, make_youth):
    adult = make_youth(birth_year=None)
    with pytest.raises(ValidationError) as error:
        join(personas.a.workshop, adult)
    assert "hvilket år du er født" in error.value.messages[0]


def test_already_enrolled_is_refused_with_a_message(personas):
    join(personas.a.workshop, personas.youth_a)
    with pytest.raises(ValidationError) as error:
        join(personas.a.workshop, personas.youth_a)
    assert error.value.messages == ["Du er allerede påmeldt."]
    assert Enrolment.objects.count() == 1


def test_may_join_again_after_leaving(personas):
    first = join(personas.a.workshop, personas.youth_a)
    enrolment_leave(actor=personas.youth_a, enrolment=first, end_reason="moved", now=NOW)
    again = join(personas.a.workshop, personas.youth_a, now=NOW + datetime.timedelta(days=1))
    assert again.status == Status.ACTIVE
    assert Enrolment.objects.filter(participant__user=personas.youth_a).count() == 2


@pytest.mark.parametrize("status", [Offer.Status.CANCELLED, Offer.Status.DRAFT])
def test_cancelled_and_draft_offers_take_no_one(personas, status):
    Offer.objects.filter(pk=personas.a.workshop.pk).update(status=status)
    with pytest.raises(ValidationError):
        join(personas.a.workshop, personas.youth_a)


def test_an_offer_that_is_over_takes_no_one(personas):
    with pytest.raises(ValidationError) as error:
        join(
            personas.a.workshop,
            personas.youth_a,
            now=datetime.datetime(2026, 12, 19, 9, 0, tzinfo=OSLO),
        )
    assert error.value.messages == ["Tilbudet er over."]


def test_youth_under_the_online_consent_age_cannot_sign_up_alone(personas):
    with pytest.raises(PermissionDenied):
        join(personas.a.piano, personas.child_a, now=SPRING)
    assert not Enrolment.objects.exists()


def test_guardian_signs_up_a_child_and_is_recorded(personas):
    enrolment = join(personas.a.piano, personas.child_a, actor=personas.guardian_a, now=SPRING)
    assert enrolment.status == Status.APPLIED
    assert enrolment.signed_up_by == personas.guardian_a
    assert enrolment.participant.user == personas.child_a
    assert enrolment.participant.birth_year == 2015


def test_unconfirmed_guardian_may_not_sign_up(personas, make_youth):
    stranger = make_youth(birth_year=None)
    Guardianship.objects.create(guardian=stranger, child=personas.youth_a)
    with pytest.raises(PermissionDenied):
        join(personas.a.workshop, personas.youth_a, actor=stranger)


def test_youth_of_another_municipality_joins_as_a_participant_there(personas):
    enrolment = join(personas.a.workshop, personas.youth_b)
    assert enrolment.participant.municipality == personas.arendal
