"""Demo offers, enrolments over six terms, attendance, club evenings and a UKM event.

All fictional. Enrolments continue from term to term with a plausible chance of dropping out,
so that the indicators have something to show. Idempotent: a municipality that already has
demo offers is left alone.
"""

import datetime
import hashlib
import random
import zoneinfo

import dateutil.easter

from ungkultur.accounts.models import Gender, User
from ungkultur.catalogue.models import Category, Offer, SchoolHoliday, Session, Venue
from ungkultur.clubs.models import ClubEvening, ClubHeadcount
from ungkultur.enrolment.models import (
    Attendance,
    DropoutReason,
    EndReason,
    Enrolment,
    Participant,
)
from ungkultur.organisations.models import Unit, UnitStaff
from ungkultur.ukm.models import Innslag, InnslagPerson, InnslagTitle, InnslagType, UkmEvent

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")

# (title, category, subject area, programme, ages, capacity, price)
KULTURSKOLE = [
    ("Piano", Category.MUSIC, "music", "core", (7, 19), 8, 2400),
    ("Gitar", Category.MUSIC, "music", "breadth", (9, 19), 10, 2400),
    ("Fiolin", Category.MUSIC, "music", "core", (6, 19), 6, 2400),
    ("Sang", Category.MUSIC, "music", "breadth", (10, 19), 10, 2400),
    ("Band", Category.MUSIC, "music", "breadth", (12, 19), 12, 1800),
    ("Slagverk", Category.MUSIC, "music", "core", (9, 19), 6, 2400),
    ("Kor for ungdom", Category.MUSIC, "music", "breadth", (12, 19), 30, 1200),
    ("Hiphop", Category.DANCE, "dance", "breadth", (10, 19), 20, 1800),
    ("Ballett", Category.DANCE, "dance", "core", (8, 19), 16, 2200),
    ("Samtidsdans fordypning", Category.DANCE, "dance", "advanced", (13, 19), 10, 3200),
    ("Teatergruppe", Category.THEATRE, "theatre", "breadth", (11, 19), 16, 1800),
    ("Musikal", Category.THEATRE, "theatre", "core", (12, 19), 20, 2200),
    ("Tegning og maling", Category.VISUAL_ART, "visual_art", "breadth", (10, 19), 12, 1800),
    ("Keramikk", Category.VISUAL_ART, "visual_art", "breadth", (10, 19), 10, 2000),
    (
        "Skapende skriving",
        Category.CREATIVE_WRITING,
        "creative_writing",
        "breadth",
        (12, 19),
        12,
        1500,
    ),
    ("Låtskriving", Category.MUSIC, "music", "advanced", (13, 19), 8, 2400),
]
CLUB = [
    ("Åpen klubb", Category.OTHER, (10, 18)),
    ("Gamingkveld", Category.GAMING, (12, 18)),
    ("Studio og lydproduksjon", Category.MUSIC, (13, 18)),
    ("Dansegulvet", Category.DANCE, (10, 18)),
]
PARTNERS = [
    (Unit.Kind.LIBRARY, "Skriveverksted", Category.CREATIVE_WRITING, (12, 18)),
    (Unit.Kind.LIBRARY, "Tegneserieverksted", Category.VISUAL_ART, (10, 16)),
    (Unit.Kind.LIBRARY, "Lesesirkel for ungdom", Category.LITERATURE, (13, 19)),
    (Unit.Kind.ART_ASSOCIATION, "Kunstverksted for ungdom", Category.VISUAL_ART, (13, 19)),
    (Unit.Kind.UKM, "UKM-verksted: lyd og lys", Category.OTHER, (13, 20)),
    (Unit.Kind.UKM, "UKM-verksted: media og foto", Category.FILM_MEDIA, (13, 20)),
]


def term_start(year, autumn):
    return datetime.date(year, 8, 1) if autumn else datetime.date(year, 1, 1)


def term_end(year, autumn):
    return datetime.date(year, 12, 31) if autumn else datetime.date(year, 7, 31)


def terms_back(today, count):
    """The last ``count`` terms, oldest first, ending with the one containing today."""
    year, autumn = today.year, today.month >= 8
    terms = []
    for _ in range(count):
        terms.append((year, autumn))
        year, autumn = (year, False) if autumn else (year - 1, True)
    return list(reversed(terms))


class OfferSeeder:
    def __init__(self, *, municipality, size, today, rng):
        self.municipality = municipality
        self.size = size
        self.today = today
        self.rng = rng
        self.units = {u.kind: u for u in municipality.units.order_by("pk")}
        self.clubs = list(municipality.units.filter(kind=Unit.Kind.YOUTH_CLUB))
        self.terms = terms_back(today, 6)
        self.first_day = term_start(*self.terms[0])

    def run(self):
        if Offer.objects.filter(municipality=self.municipality).exists():
            return
        self.venues()
        offers = self.offers()
        self.teachers(offers)
        self.school_holidays()
        self.sessions(offers)
        participants = self.participants()
        self.enrolments(offers, participants)
        self.attendance(offers)
        self.club_evenings()
        self.ukm()

    def venues(self):
        name = self.municipality.name
        self.venue_list = [
            Venue.objects.create(
                municipality=self.municipality,
                name=f"Kulturhuset {name}",
                address="Kulturgata 1",
                step_free=True,
                accessible_toilet=True,
                hearing_loop=True,
            ),
            Venue.objects.create(
                municipality=self.municipality,
                name=f"Ungdomshuset {name}",
                address="Parkveien 12",
                step_free=True,
                accessible_toilet=False,
                accessibility_notes="Heis til andre etasje.",
            ),
            Venue.objects.create(
                municipality=self.municipality,
                name=f"{name} bibliotek",
                address="Torget 3",
                step_free=False,
                accessibility_notes="Tre trinn ved inngangen; rampe bestilles.",
            ),
        ]

    def offer(self, unit, title, category, ages, **fields):
        fields.setdefault("term_start", self.first_day)
        return Offer(
            unit=unit,
            municipality=self.municipality,
            title=title,
            category=category,
            age_min=ages[0],
            age_max=ages[1],
            status=Offer.Status.PUBLISHED,
            venue=fields.pop("venue", self.venue_list[0]),
            description=fields.pop(
                "description", f"{title} for ungdom i {self.municipality.name}."
            ),
            **fields,
        )

    def offers(self):
        offers = []
        groups = max(2, round(self.size / 8000))
        skole = self.units[Unit.Kind.KULTURSKOLE]
        # Applications are open for three weeks from the day the demo is loaded; the advanced
        # dance group's deadline passed a week ago, so the closed state shows too.
        open_until = self.today + datetime.timedelta(days=21)
        passed = self.today - datetime.timedelta(days=7)
        for title, category, area, programme, ages, capacity, price in KULTURSKOLE:
            for group in range(self.rng.randint(1, groups)):
                offers.append(
                    self.offer(
                        skole,
                        title if group == 0 else f"{title}, gruppe {group + 1}",
                        category,
                        ages,
                        subject_area=area,
                        programme=programme,
                        capacity=capacity,
                        price=price,
                        reduced_price=price // 2,
                        price_note="Søskenmoderasjon 30 %",
                        join_mode=Offer.JoinMode.APPLICATION,
                        application_deadline=passed
                        if programme == "advanced" and (category == Category.DANCE)
                        else open_until,
                    )
                )
        for club in self.clubs:
            for title, category, ages in CLUB:
                offers.append(
                    self.offer(
                        club,
                        f"{title} – {club.name}",
                        category,
                        ages,
                        join_mode=Offer.JoinMode.DROP_IN,
                        venue=self.venue_list[1],
                    )
                )
        this_term = term_start(*self.terms[-1])
        for kind, title, category, ages in PARTNERS:
            if kind in self.units:
                offers.append(
                    self.offer(
                        self.units[kind],
                        title,
                        category,
                        ages,
                        join_mode=Offer.JoinMode.REGISTRATION,
                        capacity=self.rng.randint(8, 15),
                        venue=self.venue_list[2],
                        term_start=this_term,
                        term_end=term_end(*self.terms[-1]),
                    )
                )
        Offer.objects.bulk_create(offers)
        return list(Offer.objects.filter(municipality=self.municipality).select_related("unit"))

    def teachers(self, offers):
        """The kulturskole's teachers teach its music groups (and take their attendance); the
        other groups have teachers the demo does not log in as, so the difference shows."""
        skole = self.units[Unit.Kind.KULTURSKOLE]
        teachers = list(
            UnitStaff.objects.filter(unit=skole, role=UnitStaff.Role.TEACHER).values_list(
                "user_id", flat=True
            )
        )
        Offer.teachers.through.objects.bulk_create(
            Offer.teachers.through(offer_id=offer.pk, user_id=teacher)
            for offer in offers
            if offer.unit_id == skole.pk and offer.subject_area == Offer.SubjectArea.MUSIC
            for teacher in teachers
        )

    def school_holidays(self):
        """The kulturskole's school holidays (skolerute) in the current school year: the
        usual Norwegian ones, on their usual weeks."""
        year = self.today.year if self.today.month >= 8 else self.today.year - 1
        easter = dateutil.easter.easter(year + 1)

        def week(iso_year, number):
            monday = datetime.date.fromisocalendar(iso_year, number, 1)
            return monday, monday + datetime.timedelta(days=4)

        periods = [
            ("Høstferie", *week(year, 40)),
            ("Juleferie", datetime.date(year, 12, 21), datetime.date(year + 1, 1, 1)),
            ("Vinterferie", *week(year + 1, 8)),
            (
                "Påskeferie",
                easter - datetime.timedelta(days=6),
                easter + datetime.timedelta(days=1),
            ),
        ]
        self.holidays = [
            SchoolHoliday(
                unit=self.units[Unit.Kind.KULTURSKOLE], name=name, first_day=first, last_day=last
            )
            for name, first, last in periods
        ]
        SchoolHoliday.objects.bulk_create(self.holidays)

    def _in_holiday(self, offer, day):
        return any(
            h.unit_id == offer.unit_id and h.first_day <= day <= h.last_day for h in self.holidays
        )

    def sessions(self, offers):
        """Weekly sessions through the current term, none in the kulturskole's holidays."""
        start, end = term_start(*self.terms[-1]), term_end(*self.terms[-1])
        first_week = start + datetime.timedelta(days=14)
        sessions = []
        for offer in offers:
            weekday = self.rng.randint(0, 4)
            hour = self.rng.randint(15, 19)
            day = first_week + datetime.timedelta(days=(weekday - first_week.weekday()) % 7)
            while day <= end - datetime.timedelta(days=14):
                if self._in_holiday(offer, day):
                    day += datetime.timedelta(weeks=1)
                    continue
                starts = datetime.datetime.combine(day, datetime.time(hour), OSLO)
                sessions.append(
                    Session(
                        offer=offer,
                        starts_at=starts,
                        ends_at=starts + datetime.timedelta(hours=1, minutes=30),
                        weekday=day.weekday(),
                        venue=offer.venue,
                    )
                )
                day += datetime.timedelta(weeks=1)
        Session.objects.bulk_create(sessions, batch_size=2000)

    def participants(self):
        """Demo youth with accounts, and youth known only from the other systems' imports."""
        users = User.objects.filter(municipality=self.municipality, birth_year__isnull=False)
        people = [
            Participant(
                municipality=self.municipality, user=u, birth_year=u.birth_year, gender=u.gender
            )
            for u in users
        ]
        for n in range(round(self.size / 60)):
            ref = hashlib.sha256(f"demo:{self.municipality.code}:{n}".encode()).hexdigest()
            people.append(
                Participant(
                    municipality=self.municipality,
                    ref_hash=ref,
                    birth_year=self.today.year - self.rng.randint(7, 19),
                    gender=self.rng.choices(list(Gender.values), weights=[48, 46, 2, 4])[0],
                )
            )
        Participant.objects.bulk_create(people, batch_size=2000)
        return list(Participant.objects.filter(municipality=self.municipality))

    def enrolments(self, offers, participants):
        enrolments = []
        by_offer = {}
        joinable = [o for o in offers if o.join_mode != Offer.JoinMode.DROP_IN]
        for person in participants:
            for _ in range(self.rng.choice([1, 1, 1, 2, 2, 3])):
                enrolment = self.history(person, joinable, by_offer)
                if enrolment:
                    enrolments.append(enrolment)
        Enrolment.objects.bulk_create(enrolments, batch_size=2000)
        self.waiting_lists(offers, participants, by_offer)

    def waiting_lists(self, offers, participants, by_offer):
        """The workshops this term are popular: full, with a few on the waiting list."""
        now = datetime.datetime.combine(self.today, datetime.time(9), OSLO)
        rows = []
        for offer in offers:
            if offer.join_mode != Offer.JoinMode.REGISTRATION:
                continue
            fitting = [
                p
                for p in participants
                if (offer.pk, p.pk) not in by_offer
                and offer.age_min <= self.today.year - p.birth_year <= offer.age_max
            ]
            self.rng.shuffle(fitting)
            for n, person in enumerate(fitting[: offer.capacity + 3]):
                waiting = n >= offer.capacity
                rows.append(
                    Enrolment(
                        offer=offer,
                        participant=person,
                        status=Enrolment.Status.WAITING if waiting else Enrolment.Status.ACTIVE,
                        queued_at=now - datetime.timedelta(days=60 - n),
                        start=None if waiting else offer.term_start + datetime.timedelta(days=14),
                    )
                )
        Enrolment.objects.bulk_create(rows, batch_size=2000)

    def history(self, person, offers, by_offer):
        """One enrolment: it starts in one of the six terms and goes on, or ends, term by term."""
        first_index = self.rng.randrange(len(self.terms))
        year, autumn = self.terms[first_index]
        age = year - person.birth_year
        fitting = [
            o
            for o in offers
            if o.age_min <= age <= o.age_max and o.term_start <= term_end(year, autumn)
        ]
        if not fitting:
            return None
        offer = self.rng.choice(fitting)
        if (offer.pk, person.pk) in by_offer:
            return None
        by_offer[offer.pk, person.pk] = True
        start = max(offer.term_start, term_start(year, autumn)) + datetime.timedelta(
            days=self.rng.randint(14, 40)
        )
        queued = datetime.datetime.combine(
            start - datetime.timedelta(days=30), datetime.time(12), OSLO
        )
        enrolment = Enrolment(
            offer=offer,
            participant=person,
            queued_at=queued,
            start=start,
            status=Enrolment.Status.ACTIVE,
        )
        if start > self.today:
            enrolment.status, enrolment.start = Enrolment.Status.WAITING, None
            return enrolment
        for year, autumn in self.terms[first_index + 1 :]:
            if year - person.birth_year > offer.age_max:
                return self.ended(
                    enrolment, term_end(year - (not autumn), True), EndReason.AGED_OUT
                )
            if offer.term_end and offer.term_end < term_start(year, autumn):
                return self.ended(enrolment, offer.term_end, EndReason.COMPLETED)
            if self.rng.random() < 0.18:
                end = term_start(year, autumn) - datetime.timedelta(days=self.rng.randint(1, 60))
                reason = self.rng.choices(
                    [
                        EndReason.DROPPED_OUT,
                        EndReason.COMPLETED,
                        EndReason.MOVED,
                        EndReason.UNKNOWN,
                    ],
                    weights=[60, 20, 5, 15],
                )[0]
                return self.ended(enrolment, max(end, enrolment.start), reason)
        return enrolment

    def ended(self, enrolment, end, reason):
        enrolment.status = Enrolment.Status.ENDED
        enrolment.end = max(end, enrolment.start)
        enrolment.end_reason = reason
        if reason == EndReason.DROPPED_OUT:
            enrolment.dropout_reason = self.rng.choice(list(DropoutReason.values))
        return enrolment

    def attendance(self, offers):
        now = datetime.datetime.combine(self.today, datetime.time(0), OSLO)
        past = Session.objects.filter(offer__municipality=self.municipality, starts_at__lt=now)
        active = {}
        for enrolment in Enrolment.objects.filter(
            offer__municipality=self.municipality, status=Enrolment.Status.ACTIVE
        ):
            active.setdefault(enrolment.offer_id, []).append(enrolment)
        rows = [
            Attendance(
                session=session,
                enrolment=enrolment,
                present=self.rng.random() < 0.85,
                recorded_at=session.ends_at,
            )
            for session in past
            for enrolment in active.get(session.offer_id, [])
            if enrolment.start and enrolment.start <= session.starts_at.date()
        ]
        # About half of the absences were sent word of (gyldig fravær).
        for row in rows:
            row.excused = not row.present and self.rng.random() < 0.5
        Attendance.objects.bulk_create(rows, batch_size=5000)

    def club_evenings(self):
        for club in self.clubs:
            day = self.today - datetime.timedelta(days=180)
            while day < self.today:
                if day.weekday() in (0, 2, 4):
                    evening = ClubEvening.objects.create(
                        unit=club,
                        date=day,
                        first_time_visitors=self.rng.randint(0, 3),
                        recorded_at=datetime.datetime.combine(day, datetime.time(22), OSLO),
                    )
                    ClubHeadcount.objects.bulk_create(
                        [
                            ClubHeadcount(
                                evening=evening,
                                age_band=band,
                                gender=gender,
                                count=self.rng.randint(1, 9),
                            )
                            for band in ("10_12", "13_15", "16_18")
                            for gender in ("female", "male")
                        ]
                        + [
                            ClubHeadcount(
                                evening=evening,
                                age_band="13_15",
                                gender="other",
                                count=self.rng.randint(0, 2) or 1,
                            )
                        ]
                    )
                day += datetime.timedelta(days=1)

    def ukm(self):
        unit = self.units.get(Unit.Kind.UKM)
        if unit is None:
            return
        contact = User.objects.filter(
            municipality=self.municipality, birth_year__isnull=False
        ).first()
        # Last season's event ten months ago; this season's sign-up opened a month ago and
        # closes in six weeks, two weeks before the show: open on the day the demo is loaded.
        day = datetime.timedelta(days=1)
        past_start = datetime.datetime.combine(self.today - 300 * day, datetime.time(18), OSLO)
        past = UkmEvent.objects.create(
            unit=unit,
            name=f"UKM {self.municipality.name} {past_start.year}",
            venue=self.venue_list[0],
            starts_at=past_start,
            signup_opens=past_start - 100 * day,
            signup_closes=past_start - 14 * day,
            description="Lokalmønstringen: scene, film, kunst og «jobbe med».",
        )
        closes = datetime.datetime.combine(self.today + 42 * day, datetime.time(23, 59), OSLO)
        coming_start = datetime.datetime.combine(self.today + 56 * day, datetime.time(18), OSLO)
        UkmEvent.objects.create(
            unit=unit,
            name=f"UKM {self.municipality.name} {coming_start.year}",
            venue=self.venue_list[0],
            starts_at=coming_start,
            signup_opens=datetime.datetime.combine(self.today - 30 * day, datetime.time(0), OSLO),
            signup_closes=closes,
            description=f"Meld deg på innen {closes.day}.{closes.month}.{closes.year}!",
        )
        if contact is None:
            return
        types = list(InnslagType.values)
        for n in range(round(8 + self.size / 4000)):
            kind = self.rng.choice(types)
            innslag = Innslag.objects.create(
                event=past,
                type=kind,
                name=f"Innslag {n + 1}",
                contact=contact,
                created_at=past_start - 30 * day,
                forwarded_at=past_start + 6 * day if n % 4 == 0 else None,
            )
            for p in range(self.rng.choice([1, 1, 2, 3, 4])):
                birth_year = past_start.year - self.rng.randint(13, 19)
                InnslagPerson.objects.create(
                    innslag=innslag,
                    first_name=f"Deltaker {p + 1}",
                    birth_year=birth_year,
                    role=self.rng.choice(["vokal", "gitar", "dans", "lyd", "foto", ""]),
                )
            if kind not in ("organiser", "media", "host", "data_culture"):
                InnslagTitle.objects.create(
                    innslag=innslag,
                    title=f"Verk {n + 1}",
                    duration_seconds=self.rng.randint(120, 300),
                )


def seed_offers(*, municipality, size, today):
    OfferSeeder(
        municipality=municipality, size=size, today=today, rng=random.Random(municipality.code)
    ).run()
