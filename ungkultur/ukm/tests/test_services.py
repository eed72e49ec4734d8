import datetime

import pytest
from django.core.exceptions import ValidationError

from ungkultur.core.models import AuditEntry
from ungkultur.ukm.models import Innslag, InnslagPerson, InnslagTitle, UkmEvent
from ungkultur.ukm.services import (
    innslag_create,
    innslag_forward,
    innslag_update,
    normalise_mobile,
    ukm_event_create,
    ukm_event_update,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
OPENS = datetime.datetime(2027, 1, 10, 8, 0, tzinfo=UTC)
CLOSES = datetime.datetime(2027, 3, 1, 23, 0, tzinfo=UTC)  # midnight in Oslo
STARTS = datetime.datetime(2027, 3, 20, 17, 0, tzinfo=UTC)
DURING = datetime.datetime(2027, 2, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def event(personas):
    return UkmEvent.objects.create(
        unit=personas.a.ukm,
        name="UKM Arendal 2027",
        starts_at=STARTS,
        venue=personas.a.venue,
        signup_opens=OPENS,
        signup_closes=CLOSES,
    )


def person(first_name, birth_year, **fields):
    return {"first_name": first_name, "last_name": "Testesen", "birth_year": birth_year, **fields}


def create(personas, event, **fields):
    defaults = {
        "actor": personas.youth_a,
        "event": event,
        "type": "music",
        "name": "Kaos i kjelleren",
        "description": "Rock",
        "persons": [person("Ola", 2010, role="gitar"), person("Kari", 2011, role="vokal")],
        "titles": [{"title": "Første låt", "duration_seconds": 210, "self_made": True}],
        "now": DURING,
    }
    return innslag_create(**{**defaults, **fields})


def messages(error):
    return [m for ms in error.value.message_dict.values() for m in ms]


# --- Mobile numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["91234567", "912 34 567", "+47 912 34 567", "0047 41234567", " 4 1 2 3 4 5 6 7 "]
)
def test_norwegian_mobile_numbers_are_accepted(value):
    assert normalise_mobile(value) in ("91234567", "41234567")


@pytest.mark.parametrize(
    "value",
    ["", "9123456", "912345678", "81234567", "+46 912 34 567", "912-34-567", "9123456a", "47"],
)
def test_other_numbers_are_refused(value):
    assert normalise_mobile(value) is None


# --- Sign-up window -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "now,is_open",
    [
        (OPENS - datetime.timedelta(seconds=1), False),
        (OPENS, True),
        (CLOSES - datetime.timedelta(seconds=1), True),
        (CLOSES, False),
    ],
)
def test_signup_window_is_half_open(personas, event, now, is_open):
    assert event.signup_is_open(now) is is_open
    if is_open:
        create(personas, event, now=now)
    else:
        with pytest.raises(ValidationError) as error:
            create(personas, event, now=now)
        assert messages(error) == ["Påmeldingen er stengt"]
        assert not Innslag.objects.exists()


def test_create_stores_the_entry_persons_titles_and_audit(personas, event):
    innslag = create(personas, event)
    innslag.refresh_from_db()
    assert (innslag.type, innslag.name, innslag.contact, innslag.created_at) == (
        "music",
        "Kaos i kjelleren",
        personas.youth_a,
        DURING,
    )
    assert innslag.forwarded_at is None
    assert list(innslag.persons.order_by("pk").values_list("first_name", "birth_year", "role")) == [
        ("Ola", 2010, "gitar"),
        ("Kari", 2011, "vokal"),
    ]
    (title,) = innslag.titles.all()
    assert (title.title, title.duration_seconds, title.self_made) == ("Første låt", 210, True)
    entry = AuditEntry.objects.get(action="innslag.created")
    assert entry.actor == personas.youth_a
    assert entry.at == DURING
    # The audit row keeps the size of the entry, not the youth's details.
    assert entry.changes == {
        "event": event.pk,
        "type": "music",
        "name": "Kaos i kjelleren",
        "persons": 2,
        "titles": 1,
    }


def test_the_contact_is_linked_when_they_are_one_of_the_persons(personas, event):
    youth = personas.youth_a  # born 2011: 16 in 2027
    innslag = create(
        personas,
        event,
        persons=[person(youth.first_name.upper(), 2011), person("Ola", 2010)],
    )
    linked = InnslagPerson.objects.filter(innslag=innslag, user=youth)
    assert list(linked.values_list("first_name", flat=True)) == [youth.first_name.upper()]


# --- Ages -----------------------------------------------------------------------------------


@pytest.mark.parametrize("birth_year,age", [(2017, 10), (2007, 20)])
def test_exactly_10_and_exactly_20_may_take_part(personas, event, birth_year, age):
    guardian = {"guardian_name": "Foresatt", "guardian_mobile": "912 34 567"}
    innslag = create(personas, event, persons=[person("Ung", birth_year, **guardian)])
    assert innslag.persons.get().birth_year == 2027 - age


@pytest.mark.parametrize("birth_year", [2018, 2006, 1990])
def test_younger_than_10_or_older_than_20_may_not(personas, event, birth_year):
    guardian = {"guardian_name": "Foresatt", "guardian_mobile": "912 34 567"}
    with pytest.raises(ValidationError) as error:
        create(personas, event, persons=[person("Ung", birth_year, **guardian)])
    assert messages(error) == ["Ung: UKM er for deg mellom 10 og 20 år."]
    assert not Innslag.objects.exists()


def test_age_counts_from_the_event_year_not_the_signup_year(personas, event):
    # Sign-up in 2026 for an event in 2027: born 2017 is 9 now, but 10 in the event's year.
    event.signup_opens = datetime.datetime(2026, 12, 1, tzinfo=UTC)
    event.save()
    guardian = {"guardian_name": "Foresatt", "guardian_mobile": "912 34 567"}
    innslag = create(
        personas,
        event,
        persons=[person("Ung", 2017, **guardian)],
        now=datetime.datetime(2026, 12, 15, tzinfo=UTC),
    )
    assert list(innslag.persons.values_list("first_name", "birth_year")) == [("Ung", 2017)]


def test_14_year_old_needs_guardian_name_and_mobile(personas, event):
    with pytest.raises(ValidationError) as error:
        create(personas, event, persons=[person("Lise", 2013)])
    assert messages(error) == [
        "Lise: Skriv navnet til en foresatt. Det trengs under 15 år.",
        "Lise: Skriv mobilnummeret til en foresatt. Det trengs under 15 år.",
    ]


def test_14_year_old_with_bad_guardian_mobile_is_refused(personas, event):
    with pytest.raises(ValidationError) as error:
        create(
            personas,
            event,
            persons=[person("Lise", 2013, guardian_name="Mor", guardian_mobile="1234")],
        )
    assert messages(error) == [
        "Lise: Skriv et norsk mobilnummer med 8 siffer, for eksempel 912 34 567."
    ]


def test_14_year_old_with_guardian_is_stored_with_a_normalised_number(personas, event):
    innslag = create(
        personas,
        event,
        persons=[
            person("Lise", 2013, guardian_name="Mor Testesen", guardian_mobile="+47 912 34 567")
        ],
    )
    stored = innslag.persons.get()
    assert (stored.guardian_name, stored.guardian_mobile) == ("Mor Testesen", "91234567")


def test_15_year_old_needs_no_guardian_and_none_is_stored(personas, event):
    innslag = create(
        personas,
        event,
        persons=[person("Per", 2012, guardian_name="Far", guardian_mobile="not a number")],
    )
    stored = innslag.persons.get()
    assert (stored.guardian_name, stored.guardian_mobile) == ("", "")


def test_every_problem_is_reported_at_once(personas, event):
    with pytest.raises(ValidationError) as error:
        create(
            personas,
            event,
            type="organiser",
            persons=[person("Ung", 2020), person("Lise", 2013, guardian_name="Mor")],
            titles=[{"title": "Noe"}],
        )
    assert error.value.message_dict == {
        "persons": [
            "Ung: UKM er for deg mellom 10 og 20 år.",
            "Lise: Skriv mobilnummeret til en foresatt. Det trengs under 15 år.",
        ],
        "titles": ["Innslag der du jobber med noe, har ingen titler. Fjern titlene."],
    }


# --- Types, titles, persons -----------------------------------------------------------------


@pytest.mark.parametrize("type", ["organiser", "media", "host", "data_culture"])
def test_working_with_types_have_no_titles(personas, event, type):
    with pytest.raises(ValidationError) as error:
        create(personas, event, type=type)
    assert list(error.value.message_dict) == ["titles"]
    innslag = create(personas, event, type=type, titles=[])
    assert innslag.is_working_with


def test_an_entry_needs_a_person(personas, event):
    with pytest.raises(ValidationError) as error:
        create(personas, event, persons=[])
    assert error.value.message_dict == {"persons": ["Et innslag må ha minst én person."]}


def test_an_unknown_type_is_refused(personas, event):
    with pytest.raises(ValidationError) as error:
        create(personas, event, type="juggling")
    assert "type" in error.value.message_dict


# --- Update -----------------------------------------------------------------------------------


def test_update_replaces_persons_and_titles_with_audit(personas, event):
    innslag = create(personas, event)
    later = DURING + datetime.timedelta(days=1)
    innslag_update(
        actor=personas.youth_a,
        innslag=innslag,
        type="dance",
        name="Kaos på gulvet",
        description="",
        persons=[person("Kari", 2011)],
        titles=[],
        now=later,
    )
    innslag.refresh_from_db()
    assert (innslag.type, innslag.name) == ("dance", "Kaos på gulvet")
    assert list(innslag.persons.values_list("first_name", flat=True)) == ["Kari"]
    assert not InnslagTitle.objects.exists()
    entry = AuditEntry.objects.get(action="innslag.updated")
    assert entry.at == later
    assert entry.changes["before"]["persons"] == 2
    assert entry.changes["after"] == {
        "event": event.pk,
        "type": "dance",
        "name": "Kaos på gulvet",
        "persons": 1,
        "titles": 0,
    }


def test_update_after_signup_closes_is_refused(personas, event):
    innslag = create(personas, event)
    with pytest.raises(ValidationError) as error:
        innslag_update(
            actor=personas.youth_a,
            innslag=innslag,
            type="dance",
            name="For sent",
            persons=[person("Kari", 2011)],
            titles=[],
            now=CLOSES,
        )
    assert messages(error) == ["Påmeldingen er stengt"]
    innslag.refresh_from_db()
    assert innslag.name == "Kaos i kjelleren"
    assert innslag.persons.count() == 2


# --- Forwarding -------------------------------------------------------------------------------


def test_forward_and_withdraw_with_audit(personas, event):
    innslag = create(personas, event)
    after = STARTS + datetime.timedelta(days=1)
    innslag_forward(actor=personas.a.ukm_contact, innslag=innslag, forwarded=True, now=after)
    innslag.refresh_from_db()
    assert innslag.forwarded_at == after
    # Forwarding twice keeps the first time and writes nothing.
    innslag_forward(
        actor=personas.a.ukm_contact,
        innslag=innslag,
        forwarded=True,
        now=after + datetime.timedelta(hours=1),
    )
    innslag.refresh_from_db()
    assert innslag.forwarded_at == after
    innslag_forward(actor=personas.leader_a, innslag=innslag, forwarded=False, now=after)
    innslag.refresh_from_db()
    assert innslag.forwarded_at is None
    assert list(
        AuditEntry.objects.filter(action__startswith="innslag.forward")
        .order_by("pk")
        .values_list("action", "actor")
    ) == [
        ("innslag.forwarded", personas.a.ukm_contact.pk),
        ("innslag.forward_withdrawn", personas.leader_a.pk),
    ]


# --- The event ------------------------------------------------------------------------------


def event_fields(personas, **fields):
    return {
        "actor": personas.a.ukm_contact,
        "unit": personas.a.ukm,
        "name": "UKM Arendal",
        "description": "",
        "starts_at": STARTS,
        "venue": personas.a.venue,
        "signup_opens": OPENS,
        "signup_closes": CLOSES,
        "now": DURING,
        **fields,
    }


def test_event_create_with_audit(personas):
    event = ukm_event_create(**event_fields(personas))
    assert event.unit == personas.a.ukm
    entry = AuditEntry.objects.get(action="ukm_event.created")
    assert entry.actor == personas.a.ukm_contact
    assert entry.changes["signup_closes"] == CLOSES.isoformat()


@pytest.mark.parametrize(
    "fields,key,message",
    [
        ({"signup_closes": OPENS}, "signup_closes", "Påmeldingen må stenge etter at den åpner."),
        (
            {"starts_at": CLOSES - datetime.timedelta(hours=1)},
            "signup_closes",
            "Påmeldingen må stenge før arrangementet starter.",
        ),
    ],
)
def test_event_window_must_make_sense(personas, fields, key, message):
    with pytest.raises(ValidationError) as error:
        ukm_event_create(**event_fields(personas, **fields))
    assert error.value.message_dict == {key: [message]}
    assert not UkmEvent.objects.exists()


def test_event_venue_must_be_in_the_municipality(personas):
    with pytest.raises(ValidationError) as error:
        ukm_event_create(**event_fields(personas, venue=personas.b.venue))
    assert error.value.message_dict == {"venue": ["Stedet må ligge i Arendal."]}


def test_only_a_ukm_unit_has_events(personas):
    with pytest.raises(ValidationError):
        ukm_event_create(**event_fields(personas, unit=personas.a.club))


def test_event_update_with_audit(personas, event):
    ukm_event_update(
        actor=personas.leader_a,
        event=event,
        name="UKM Arendal 2027!",
        description="Ny tekst",
        starts_at=STARTS,
        venue=None,
        signup_opens=OPENS,
        signup_closes=CLOSES,
        now=DURING,
    )
    event.refresh_from_db()
    assert (event.name, event.venue) == ("UKM Arendal 2027!", None)
    entry = AuditEntry.objects.get(action="ukm_event.updated")
    assert entry.changes["before"]["name"] == "UKM Arendal 2027"
    assert entry.changes["after"]["venue"] is None
