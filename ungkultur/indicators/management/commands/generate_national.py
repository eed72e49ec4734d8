"""A realistic, clearly synthetic nation for measuring indicators at scale (README).

At ``--scale 1.0``: the 357 municipalities sized like the real ones (a few large, many small),
population cells for every year, ~1M youth, ~3M enrolments over ten terms with dropout and end
reasons, waiting lists, ~50k offers with sessions, ~10M attendance rows, club evenings with
headcounts, UKM entries, proposals and project-group meetings. ``--scale 0.01`` makes a small one
for tests. Deterministic (``--seed``). Big tables go in by COPY on PostgreSQL and by
executemany on SQLite; nothing sends e-mail or enqueues tasks.
"""

import datetime
import math
import random
import time
import zoneinfo

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from ungkultur.catalogue.models import Category, Offer, Session
from ungkultur.clubs.models import ClubEvening, ClubHeadcount
from ungkultur.enrolment.models import Attendance, Enrolment, Participant
from ungkultur.indicators.bulk import Writer
from ungkultur.lib.terms import Term, terms_before
from ungkultur.meetings.models import Attendance as MeetingAttendance
from ungkultur.meetings.models import Event
from ungkultur.municipalities.models import Municipality, PopulationCell
from ungkultur.organisations.models import Unit
from ungkultur.participation.models import Proposal
from ungkultur.ukm.models import Innslag, InnslagPerson, InnslagType, UkmEvent

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
UTC = datetime.UTC
YOUTH_AT_SCALE_1 = 1_000_000
OFFERS_AT_SCALE_1 = 50_000
TERMS = 10
# About ten million attendance rows at scale 1.0.
SESSIONS_PER_OFFER = 28
SERVICE_KINDS = {"kulturskole": 0.5, "youth_club": 0.3, "ukm": 0.2}
END_REASONS = (
    ("dropped_out", 0.34),
    ("completed", 0.30),
    ("unknown", 0.10),
    ("moved", 0.06),
    ("aged_out", 0.20),
)
DROPOUT_REASONS = ("lost_interest", "time", "cost", "social", "other")
GENDERS = (("female", 0.48), ("male", 0.47), ("other", 0.02), ("undisclosed", 0.01), ("", 0.02))
SUBJECTS = ("music", "music", "music", "dance", "theatre", "visual_art", "creative_writing")
PROGRAMMES = ("breadth", "breadth", "core", "core", "core", "advanced")
AGE_BANDS = ("under_10", "10_12", "13_15", "16_18", "over_18")
WORKING = {InnslagType.ORGANISER, InnslagType.MEDIA, InnslagType.HOST, InnslagType.DATA_CULTURE}


def weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def _at(day: datetime.date, hour: int = 18) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=OSLO)


class Nation:
    def __init__(self, *, scale: float, seed: int, today: datetime.date, out):
        self.scale = scale
        self.rng = random.Random(seed)
        self.today = today
        self.out = out
        self.writer = Writer()
        self.terms = terms_before(Term.containing(today), TERMS)
        self.first_day = self.terms[0].start
        self.municipalities = list(Municipality.objects.prefetch_related("codes").order_by("code"))
        self.weights = self._sizes()

    def log(self, message: str) -> None:
        self.out.write(message)

    def _sizes(self) -> dict[int, float]:
        """Shares of the nation's youth: skewed like the real municipalities, Oslo largest."""
        rng = random.Random(7)
        raw = {m.pk: rng.lognormvariate(0, 1.25) for m in self.municipalities}
        largest = max(raw.values())
        for m in self.municipalities:
            if m.code == "0301":
                raw[m.pk] = largest * 4
        total = sum(raw.values())
        return {pk: w / total for pk, w in raw.items()}

    def youth(self, municipality) -> int:
        return max(20, round(YOUTH_AT_SCALE_1 * self.scale * self.weights[municipality.pk]))

    def random_day(self, first: datetime.date, last: datetime.date) -> datetime.date:
        return first + datetime.timedelta(days=self.rng.randint(0, max(0, (last - first).days)))

    # --- the steps --------------------------------------------------------------------------

    def build(self) -> dict:
        steps = [
            self.population,
            self.units_and_offers,
            self.people_and_enrolments,
            self.sessions_and_attendance,
            self.clubs,
            self.ukm,
            self.proposals,
            self.meetings,
        ]
        for step in steps:
            started = time.monotonic()
            step()
            self.log(f"{step.__name__}: {time.monotonic() - started:.1f} s")
        self.writer.reset_sequences(
            [
                Participant,
                Enrolment,
                Session,
                Attendance,
                ClubEvening,
                ClubHeadcount,
                Innslag,
                InnslagPerson,
                Proposal,
                MeetingAttendance,
            ]
        )
        return self.writer.counts

    def population(self) -> None:
        """SSB-like cells for every year, under the number valid on 1 January of that year."""
        years = range(self.terms[0].year, self.terms[-1].year + 1)
        rows = []
        seen = set(PopulationCell.objects.values_list("code", "year").distinct())
        for m in self.municipalities:
            # Residents 0–25 of each age: the youth share is about 55 % of those aged 6–25.
            per_age = self.youth(m) / 0.55 / 20
            for year in years:
                jan1 = datetime.date(year, 1, 1)
                codes = [
                    c.code
                    for c in m.codes.all()
                    if (c.valid_from is None or c.valid_from <= jan1)
                    and (c.valid_until is None or c.valid_until > jan1)
                ] or [m.code]
                if (codes[0], year) in seen:
                    continue
                for sex in (1, 2):
                    for age in range(26):
                        persons = round(per_age / 2 * self.rng.uniform(0.85, 1.15))
                        rows.append((codes[0], year, sex, age, max(1, persons)))
        self.writer.write(PopulationCell, ["code", "year", "sex", "age", "persons"], rows)

    def units_and_offers(self) -> None:
        units = []
        for m in self.municipalities:
            clubs = max(1, round(self.weights[m.pk] * 400))
            units.append(Unit(municipality=m, kind="kulturskole", name=f"{m.name} kulturskole"))
            units.append(Unit(municipality=m, kind="ukm", name=f"UKM {m.name}"))
            units += [
                Unit(municipality=m, kind="youth_club", name=f"Fritidsklubben {m.name} {n + 1}")
                for n in range(clubs)
            ]
        Unit.objects.bulk_create(units, batch_size=5000)
        self.units = {}
        for unit in Unit.objects.filter(kind__in=SERVICE_KINDS).order_by("pk"):
            self.units.setdefault((unit.municipality_id, unit.kind), []).append(unit)
        offers = []
        total = OFFERS_AT_SCALE_1 * self.scale
        for m in self.municipalities:
            for kind, share in SERVICE_KINDS.items():
                for _ in range(max(2, round(total * self.weights[m.pk] * share))):
                    unit = self.rng.choice(self.units[m.pk, kind])
                    offers.append(self._offer(m, unit, kind))
        Offer.objects.bulk_create(offers, batch_size=5000)
        self.offers = {}
        for pk, municipality_id, kind, join_mode, age_max in Offer.objects.filter(
            unit__kind__in=SERVICE_KINDS
        ).values_list("pk", "municipality_id", "unit__kind", "join_mode", "age_max"):
            self.offers.setdefault((municipality_id, kind), []).append((pk, join_mode, age_max))

    def _offer(self, m, unit, kind) -> Offer:
        rng = self.rng
        age_min = rng.randint(6, 14)
        kulturskole = kind == "kulturskole"
        subject = rng.choice(SUBJECTS) if kulturskole else ""
        return Offer(
            unit=unit,
            municipality=m,
            title=f"{subject or kind} {rng.randint(1, 99)} (syntetisk)",
            category=subject or rng.choice(Category.values),
            age_min=age_min,
            age_max=min(26, age_min + rng.randint(4, 10)),
            join_mode=(
                rng.choice(["registration", "application"])
                if kulturskole
                else rng.choice(["drop_in", "registration"])
            ),
            capacity=rng.randint(8, 30),
            status="published",
            subject_area=subject,
            programme=rng.choice(PROGRAMMES) if kulturskole else "",
            term_start=self.first_day,
        )

    def people_and_enrolments(self) -> None:
        rng = self.rng
        participant_id = self.writer.next_id(Participant)
        enrolment_id = self.writer.next_id(Enrolment)
        people, enrolments = [], []
        self.enrolment_spans = []  # (enrolment id, offer id, start, end) for attendance
        term_starts = [
            Term.from_index(i).start
            for i in range(self.terms[0].index - 2, self.terms[-1].index + 1)
        ]
        for m in self.municipalities:
            for _ in range(self.youth(m)):
                birth_year = self.today.year - rng.randint(6, 24)
                people.append(
                    (
                        participant_id,
                        m.pk,
                        f"syntetisk-{participant_id}",
                        birth_year,
                        weighted(rng, GENDERS),
                    )
                )
                open_offers = set()
                for _ in range(1 + min(8, _poisson(rng, 2.0))):
                    row = self._enrolment(
                        m, enrolment_id, participant_id, birth_year, term_starts, open_offers
                    )
                    if row is not None:
                        enrolments.append(row)
                        enrolment_id += 1
                participant_id += 1
        self.writer.write(
            Participant, ["id", "municipality_id", "ref_hash", "birth_year", "gender"], people
        )
        self.writer.write(
            Enrolment,
            [
                "id",
                "offer_id",
                "participant_id",
                "status",
                "queued_at",
                "offered_at",
                "start",
                "end",
                "end_reason",
                "dropout_reason",
            ],
            enrolments,
        )

    def _enrolment(self, m, enrolment_id, participant_id, birth_year, term_starts, open_offers):
        rng = self.rng
        kind = weighted(rng, SERVICE_KINDS.items())
        offer_id, join_mode, age_max = rng.choice(self.offers[m.pk, kind])
        start = term_starts[rng.randrange(len(term_starts))] + datetime.timedelta(
            days=rng.randint(0, 50)
        )
        if start > self.today:
            return None
        queued = _at(start - datetime.timedelta(days=rng.randint(1, 20)), 12)
        offered = None
        if join_mode in ("registration", "application") and rng.random() < 0.3:
            queued = _at(start - datetime.timedelta(days=rng.randint(10, 200)), 12)
            offered = _at(start - datetime.timedelta(days=rng.randint(1, 9)), 9)
        if rng.random() < 0.03 and offer_id not in open_offers:
            # Still on the waiting list.
            open_offers.add(offer_id)
            waited = _at(self.today - datetime.timedelta(days=rng.randint(1, 400)), 12)
            return (
                enrolment_id,
                offer_id,
                participant_id,
                "waiting",
                waited,
                None,
                None,
                None,
                "",
                "",
            )
        terms_long = 1 + _geometric(rng, 0.45)
        end = start + datetime.timedelta(days=182 * terms_long - rng.randint(20, 120))
        if end >= self.today:
            if offer_id in open_offers:
                end = self.today - datetime.timedelta(days=1)
            else:
                open_offers.add(offer_id)
                return (
                    enrolment_id,
                    offer_id,
                    participant_id,
                    "active",
                    queued,
                    offered,
                    start,
                    None,
                    "",
                    "",
                )
        end = max(end, start)
        reason = weighted(rng, END_REASONS)
        if reason == "aged_out" and end.year - birth_year < 15:
            reason = "completed"
        dropout = rng.choice(DROPOUT_REASONS) if reason == "dropped_out" else ""
        self.enrolment_spans.append((enrolment_id, offer_id, start, end))
        return (
            enrolment_id,
            offer_id,
            participant_id,
            "ended",
            queued,
            offered,
            start,
            end,
            reason,
            dropout,
        )

    def sessions_and_attendance(self) -> None:
        """Sessions every other month or so per offer; each enrolment attends those in its span."""
        rng = self.rng
        session_id = self.writer.next_id(Session)
        span_days = (self.today - self.first_day).days
        sessions, by_offer = [], {}
        for offers in self.offers.values():
            for offer_id, _mode, _age in offers:
                days = []
                for n in range(SESSIONS_PER_OFFER):
                    day = self.first_day + datetime.timedelta(
                        days=span_days * n // SESSIONS_PER_OFFER + 3
                    )
                    starts = _at(day, 17)
                    sessions.append(
                        (
                            session_id,
                            offer_id,
                            starts,
                            starts + datetime.timedelta(hours=1),
                            day.weekday(),
                            "",
                        )
                    )
                    days.append((day, session_id))
                    session_id += 1
                by_offer[offer_id] = days
        self.writer.write(
            Session,
            ["id", "offer_id", "starts_at", "ends_at", "weekday", "cancel_reason"],
            sessions,
        )
        recorded = _at(self.today, 8)

        def attendance():
            for enrolment_id, offer_id, start, end in self.enrolment_spans:
                for day, session in by_offer[offer_id]:
                    if start <= day <= end:
                        yield (session, enrolment_id, rng.random() < 0.85, recorded)

        self.writer.write(
            Attendance, ["session_id", "enrolment_id", "present", "recorded_at"], attendance()
        )

    def clubs(self) -> None:
        """One evening a week per club, with headcounts by age band and gender."""
        rng = self.rng
        evening_id = self.writer.next_id(ClubEvening)
        evenings, heads = [], []
        recorded = _at(self.today, 8)
        weeks = (self.today - self.first_day).days // 7
        # Small nations for tests get an evening every few weeks, not every week.
        stride = max(1, round(0.1 / self.scale))
        youth = {m.pk: self.youth(m) for m in self.municipalities}
        for (m, kind), units in self.units.items():
            if kind != "youth_club":
                continue
            size = min(60, max(5, youth[m] * 0.01 / len(units)))
            for unit in units:
                for week in range(0, weeks, stride):
                    day = self.first_day + datetime.timedelta(days=7 * week + 4)
                    evenings.append((evening_id, unit.pk, day, rng.randint(0, 3), "", recorded))
                    for band in ("10_12", "13_15", "16_18"):
                        for gender in ("female", "male"):
                            count = max(0, round(rng.gauss(size / 6, size / 12)))
                            if count:
                                heads.append((evening_id, band, gender, count))
                    evening_id += 1
        self.writer.write(
            ClubEvening,
            ["id", "unit_id", "date", "first_time_visitors", "note", "recorded_at"],
            evenings,
        )
        self.writer.write(ClubHeadcount, ["evening_id", "age_band", "gender", "count"], heads)

    def youth_share(self, municipality_id: int) -> float:
        return self.weights[municipality_id] * self.scale

    def contacts(self) -> dict[int, list]:
        """Five synthetic users per municipality: UKM contacts and project-group members."""
        if hasattr(self, "_contacts"):
            return self._contacts
        User = get_user_model()  # noqa: N806
        users = []
        for m in self.municipalities:
            for n in range(5):
                user = User(
                    email=f"syntetisk.{m.code}.{n}@example.invalid",
                    first_name=f"Syntetisk{n}",
                    municipality=m,
                    birth_year=self.today.year - (16 if n >= 3 else 40),
                )
                user.set_unusable_password()
                users.append(user)
        User.objects.bulk_create(users, batch_size=2000, ignore_conflicts=True)
        self._contacts = {}
        for user in User.objects.filter(email__endswith="@example.invalid").order_by("email"):
            self._contacts.setdefault(user.municipality_id, []).append(user)
        return self._contacts

    def ukm(self) -> None:
        rng = self.rng
        contacts = self.contacts()
        events = []
        for m in self.municipalities:
            unit = self.units[m.pk, "ukm"][0]
            for term in self.terms:
                if term.half == "V":
                    starts = _at(datetime.date(term.year, 3, rng.randint(1, 28)))
                    if starts.date() <= self.today:
                        events.append(
                            UkmEvent(
                                unit=unit,
                                name=f"UKM {m.name} {term.year}",
                                starts_at=starts,
                                signup_opens=starts - datetime.timedelta(days=60),
                                signup_closes=starts - datetime.timedelta(days=7),
                            )
                        )
        UkmEvent.objects.bulk_create(events, batch_size=2000)
        innslag_id = self.writer.next_id(Innslag)
        entries, persons = [], []
        types = list(InnslagType.values)
        for event in UkmEvent.objects.filter(name__startswith="UKM ").select_related("unit"):
            m = event.unit.municipality_id
            contact = contacts[m][3]
            for _ in range(max(1, round(self.youth_share(m) * 8000))):
                kind = rng.choice(types)
                entries.append(
                    (
                        innslag_id,
                        event.pk,
                        kind,
                        "Innslag (syntetisk)",
                        "",
                        contact.pk,
                        event.signup_opens,
                    )
                )
                for _ in range(1 if kind in WORKING else rng.randint(1, 4)):
                    persons.append(
                        (
                            innslag_id,
                            "Syntetisk",
                            "",
                            event.starts_at.year - rng.randint(10, 21),
                            "",
                            "",
                            "",
                            "",
                        )
                    )
                innslag_id += 1
        self.writer.write(
            Innslag,
            ["id", "event_id", "type", "name", "description", "contact_id", "created_at"],
            entries,
        )
        self.writer.write(
            InnslagPerson,
            [
                "innslag_id",
                "first_name",
                "last_name",
                "birth_year",
                "role",
                "mobile",
                "guardian_name",
                "guardian_mobile",
            ],
            persons,
        )

    def proposals(self) -> None:
        rng = self.rng
        rows = []
        for m in self.municipalities:
            for _ in range(max(2, round(self.youth_share(m.pk) * 50_000))):
                submitted = _at(self.random_day(self.first_day, self.today), 15)
                due = submitted.date() + datetime.timedelta(days=30)
                status, answered, implemented = "submitted", None, None
                if rng.random() < 0.8:
                    answered = submitted + datetime.timedelta(days=rng.randint(2, 50))
                    if answered.date() > self.today:
                        answered = None
                    else:
                        status = rng.choice(
                            [
                                "accepted",
                                "partly_accepted",
                                "rejected",
                                "in_progress",
                                "implemented",
                            ]
                        )
                        if status == "implemented":
                            implemented = answered + datetime.timedelta(days=30)
                rows.append(
                    (
                        m.pk,
                        "Forslag (syntetisk)",
                        "Tekst",
                        rng.choice(Category.values),
                        status,
                        submitted,
                        due,
                        answered,
                        implemented,
                    )
                )
        self.writer.write(
            Proposal,
            [
                "municipality_id",
                "title",
                "text",
                "category",
                "status",
                "submitted_at",
                "answer_due",
                "answered_at",
                "implemented_at",
            ],
            rows,
        )

    def meetings(self) -> None:
        rng = self.rng
        contacts = self.contacts()
        events = []
        for m in self.municipalities:
            stride = 1 if self.scale >= 0.5 else 3
            for month in range(0, (self.today - self.first_day).days // 30, stride):
                starts = _at(self.first_day + datetime.timedelta(days=30 * month + 10), 17)
                events.append(
                    Event(
                        kind="project_group_meeting",
                        municipality=m,
                        title="Prosjektgruppemøte (syntetisk)",
                        starts_at=starts,
                        ends_at=starts + datetime.timedelta(hours=2),
                        status="cancelled" if rng.random() < 0.05 else "held",
                    )
                )
        Event.objects.bulk_create(events, batch_size=5000)
        rows = []
        for pk, m in Event.objects.filter(title="Prosjektgruppemøte (syntetisk)").values_list(
            "pk", "municipality_id"
        ):
            for n, user in enumerate(contacts[m]):
                if rng.random() < (0.5 if n >= 3 else 0.9):
                    rows.append((pk, user.pk, n >= 3))
        self.writer.write(MeetingAttendance, ["event_id", "user_id", "is_youth"], rows)


def _poisson(rng: random.Random, mean: float) -> int:
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _geometric(rng: random.Random, p: float) -> int:
    return int(math.log(1 - rng.random()) / math.log(1 - p))


def _skip_foreign_key_checks() -> None:
    """On PostgreSQL, as a superuser, skip the deferred foreign-key checks of this transaction:
    the rows refer to one another correctly by construction, and checking some 15M references
    at commit took longer than writing them. Elsewhere the checks stay."""
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        pass


class Command(BaseCommand):
    help = (
        "Build a synthetic nation for benchmarks and tests: --scale 1.0 is ~1M youth and ~3M "
        "enrolments over ten terms; --scale 0.01 is small. Refuses a database with enrolments."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--today", type=datetime.date.fromisoformat)

    def handle(self, *args, **options):
        if not 0 < options["scale"] <= 2:
            raise CommandError("--scale må være mellom 0 og 2.")
        if Enrolment.objects.exists():
            raise CommandError(
                "Databasen har allerede påmeldinger. Lag den syntetiske nasjonen i en tom database."
            )
        started = time.monotonic()
        nation = Nation(
            scale=options["scale"],
            seed=options["seed"],
            today=options["today"] or timezone.localdate(),
            out=self.stdout,
        )
        with transaction.atomic():
            _skip_foreign_key_checks()
            counts = nation.build()
        for label, count in sorted(counts.items()):
            self.stdout.write(f"{label}: {count}")
        self.stdout.write(f"Generated in {time.monotonic() - started:.0f} s.")
