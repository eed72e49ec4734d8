import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from ungkultur.catalogue import services
from ungkultur.catalogue.models import Category, Offer, Schedule, Session, Venue
from ungkultur.catalogue.tests.conftest import MONDAY, NOW, TUESDAY
from ungkultur.core.models import AuditEntry

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")
UTC = datetime.UTC


def _fields(**overrides):
    fields = {
        "title": "Gitarkurs",
        "description": "",
        "category": Category.MUSIC,
        "age_min": 10,
        "age_max": 16,
        "venue": None,
        "price": 0,
        "reduced_price": None,
        "price_note": "",
        "join_mode": Offer.JoinMode.REGISTRATION,
        "capacity": 12,
        "subject_area": "",
        "programme": "",
        "term_start": datetime.date(2026, 8, 17),
        "term_end": datetime.date(2026, 12, 18),
        "application_deadline": None,
        "how_to_join": "",
    }
    fields.update(overrides)
    return fields


def _errors(excinfo):
    return excinfo.value.message_dict


# --- offer_create ------------------------------------------------------------------------------


def test_offer_create_makes_a_draft_in_the_units_municipality(personas):
    offer = services.offer_create(
        actor=personas.teacher_a,
        unit=personas.a.kulturskole,
        now=NOW,
        **_fields(venue=personas.a.venue, subject_area="music", programme="breadth"),
    )
    offer.refresh_from_db()
    assert offer.status == Offer.Status.DRAFT
    assert offer.municipality == personas.arendal
    assert offer.unit == personas.a.kulturskole
    entry = AuditEntry.objects.get(action="offer.created")
    assert entry.actor == personas.teacher_a
    assert entry.at == NOW
    assert entry.object_id == str(offer.pk)
    assert entry.changes["title"] == "Gitarkurs"
    assert entry.changes["venue"] == personas.a.venue.pk
    assert entry.changes["term_start"] == "2026-08-17"


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"age_min": 16, "age_max": 12}, "age_max", "Til-alderen kan ikke være lavere"),
        (
            {"term_end": datetime.date(2026, 8, 17)},
            "term_end",
            "Sluttdatoen må være etter startdatoen",
        ),
        ({"capacity": None}, "capacity", "Oppgi hvor mange plasser"),
        (
            {"join_mode": Offer.JoinMode.APPLICATION, "application_deadline": None},
            "application_deadline",
            "Oppgi søknadsfristen",
        ),
        (
            {"join_mode": Offer.JoinMode.APPLICATION, "capacity": None},
            "capacity",
            "Oppgi hvor mange plasser",
        ),
        ({"subject_area": "music"}, "subject_area", "gjelder bare kulturskolen"),
        ({"programme": "core"}, "programme", "gjelder bare kulturskolen"),
        ({"price": 500, "reduced_price": 500}, "reduced_price", "må være lavere enn prisen"),
        ({"category": "cooking"}, "category", "er ikke et gyldig valg"),
    ],
)
def test_offer_create_refuses_bad_offers(personas, overrides, field, message):
    with pytest.raises(ValidationError) as excinfo:
        services.offer_create(
            actor=personas.leader_a, unit=personas.a.library, now=NOW, **_fields(**overrides)
        )
    assert any(message in m for m in _errors(excinfo)[field]), _errors(excinfo)
    assert not Offer.objects.filter(title="Gitarkurs").exists()
    assert not AuditEntry.objects.exists()


def test_drop_in_needs_no_capacity(personas):
    offer = services.offer_create(
        actor=personas.leader_a,
        unit=personas.a.club,
        now=NOW,
        **_fields(join_mode=Offer.JoinMode.DROP_IN, capacity=None),
    )
    assert offer.capacity is None


def test_offer_create_refuses_a_place_in_another_municipality(personas):
    with pytest.raises(ValidationError) as excinfo:
        services.offer_create(
            actor=personas.leader_a,
            unit=personas.a.library,
            now=NOW,
            **_fields(venue=personas.b.venue),
        )
    assert _errors(excinfo)["venue"] == ["Stedet må ligge i kommunen."]


def test_offer_create_does_not_take_status_or_unit(personas):
    with pytest.raises(TypeError):
        services.offer_create(
            actor=personas.leader_a,
            unit=personas.a.library,
            now=NOW,
            **_fields(status=Offer.Status.PUBLISHED),
        )


# --- offer_update ------------------------------------------------------------------------------


def test_offer_update_records_what_changed(personas):
    workshop = personas.a.workshop
    services.offer_update(
        actor=personas.leader_a, offer=workshop, now=NOW, title="Tegneseriekurs", capacity=8
    )
    workshop.refresh_from_db()
    assert workshop.title == "Tegneseriekurs"
    assert workshop.capacity == 8
    entry = AuditEntry.objects.get(action="offer.updated")
    assert entry.changes == {
        "title": ["Tegneserieverksted", "Tegneseriekurs"],
        "capacity": [2, 8],
    }
    assert entry.actor == personas.leader_a


def test_offer_update_without_changes_writes_no_audit_row(personas):
    services.offer_update(
        actor=personas.leader_a, offer=personas.a.workshop, now=NOW, title="Tegneserieverksted"
    )
    assert not AuditEntry.objects.exists()


def test_offer_update_refuses_bad_values_and_changes_nothing(personas):
    with pytest.raises(ValidationError):
        services.offer_update(
            actor=personas.leader_a, offer=personas.a.workshop, now=NOW, age_min=17, title="X"
        )
    personas.a.workshop.refresh_from_db()
    assert personas.a.workshop.title == "Tegneserieverksted"
    assert personas.a.workshop.age_min == 12


def test_offer_update_cannot_move_an_offer_to_another_unit(personas):
    with pytest.raises(TypeError):
        services.offer_update(
            actor=personas.admin, offer=personas.a.workshop, now=NOW, unit=personas.b.library
        )


# --- publish and unpublish ---------------------------------------------------------------------


def test_publish_and_unpublish_with_audit(personas):
    workshop = personas.a.workshop
    services.offer_unpublish(actor=personas.leader_a, offer=workshop, now=NOW)
    workshop.refresh_from_db()
    assert workshop.status == Offer.Status.DRAFT
    services.offer_publish(actor=personas.leader_a, offer=workshop, now=NOW)
    workshop.refresh_from_db()
    assert workshop.status == Offer.Status.PUBLISHED
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", "changes"))
    assert actions == [
        ("offer.unpublished", {"status": ["published", "draft"]}),
        ("offer.published", {"status": ["draft", "published"]}),
    ]


@pytest.mark.parametrize(
    "status, message",
    [
        (Offer.Status.PUBLISHED, "Tilbudet er allerede publisert."),
        (Offer.Status.CANCELLED, "Et avlyst tilbud kan ikke publiseres igjen."),
    ],
)
def test_publish_refuses_offers_that_are_not_drafts(personas, status, message):
    Offer.objects.filter(pk=personas.a.workshop.pk).update(status=status)
    with pytest.raises(ValidationError) as excinfo:
        services.offer_publish(actor=personas.leader_a, offer=personas.a.workshop, now=NOW)
    assert excinfo.value.messages == [message]
    assert not AuditEntry.objects.exists()


def test_publish_refuses_an_offer_that_is_over(personas):
    Offer.objects.filter(pk=personas.a.workshop.pk).update(status=Offer.Status.DRAFT)
    later = datetime.datetime(2027, 1, 4, 9, tzinfo=OSLO)
    with pytest.raises(ValidationError) as excinfo:
        services.offer_publish(actor=personas.leader_a, offer=personas.a.workshop, now=later)
    assert "Tilbudet er over" in excinfo.value.messages[0]


def test_publish_refuses_an_incomplete_offer(personas):
    # An offer imported as a draft without the number of places cannot go public as it is.
    Offer.objects.filter(pk=personas.a.workshop.pk).update(status=Offer.Status.DRAFT, capacity=None)
    with pytest.raises(ValidationError) as excinfo:
        services.offer_publish(actor=personas.leader_a, offer=personas.a.workshop, now=NOW)
    assert "capacity" in excinfo.value.message_dict
    personas.a.workshop.refresh_from_db()
    assert personas.a.workshop.status == Offer.Status.DRAFT


def test_unpublish_refuses_a_draft(personas):
    Offer.objects.filter(pk=personas.a.workshop.pk).update(status=Offer.Status.DRAFT)
    with pytest.raises(ValidationError):
        services.offer_unpublish(actor=personas.leader_a, offer=personas.a.workshop, now=NOW)


# --- schedule_create ---------------------------------------------------------------------------


def _schedule(offer, **overrides):
    values = {
        "weekday": TUESDAY,
        "start_time": datetime.time(18, 0),
        "end_time": datetime.time(19, 30),
        "first_date": datetime.date(2026, 10, 13),
        "last_date": datetime.date(2026, 11, 3),
    }
    values.update(overrides)
    return services.schedule_create(actor=None, offer=offer, now=NOW, **values)


def test_weekly_schedule_keeps_oslo_time_across_the_end_of_summer_time(personas):
    # Summer time ends on the last Sunday of October: 25 October 2026.
    schedule = _schedule(personas.a.workshop)
    sessions = list(schedule.sessions.order_by("starts_at"))
    assert [s.starts_at.astimezone(OSLO).date() for s in sessions] == [
        datetime.date(2026, 10, 13),
        datetime.date(2026, 10, 20),
        datetime.date(2026, 10, 27),
        datetime.date(2026, 11, 3),
    ]
    assert {s.starts_at.astimezone(OSLO).time() for s in sessions} == {datetime.time(18, 0)}
    assert {s.ends_at.astimezone(OSLO).time() for s in sessions} == {datetime.time(19, 30)}
    assert [s.starts_at.astimezone(UTC).hour for s in sessions] == [16, 16, 17, 17]
    assert {s.weekday for s in sessions} == {TUESDAY}
    assert {s.offer_id for s in sessions} == {personas.a.workshop.pk}
    entry = AuditEntry.objects.get(action="schedule.created")
    assert entry.changes["sessions"] == 4
    assert entry.changes["weekday"] == TUESDAY


def test_weekly_schedule_keeps_oslo_time_across_the_start_of_summer_time(personas):
    # Summer time starts on the last Sunday of March: 28 March 2027.
    offer = services.offer_create(
        actor=personas.leader_a,
        unit=personas.a.library,
        now=NOW,
        **_fields(term_start=datetime.date(2027, 1, 4), term_end=datetime.date(2027, 6, 18)),
    )
    schedule = _schedule(
        offer,
        weekday=MONDAY,
        first_date=datetime.date(2027, 3, 22),
        last_date=datetime.date(2027, 3, 29),
    )
    sessions = list(schedule.sessions.order_by("starts_at"))
    assert [s.starts_at.astimezone(UTC).hour for s in sessions] == [17, 16]
    assert {s.starts_at.astimezone(OSLO).hour for s in sessions} == {18}


def _spring_offer(personas):
    return services.offer_create(
        actor=personas.leader_a,
        unit=personas.a.library,
        now=NOW,
        **_fields(term_start=datetime.date(2027, 1, 4), term_end=datetime.date(2027, 6, 18)),
    )


def test_a_session_in_the_hour_skipped_by_summer_time_is_refused(personas):
    # 02:30 on 28 March 2027 never happens in Oslo: clocks go from 02:00 to 03:00.
    offer = _spring_offer(personas)
    with pytest.raises(ValidationError) as caught:
        services.session_create(
            actor=personas.leader_a,
            offer=offer,
            date=datetime.date(2027, 3, 28),
            start_time=datetime.time(2, 30),
            end_time=datetime.time(4, 0),
            now=NOW,
        )
    assert "Klokkeslettet finnes ikke 28. mars 2027" in caught.value.message_dict["start_time"][0]
    assert not Session.objects.filter(offer=offer).exists()


def test_a_weekly_time_that_falls_in_the_skipped_hour_one_week_is_refused(personas):
    offer = _spring_offer(personas)
    with pytest.raises(ValidationError) as caught:
        _schedule(
            offer,
            weekday=6,
            start_time=datetime.time(1, 30),
            end_time=datetime.time(2, 30),
            first_date=datetime.date(2027, 3, 21),
            last_date=datetime.date(2027, 4, 4),
        )
    assert "28. mars 2027" in caught.value.message_dict["end_time"][0]
    assert not Schedule.objects.filter(offer=offer).exists()


def test_weekly_schedule_starts_on_the_first_matching_day(personas):
    # 14 October 2026 is a Wednesday; the first Tuesday after it is 20 October.
    schedule = _schedule(personas.a.workshop, first_date=datetime.date(2026, 10, 14))
    assert schedule.sessions.count() == 3
    first = schedule.sessions.order_by("starts_at").first()
    assert first.starts_at.astimezone(OSLO).date() == datetime.date(2026, 10, 20)


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        (
            {"end_time": datetime.time(17, 0)},
            "end_time",
            "Sluttidspunktet må være etter starttidspunktet.",
        ),
        (
            {"first_date": datetime.date(2026, 7, 28)},
            "first_date",
            "Datoen er før tilbudet starter (1. august 2026).",
        ),
        (
            {"last_date": datetime.date(2026, 12, 22)},
            "last_date",
            "Datoen er etter at tilbudet slutter (18. desember 2026).",
        ),
        (
            {"first_date": datetime.date(2026, 11, 3), "last_date": datetime.date(2026, 10, 13)},
            "last_date",
            "Siste gang kan ikke være før første gang.",
        ),
        (
            {"first_date": datetime.date(2026, 10, 14), "last_date": datetime.date(2026, 10, 19)},
            "weekday",
            "Det er ingen slik ukedag mellom første og siste gang.",
        ),
    ],
)
def test_schedule_create_refuses_bad_times(personas, overrides, field, message):
    with pytest.raises(ValidationError) as excinfo:
        _schedule(personas.a.workshop, **overrides)
    assert _errors(excinfo)[field] == [message]
    assert not Schedule.objects.exists()
    assert not Session.objects.exists()
    assert not AuditEntry.objects.exists()


def test_schedule_create_makes_at_most_a_year_of_sessions(personas):
    Offer.objects.filter(pk=personas.a.workshop.pk).update(term_end=None)
    with pytest.raises(ValidationError) as excinfo:
        _schedule(
            personas.a.workshop,
            first_date=datetime.date(2026, 8, 4),
            last_date=datetime.date(2027, 8, 31),
        )
    assert "høyst 53 uker" in _errors(excinfo)["last_date"][0]


# --- session_create ----------------------------------------------------------------------------


def test_single_session_in_winter_time_with_another_place(personas):
    hall = Venue.objects.create(municipality=personas.arendal, name="Arendal kulturhus, scenen")
    session = services.session_create(
        actor=personas.teacher_a,
        offer=personas.a.piano,
        date=datetime.date(2026, 12, 12),
        start_time=datetime.time(14, 0),
        end_time=datetime.time(16, 0),
        venue=hall,
        now=NOW,
    )
    session.refresh_from_db()
    assert session.starts_at == datetime.datetime(2026, 12, 12, 13, 0, tzinfo=UTC)
    assert session.ends_at == datetime.datetime(2026, 12, 12, 15, 0, tzinfo=UTC)
    assert session.weekday == 5
    assert session.venue == hall
    assert session.schedule is None
    entry = AuditEntry.objects.get(action="session.created")
    assert entry.actor == personas.teacher_a
    assert entry.changes["venue"] == hall.pk
    assert entry.changes["starts_at"] == "2026-12-12T14:00:00+01:00"


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"date": datetime.date(2027, 1, 9)}, "date"),
        ({"end_time": datetime.time(13, 0)}, "end_time"),
    ],
)
def test_session_create_refuses_bad_input(personas, overrides, field):
    values = {
        "date": datetime.date(2026, 12, 12),
        "start_time": datetime.time(14, 0),
        "end_time": datetime.time(16, 0),
        "venue": None,
    }
    values.update(overrides)
    with pytest.raises(ValidationError) as excinfo:
        services.session_create(actor=personas.admin, offer=personas.a.piano, now=NOW, **values)
    assert field in excinfo.value.message_dict
    assert not Session.objects.exists()


def test_session_create_refuses_a_place_in_another_municipality(personas):
    with pytest.raises(ValidationError) as excinfo:
        services.session_create(
            actor=personas.admin,
            offer=personas.a.piano,
            date=datetime.date(2026, 12, 12),
            start_time=datetime.time(14, 0),
            end_time=datetime.time(16, 0),
            venue=personas.b.venue,
            now=NOW,
        )
    assert excinfo.value.message_dict == {"venue": ["Stedet må ligge i kommunen."]}
