import datetime

import pytest
from django.core.exceptions import ValidationError

from ungkultur.clubs.models import ClubEvening, ClubHeadcount
from ungkultur.clubs.selectors import club_visits
from ungkultur.clubs.services import club_evening_register, club_evening_update
from ungkultur.core.models import AuditEntry
from ungkultur.organisations.models import Unit

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 10, 14, 22, 30, tzinfo=datetime.UTC)
EVENING = datetime.date(2026, 10, 14)


def register(personas, **fields):
    defaults = {
        "actor": personas.a.club_worker,
        "unit": personas.a.club,
        "date": EVENING,
        "counts": {("13_15", "female"): 4, ("13_15", "male"): 0, ("16_18", "other"): 2},
        "first_time_visitors": 1,
        "note": "Turnering i bordtennis",
        "now": NOW,
    }
    return club_evening_register(**{**defaults, **fields})


def test_register_stores_only_non_zero_cells(personas):
    evening = register(personas)
    evening.refresh_from_db()
    assert evening.recorded_by == personas.a.club_worker
    assert evening.recorded_at == NOW
    assert evening.first_time_visitors == 1
    cells = {(h.age_band, h.gender): h.count for h in evening.headcounts.all()}
    assert cells == {("13_15", "female"): 4, ("16_18", "other"): 2}


def test_register_writes_an_audit_row_with_numbers_only(personas):
    evening = register(personas)
    entry = AuditEntry.objects.get(action="club_evening.registered")
    assert entry.actor == personas.a.club_worker
    assert entry.object_id == str(evening.pk)
    assert entry.at == NOW
    assert entry.changes == {
        "unit": personas.a.club.pk,
        "date": "2026-10-14",
        "visitors": 6,
        "first_time_visitors": 1,
        "counts": {"13_15/female": 4, "16_18/other": 2},
    }


def test_more_first_timers_than_visitors_is_refused(personas):
    with pytest.raises(ValidationError) as error:
        register(personas, first_time_visitors=7)
    assert error.value.message_dict == {
        "first_time_visitors": ["Flere førstegangsbesøkende enn besøkende"]
    }
    assert not ClubEvening.objects.exists()
    assert not AuditEntry.objects.exists()


def test_first_timers_may_equal_the_total(personas):
    assert register(personas, first_time_visitors=6).first_time_visitors == 6


def test_an_evening_with_no_visitors_is_kept(personas):
    evening = register(personas, counts={}, first_time_visitors=0)
    assert not evening.headcounts.exists()


def test_same_club_and_date_twice_is_refused(personas):
    register(personas)
    with pytest.raises(ValidationError) as error:
        register(personas)
    assert error.value.message_dict == {"date": ["Kvelden er allerede registrert"]}
    assert error.value.error_dict["date"][0].code == "duplicate"
    assert ClubEvening.objects.count() == 1


def test_another_club_may_register_the_same_date(personas):
    register(personas)
    register(personas, unit=personas.b.club, actor=personas.b.club_worker)
    assert ClubEvening.objects.count() == 2


def test_an_evening_in_the_future_is_refused(personas):
    # 23:59 in Oslo on the 14th is still the 14th; the 15th has not happened yet.
    late = datetime.datetime(2026, 10, 14, 21, 59, tzinfo=datetime.UTC)
    register(personas, now=late)
    with pytest.raises(ValidationError) as error:
        register(personas, date=datetime.date(2026, 10, 15), now=late)
    assert "date" in error.value.message_dict


def test_only_youth_clubs_register_evenings(personas):
    with pytest.raises(ValidationError) as error:
        register(personas, unit=personas.a.kulturskole)
    assert error.value.message_dict == {
        "__all__": ["Bare fritidsklubber registrerer klubbkvelder."]
    }


def test_unknown_cell_is_a_programming_error(personas):
    with pytest.raises(ValueError):
        register(personas, counts={("13_15", "girls"): 1})


def test_negative_count_is_refused(personas):
    with pytest.raises(ValidationError):
        register(personas, counts={("13_15", "female"): -1}, first_time_visitors=0)


def test_update_replaces_the_counts_with_audit(personas):
    evening = register(personas)
    later = NOW + datetime.timedelta(hours=1)
    club_evening_update(
        actor=personas.leader_a,
        evening=evening,
        date=EVENING - datetime.timedelta(days=1),
        counts={("10_12", "male"): 3},
        first_time_visitors=0,
        note="",
        now=later,
    )
    evening.refresh_from_db()
    assert evening.date == EVENING - datetime.timedelta(days=1)
    assert evening.note == ""
    assert evening.recorded_by == personas.a.club_worker  # who first registered it stays
    assert list(evening.headcounts.values_list("age_band", "gender", "count")) == [
        ("10_12", "male", 3)
    ]
    entry = AuditEntry.objects.get(action="club_evening.updated")
    assert entry.actor == personas.leader_a
    assert entry.at == later
    assert entry.changes["before"]["visitors"] == 6
    assert entry.changes["after"]["counts"] == {"10_12/male": 3}


def test_update_onto_a_registered_date_is_refused(personas):
    first = register(personas)
    second = register(personas, date=EVENING - datetime.timedelta(days=7))
    with pytest.raises(ValidationError) as error:
        club_evening_update(
            actor=personas.a.club_worker,
            evening=second,
            date=first.date,
            counts={},
            first_time_visitors=0,
            now=NOW,
        )
    assert error.value.message_dict == {"date": ["Kvelden er allerede registrert"]}
    second.refresh_from_db()
    assert second.date == EVENING - datetime.timedelta(days=7)
    assert second.headcounts.count() == 2  # nothing was replaced


def test_update_keeps_the_first_time_rule(personas):
    evening = register(personas)
    with pytest.raises(ValidationError):
        club_evening_update(
            actor=personas.a.club_worker,
            evening=evening,
            date=EVENING,
            counts={("13_15", "female"): 1},
            first_time_visitors=2,
            now=NOW,
        )
    assert ClubHeadcount.objects.filter(evening=evening).count() == 2


# --- The selector behind the club attendance indicator ---------------------------------------


def test_club_visits_of_one_club(personas, django_assert_num_queries):
    register(personas)  # 6 visitors
    register(personas, date=EVENING - datetime.timedelta(days=7), counts={("10_12", "male"): 3})
    register(personas, date=datetime.date(2026, 7, 31), counts={("10_12", "male"): 50})
    # The evenings with the number of first-timers; the sum of their headcounts.
    with django_assert_num_queries(2):
        visits = club_visits(
            personas.a.club, start=datetime.date(2026, 8, 1), end=datetime.date(2027, 1, 1)
        )
    assert visits.evenings == 2
    assert visits.visits == 9
    assert visits.first_time_visitors == 2
    assert visits.visits_per_evening == 4.5


def test_club_visits_of_a_municipality_counts_all_its_clubs_only(personas):
    second_club = Unit.objects.create(
        municipality=personas.arendal, kind=Unit.Kind.YOUTH_CLUB, name="Klubben på Stuenes"
    )
    register(personas)
    register(personas, unit=second_club, counts={("16_18", "male"): 10}, first_time_visitors=0)
    register(personas, unit=personas.b.club, counts={("16_18", "male"): 99}, first_time_visitors=0)
    visits = club_visits(personas.arendal, start=EVENING, end=EVENING + datetime.timedelta(days=1))
    assert (visits.evenings, visits.visits) == (2, 16)
    assert visits.visits_per_evening == 8


def test_club_visits_period_is_half_open(personas):
    register(personas)
    assert club_visits(personas.a.club, start=EVENING, end=EVENING).evenings == 0
    assert (
        club_visits(
            personas.a.club, start=EVENING - datetime.timedelta(days=1), end=EVENING
        ).evenings
        == 0
    )


def test_club_visits_without_evenings(personas):
    visits = club_visits(personas.a.club, start=EVENING, end=EVENING + datetime.timedelta(days=1))
    assert (visits.evenings, visits.visits, visits.visits_per_evening) == (0, 0, None)
