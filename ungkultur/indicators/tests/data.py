"""Small, tricky data in Kongsberg (which changed number from 3006 to 3303 on 1 January 2024),
for computing each indicator by hand. The terms are 2023H, 2024V and 2024H.

People in Kongsberg (the letter is their ref_hash):
  a  2010 female   kulturskole music/core from 2023-08-15, still going
  b  2009 male     kulturskole dance/breadth 2023-09-01 – 2023-12-10, dropped out
  c  2005 female   kulturskole music 2022-08-20 – 2023-12-20, aged out
  d  2011 other    kulturskole music 2023-08-20 – 2023-11-01 completed; again from 2024-01-10
  e  2012 (none)   kulturskole dance 2023-08-20 – 2023-10-01 completed, and music
                   2023-08-20 – 2023-12-01 unknown (the latest ending counts: unknown)
  f  2013 male     kulturskole music 2023-08-20 – 2023-12-31 moved (ends on the term's last day)
  g  2010 female   kulturskole music from 2023-08-20 (going), and club 2023-09-01 – 2024-03-01
                   dropped out
  h  2008 female   club from 2024-01-01 (the first day of 2024V), still going
  i  (no year) male kulturskole music from 2023-08-20, still going
  w1 2012 female   waiting for kulturskole since 2023-06-01
  w2 2011 male     queued 2023-07-15, offered 2023-09-10, then active
  w3 2012 female   queued 2023-07-31 23:30 Oslo, offered 2023-08-01 08:00 Oslo, then active
Arendal has one kulturskole pupil so that the engines must keep municipalities apart.
"""

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from ungkultur.catalogue.models import Category, Offer
from ungkultur.clubs.models import ClubEvening, ClubHeadcount
from ungkultur.enrolment.models import Enrolment, Participant
from ungkultur.meetings.models import Attendance, Event
from ungkultur.municipalities.models import Municipality, PopulationCell
from ungkultur.organisations.models import Unit
from ungkultur.participation.models import Proposal
from ungkultur.testing import make_user
from ungkultur.ukm.models import Innslag, InnslagPerson, UkmEvent

OSLO = ZoneInfo("Europe/Oslo")
D = datetime.date


def at(year, month, day, hour=12, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=OSLO)


def population(code: str, year: int, persons: int) -> None:
    """``persons`` of each sex at every age 0–25."""
    PopulationCell.objects.bulk_create(
        PopulationCell(code=code, year=year, sex=sex, age=age, persons=persons)
        for sex in (1, 2)
        for age in range(26)
    )


def offer(unit, title, **fields) -> Offer:
    return Offer.objects.create(
        unit=unit,
        municipality=unit.municipality,
        title=title,
        category=fields.pop("category", Category.MUSIC),
        age_min=6,
        age_max=19,
        join_mode=fields.pop("join_mode", Offer.JoinMode.REGISTRATION),
        term_start=D(2022, 8, 1),
        status=Offer.Status.PUBLISHED,
        **fields,
    )


def enrol(offer_, person, start=None, end=None, reason="", status=None, **fields) -> Enrolment:
    if status is None:
        status = "ended" if end else "active"
    return Enrolment.objects.create(
        offer=offer_,
        participant=person,
        status=status,
        queued_at=fields.pop("queued_at", at(2023, 6, 1)),
        start=start,
        end=end,
        end_reason=reason,
        **fields,
    )


def build() -> SimpleNamespace:
    k = SimpleNamespace()
    k.kongsberg = Municipality.objects.get(code="3303")
    k.arendal = Municipality.objects.get(code="4203")
    population("3006", 2023, 100)  # Kongsberg's old number, valid on 1 January 2023
    population("3303", 2024, 110)
    population("3303", 2023, 999)  # must not be used: 3303 was not valid on 1 January 2023
    population("4203", 2023, 200)
    population("4203", 2024, 200)

    units = {
        kind: Unit.objects.create(municipality=k.kongsberg, kind=kind, name=kind)
        for kind in ("kulturskole", "youth_club", "ukm", "library")
    }
    music = offer(units["kulturskole"], "Piano", subject_area="music", programme="core")
    dance = offer(
        units["kulturskole"],
        "Dans",
        category=Category.DANCE,
        subject_area="dance",
        programme="breadth",
    )
    club = offer(units["youth_club"], "Klubbkveld", join_mode=Offer.JoinMode.DROP_IN)
    library = offer(units["library"], "Lesesirkel")

    def person(ref, birth_year, gender=""):
        return Participant.objects.create(
            municipality=k.kongsberg, ref_hash=ref, birth_year=birth_year, gender=gender
        )

    k.a = person("a", 2010, "female")
    enrol(music, k.a, D(2023, 8, 15))
    k.b = person("b", 2009, "male")
    enrol(dance, k.b, D(2023, 9, 1), D(2023, 12, 10), "dropped_out", dropout_reason="time")
    k.c = person("c", 2005, "female")
    enrol(music, k.c, D(2022, 8, 20), D(2023, 12, 20), "aged_out")
    k.d = person("d", 2011, "other")
    enrol(music, k.d, D(2023, 8, 20), D(2023, 11, 1), "completed")
    enrol(music, k.d, D(2024, 1, 10))
    k.e = person("e", 2012)
    enrol(dance, k.e, D(2023, 8, 20), D(2023, 10, 1), "completed")
    enrol(music, k.e, D(2023, 8, 20), D(2023, 12, 1), "unknown")
    k.f = person("f", 2013, "male")
    enrol(music, k.f, D(2023, 8, 20), D(2023, 12, 31), "moved")
    k.g = person("g", 2010, "female")
    enrol(music, k.g, D(2023, 8, 20))
    enrol(club, k.g, D(2023, 9, 1), D(2024, 3, 1), "dropped_out", dropout_reason="social")
    k.h = person("h", 2008, "female")
    enrol(club, k.h, D(2024, 1, 1))
    k.i = person("i", None, "male")
    enrol(music, k.i, D(2023, 8, 20))
    # A partner's offer is none of the three services: never counted.
    enrol(library, person("lib", 2010, "female"), D(2023, 8, 20))

    k.w1 = person("w1", 2012, "female")
    enrol(music, k.w1, status="waiting", queued_at=at(2023, 6, 1))
    k.w2 = person("w2", 2011, "male")
    enrol(
        dance,
        k.w2,
        D(2023, 9, 11),
        queued_at=at(2023, 7, 15),
        offered_at=at(2023, 9, 10),
    )
    k.w3 = person("w3", 2012, "female")
    enrol(
        dance,
        k.w3,
        D(2023, 8, 2),
        queued_at=at(2023, 7, 31, 23, 30),
        offered_at=at(2023, 8, 1, 8),
    )

    # Arendal: one pupil, so municipalities are kept apart.
    arendal_school = Unit.objects.create(
        municipality=k.arendal, kind="kulturskole", name="Arendal kulturskole (fiolin)"
    )
    enrol(
        offer(arendal_school, "Fiolin", subject_area="music"),
        Participant.objects.create(
            municipality=k.arendal, ref_hash="x", birth_year=2010, gender="female"
        ),
        D(2023, 8, 20),
    )

    # Club evenings: two in 2023H, one in 2024V; one evening of another municipality.
    staff = make_user("klubb@example.org", first_name="Klubb")
    for date, counts in (
        (D(2023, 9, 1), {("13_15", "female"): 6, ("13_15", "male"): 4}),
        (D(2023, 9, 8), {("16_18", "male"): 2}),
        (D(2024, 2, 2), {("13_15", "female"): 3}),
    ):
        evening = ClubEvening.objects.create(
            unit=units["youth_club"], date=date, recorded_by=staff, recorded_at=at(2024, 3, 1)
        )
        for (band, gender), count in counts.items():
            ClubHeadcount.objects.create(evening=evening, age_band=band, gender=gender, count=count)

    # UKM on 10 March 2024: music (three people), media (two, one of them also in music).
    event = UkmEvent.objects.create(
        unit=units["ukm"],
        name="UKM Kongsberg",
        starts_at=at(2024, 3, 10, 18),
        signup_opens=at(2024, 1, 1),
        signup_closes=at(2024, 3, 1),
    )
    k.ukm_user = make_user("ukm.ungdom@example.org", first_name="Ola", birth_year=2008)
    band = Innslag.objects.create(
        event=event, type="music", name="Bandet", contact=k.ukm_user, created_at=at(2024, 2, 1)
    )
    media = Innslag.objects.create(
        event=event, type="media", name="UKM Media", contact=k.ukm_user, created_at=at(2024, 2, 1)
    )
    for innslag, first_name, birth_year, user in (
        (band, "Ola", 2008, k.ukm_user),
        (band, "Kari", 2012, None),
        (band, "Per", 2002, None),  # 22 in 2024: outside 10–20
        (media, "Ola", 2008, k.ukm_user),
        (media, "Siri", 2009, None),
    ):
        InnslagPerson.objects.create(
            innslag=innslag, first_name=first_name, birth_year=birth_year, user=user
        )

    # Proposals of 2023H: on time at 23:30 on the due day; late by half an hour; unanswered;
    # implemented.
    def proposal(submitted, due, answered=None, status="submitted"):
        return Proposal.objects.create(
            municipality=k.kongsberg,
            title="Forslag",
            text="Tekst",
            category=Category.MUSIC,
            status=status,
            submitted_at=submitted,
            answer_due=due,
            answered_at=answered,
        )

    proposal(at(2023, 9, 1), D(2023, 10, 1), at(2023, 10, 1, 23, 30), "accepted")
    proposal(at(2023, 9, 5), D(2023, 10, 5), at(2023, 10, 6, 0, 30), "rejected")
    proposal(at(2023, 9, 10), D(2023, 10, 10))
    proposal(at(2023, 11, 1), D(2023, 12, 1), at(2023, 11, 21), "implemented")

    # Project-group meetings in 2023H: one with a youth, one without, one cancelled with a
    # youth (left out), and a resource-group meeting (left out).
    youth = make_user("ung@example.org", first_name="Ung", birth_year=2008)
    adult = make_user("voksen@example.org", first_name="Voksen")
    other_adult = make_user("voksen2@example.org", first_name="Voksen2")
    for kind, status, present in (
        ("project_group_meeting", "held", [(youth, True), (adult, False), (other_adult, False)]),
        ("project_group_meeting", "held", [(adult, False)]),
        ("project_group_meeting", "cancelled", [(youth, True)]),
        ("resource_group_meeting", "held", [(youth, True)]),
    ):
        meeting = Event.objects.create(
            kind=kind,
            municipality=k.kongsberg,
            title="Møte",
            starts_at=at(2023, 10, 1, 18),
            ends_at=at(2023, 10, 1, 20),
            status=status,
        )
        for user, is_youth in present:
            Attendance.objects.create(event=meeting, user=user, is_youth=is_youth)
    return k
