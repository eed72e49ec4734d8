"""The per-municipality engine: the municipality's rows through the ORM, counted in Python as
literally as docs/indicators.md reads. DuckDB engine must give the same cells (tests/test_engines).
"""

import datetime
import statistics
from collections import defaultdict

from django.db.models import Sum
from django.utils import timezone

from ungkultur.clubs.models import ClubEvening, ClubHeadcount
from ungkultur.enrolment.models import Enrolment
from ungkultur.indicators.definitions import (
    AGE,
    BAND_INDICATORS,
    ENDED_BY_PLATFORM,
    NOT_DROPOUT_REASONS,
    SERVICE_OF_UNIT_KIND,
    SERVICES,
    UKM_PARTICIPATION,
    age_group,
    ended_by_platform,
)
from ungkultur.indicators.engine import SEX_OF_GENDER, SOURCE, UNKNOWN_GENDER
from ungkultur.lib.terms import Term
from ungkultur.meetings.models import Attendance, Event
from ungkultur.municipalities.models import PopulationCell
from ungkultur.municipalities.selectors import codes_valid_on
from ungkultur.participation.models import Proposal
from ungkultur.ukm.models import WORKING_WITH_TYPES, InnslagPerson, UkmEvent

ACCEPTED = ("accepted", "partly_accepted", "in_progress", "implemented")
WAITING_STATUSES = ("applied", "waiting")


def _oslo_date(moment: datetime.datetime | None) -> datetime.date | None:
    return None if moment is None else timezone.localtime(moment).date()


def _active_in(row, term: Term) -> bool:
    return row["start"] is not None and (
        row["start"] <= term.end and (row["end"] is None or row["end"] >= term.start)
    )


class Municipality:
    """The rows of one municipality, loaded once, and the counting over them."""

    def __init__(self, municipality, terms: list[Term], now: datetime.datetime | None = None):
        self.municipality = municipality
        self.terms = terms
        self.now = now or timezone.now()
        self.cells: dict = {}
        self.enrolments = [
            _platform_end({**row, "service": SERVICE_OF_UNIT_KIND[row.pop("offer__unit__kind")]})
            for row in Enrolment.objects.filter(
                offer__municipality=municipality,
                offer__unit__kind__in=list(SERVICE_OF_UNIT_KIND),
            ).values(
                "id",
                "participant_id",
                "participant__birth_year",
                "participant__gender",
                "start",
                "end",
                "end_reason",
                "status",
                "queued_at",
                "offered_at",
                "offer__unit__kind",
                "offer__subject_area",
                "offer__programme",
                "reregistration_deadline",
                "reregistered_at",
            )
        ]
        # Those who were ever in a queue: offered a place, or still waiting for one.
        self.queue = [
            {
                **row,
                "queued_day": _oslo_date(row["queued_at"]),
                "offered_day": _oslo_date(row["offered_at"]),
            }
            for row in self.enrolments
            if row["offered_at"] is not None or row["status"] in WAITING_STATUSES
        ]
        self.people = {
            row["participant_id"]: (
                row["participant__birth_year"],
                row["participant__gender"] or UNKNOWN_GENDER,
            )
            for row in self.enrolments
        }
        self._population: dict[int, dict] = {}
        # {(service, term index): {participant: their enrolments active in that term}}, for the
        # terms asked for and the one before the first (retention looks back one term).
        self._active: dict = defaultdict(lambda: defaultdict(list))
        wanted = [terms[0].previous(), *terms]
        for row in self.enrolments:
            for term in wanted:
                if _active_in(row, term):
                    self._active[row["service"], term.index][row["participant_id"]].append(row)

    # --- helpers ---------------------------------------------------------------------------

    def put(self, term: Term, key: str, breakdown: str, numerator, denominator=None) -> None:
        self.cells[(self.municipality.pk, str(term), key, breakdown)] = (numerator, denominator)

    def population(self, year: int) -> dict:
        """{(sex, age): persons} on 1 January, under the numbers valid that day."""
        if year not in self._population:
            codes = codes_valid_on(self.municipality, datetime.date(year, 1, 1))
            rows = (
                PopulationCell.objects.filter(code__in=codes, year=year)
                .values("sex", "age")
                .annotate(persons=Sum("persons"))
            )
            self._population[year] = {(r["sex"], r["age"]): r["persons"] for r in rows}
        return self._population[year]

    def persons(self, year: int, age_from: int, age_to: int, sex: int | None = None):
        cells = self.population(year)
        if not cells:
            return None
        return sum(
            persons
            for (s, age), persons in cells.items()
            if age_from <= age <= age_to and (sex is None or s == sex)
        )

    def active(self, term: Term, service: str) -> dict[int, list[dict]]:
        """{participant: their enrolments in the service active in the term}."""
        if service != "all":
            return self._active[service, term.index]
        found = defaultdict(list)
        for one in SERVICES:
            for participant, rows in self._active[one, term.index].items():
                found[participant].extend(rows)
        return found

    def age(self, participant: int, term: Term) -> int | None:
        birth_year = self.people[participant][0]
        return None if birth_year is None else term.year - birth_year

    # --- indicators ------------------------------------------------------------------------

    def compute(self) -> dict:
        for term in self.terms:
            self.sources(term)
            self.participation(term)
            self.cross_service(term)
            for service in SERVICES:
                self.retention(term, service)
            self.waiting(term)
            self.clubs(term)
            self.ukm(term)
            self.influence(term)
            self.governance(term)
        return self.cells

    def sources(self, term: Term) -> None:
        """What the enrolments recorded: people per service in the term and the one before
        (the club evenings and UKM entries are put by ``clubs`` and ``ukm``)."""
        for service in SERVICES:
            self.put(term, f"{SOURCE}enrolled.{service}", "", len(self.active(term, service)))
            before = len(self.active(term.previous(), service))
            self.put(term, f"{SOURCE}enrolled_before.{service}", "", before)

    def participation(self, term: Term) -> None:
        for indicator in BAND_INDICATORS:
            band = range(indicator.age_from, indicator.age_to + 1)
            people = [p for p in self.active(term, indicator.service) if self.age(p, term) in band]
            key = indicator.key
            self.put(
                term,
                key,
                "",
                len(people),
                self.persons(term.year, indicator.age_from, indicator.age_to),
            )
            by_gender = defaultdict(int)
            by_age = defaultdict(int)
            band = (indicator.age_from, indicator.age_to)
            for p in people:
                by_gender[self.people[p][1]] += 1
                by_age[age_group(self.age(p, term), band)] += 1
            if AGE not in indicator.breakdowns:
                by_age = {}
            for gender, count in by_gender.items():
                sex = SEX_OF_GENDER.get(gender)
                population = (
                    None
                    if sex is None
                    else self.persons(term.year, indicator.age_from, indicator.age_to, sex)
                )
                self.put(term, key, f"gender={gender}", count, population)
            for (low, high), count in by_age.items():
                self.put(term, key, f"age={low}-{high}", count, self.persons(term.year, low, high))

    def cross_service(self, term: Term) -> None:
        services_of = defaultdict(set)
        for service in SERVICES:
            for participant in self.active(term, service):
                services_of[participant].add(service)
        self.put(
            term,
            "cross_service",
            "",
            sum(1 for s in services_of.values() if len(s) >= 2),
            len(services_of),
        )
        cells = defaultdict(lambda: [0, 0])
        for p, services in services_of.items():
            cell = cells[self.people[p][1]]
            cell[0] += len(services) >= 2
            cell[1] += 1
        for gender, (num, den) in cells.items():
            self.put(term, "cross_service", f"gender={gender}", num, den)

    def retention(self, term: Term, service: str) -> None:
        before = term.previous()
        cohort = self.active(before, service)
        now = self.active(term, service)
        # Those not active now, by the reason on their latest-ending enrolment of the term before.
        reason = {}
        for p, rows in cohort.items():
            if p not in now:
                latest = max(rows, key=lambda r: (r["end"], r["id"]))
                reason[p] = latest["end_reason"] or "none"
        counted = [p for p in cohort if reason.get(p) not in NOT_DROPOUT_REASONS]
        groups = defaultdict(list)
        for p in counted:
            group = age_group(self.age(p, before))
            if group is not None:
                groups[f"age={group[0]}-{group[1]}"].append(p)
            groups[f"gender={self.people[p][1]}"].append(p)
            if service == "kulturskole":
                for dimension in ("subject_area", "programme"):
                    for value in {r[f"offer__{dimension}"] for r in cohort[p]} - {""}:
                        groups[f"{dimension}={value}"].append(p)
        for breakdown, people in [("", counted), *groups.items()]:
            retained = sum(1 for p in people if p in now)
            self.put(term, f"retention.{service}", breakdown, retained, len(people))
            self.put(term, f"dropout.{service}", breakdown, len(people) - retained, len(people))
        self.put(term, f"leavers.{service}", "", len(reason))
        by_reason = defaultdict(int)
        for value in reason.values():
            by_reason[value] += 1
        for value, count in by_reason.items():
            self.put(term, f"leavers.{service}", f"end_reason={value}", count)

    def waiting(self, term: Term) -> None:
        waiting = defaultdict(set)
        days = defaultdict(list)
        for row in self.queue:
            queued, offered = row["queued_day"], row["offered_day"]
            if queued < term.start and (
                (offered is None and row["status"] in WAITING_STATUSES)
                or (offered is not None and offered >= term.start)
            ):
                waiting[row["service"]].add(row["participant_id"])
            if offered is not None and term.start <= offered <= term.end:
                days[row["service"]].append((offered - queued).days)
        self.put(term, "waiting", "", len(set().union(*waiting.values())))
        for service, people in waiting.items():
            self.put(term, "waiting", f"service={service}", len(people))
        every = [d for values in days.values() for d in values]
        self.put(term, "waiting_days", "", statistics.median(every) if every else None, len(every))
        for service, values in days.items():
            self.put(
                term, "waiting_days", f"service={service}", statistics.median(values), len(values)
            )

    def clubs(self, term: Term) -> None:
        evenings = ClubEvening.objects.filter(
            unit__municipality=self.municipality, unit__kind="youth_club"
        )
        in_term = evenings.filter(date__gte=term.start, date__lte=term.end)
        count = in_term.count()
        before = evenings.filter(date__gte=term.previous().start, date__lte=term.previous().end)
        self.put(term, f"{SOURCE}club_evenings", "", count)
        self.put(term, f"{SOURCE}club_evenings_before", "", before.count())
        heads = ClubHeadcount.objects.filter(evening__in=in_term)
        total = heads.aggregate(total=Sum("count"))["total"] or 0
        first = in_term.aggregate(total=Sum("first_time_visitors"))["total"] or 0
        self.put(term, "club.visits", "", total)
        self.put(term, "club.first_time_visitors", "", first)
        self.put(term, "club.visits_per_evening", "", total, count)
        for dimension in ("gender", "age_band"):
            for row in heads.values(dimension).annotate(total=Sum("count")):
                if row["total"]:
                    self.put(
                        term,
                        "club.visits_per_evening",
                        f"{dimension}={row[dimension]}",
                        row["total"],
                        count,
                    )
        year = ClubHeadcount.objects.filter(
            evening__in=evenings.filter(date__gte=term.previous().start, date__lte=term.end)
        ).aggregate(total=Sum("count"))["total"]
        self.put(term, "club.visits_per_1000", "", year or 0, self.persons(term.year, 6, 20))

    def ukm(self, term: Term) -> None:
        events = UkmEvent.objects.filter(
            unit__municipality=self.municipality,
            unit__kind="ukm",
            starts_at__gte=term.starts_at,
            starts_at__lt=term.ends_at,
        )
        persons = InnslagPerson.objects.filter(innslag__event__in=events).values(
            "id", "user_id", "birth_year", "innslag__type"
        )
        everyone, working, in_band = set(), set(), set()
        for row in persons:
            who = ("u", row["user_id"]) if row["user_id"] else ("p", row["id"])
            everyone.add(who)
            if row["innslag__type"] in WORKING_WITH_TYPES:
                working.add(who)
            if 10 <= term.year - row["birth_year"] <= 20:
                in_band.add(who)
        population = self.persons(term.year, 10, 20)
        self.put(term, "ukm.participants_per_1000", "", len(in_band), population)
        self.put(term, UKM_PARTICIPATION, "", len(in_band), population)
        self.put(term, "ukm.working_with", "", len(working), len(everyone))
        entries = defaultdict(int)
        for innslag_type in events.values_list("innslag__type", flat=True):
            if innslag_type:
                entries[innslag_type] += 1
        self.put(term, "ukm.entries", "", sum(entries.values()))
        self.put(term, f"{SOURCE}ukm_entries", "", sum(entries.values()))
        for innslag_type, count in entries.items():
            self.put(term, "ukm.entries", f"type={innslag_type}", count)

    def influence(self, term: Term) -> None:
        proposals = Proposal.objects.filter(
            municipality=self.municipality,
            submitted_at__gte=term.starts_at,
            submitted_at__lt=term.ends_at,
        ).values("status", "submitted_at", "answer_due", "answered_at")
        submitted = list(proposals)
        answered = [p for p in submitted if p["answered_at"] is not None]
        on_time = [p for p in answered if _oslo_date(p["answered_at"]) <= p["answer_due"]]
        # Only what has happened: an unanswered proposal whose deadline is still ahead is not late.
        today = _oslo_date(self.now)
        due = [p for p in submitted if p["answered_at"] is not None or p["answer_due"] < today]
        accepted = [p for p in answered if p["status"] in ACCEPTED]
        implemented = [p for p in accepted if p["status"] == "implemented"]
        days = [
            (_oslo_date(p["answered_at"]) - _oslo_date(p["submitted_at"])).days for p in answered
        ]
        self.put(term, "influence.answered_on_time", "", len(on_time), len(due))
        self.put(term, "influence.accepted", "", len(accepted), len(answered))
        self.put(term, "influence.implemented", "", len(implemented), len(accepted))
        self.put(
            term,
            "influence.days_to_answer",
            "",
            statistics.median(days) if days else None,
            len(days),
        )

    def governance(self, term: Term) -> None:
        # Held meetings only (meetings.models.EventQuerySet.held, as the resource group's page).
        meetings = Event.objects.held(now=self.now).filter(
            municipality=self.municipality,
            kind=Event.Kind.PROJECT_GROUP_MEETING,
            starts_at__gte=term.starts_at,
            starts_at__lt=term.ends_at,
        )
        attendance = list(
            Attendance.objects.filter(event__in=meetings).values_list("event_id", "is_youth")
        )
        with_youth = {event for event, is_youth in attendance if is_youth}
        self.put(term, "governance.meetings_with_youth", "", len(with_youth), meetings.count())
        youth = sum(1 for _event, is_youth in attendance if is_youth)
        self.put(term, "governance.youth_share", "", youth, len(attendance))


def _platform_end(row: dict) -> dict:
    if ended_by_platform(
        row["end_reason"],
        row["end"],
        row["start"],
        row.pop("reregistration_deadline"),
        row.pop("reregistered_at"),
    ):
        row["end_reason"] = ENDED_BY_PLATFORM
    return row


def compute(municipality, terms: list[Term], *, now: datetime.datetime | None = None) -> dict:
    """Raw cells of every indicator (and the source cells) for one municipality and the given
    terms; meetings count as held when they started before ``now`` (default: now)."""
    return Municipality(municipality, terms, now).compute()
