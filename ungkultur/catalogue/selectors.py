"""Reads for the catalogue: the search, an offer's sessions, a unit's offers, the calendar."""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils import timezone

from ungkultur.catalogue.models import Offer, Schedule, SchoolHoliday, Session, Venue
from ungkultur.organisations.models import Unit, UnitStaff
from ungkultur.organisations.selectors import roles_for

# Monday = 0, as Session.weekday and Python's date.weekday().
WEEKDAYS = Schedule._meta.get_field("weekday").choices
WEEKDAY_LABELS = dict(WEEKDAYS)

# How far back the municipality's calendar feed reaches, so that a subscriber keeps recent history.
CALENDAR_DAYS_BACK = 30


def upcoming_sessions(*, now: datetime.datetime) -> QuerySet[Session]:
    """Sessions that have not started yet and are not cancelled."""
    return Session.objects.filter(starts_at__gte=now, cancelled_at__isnull=True)


def catalogue_offers(
    *,
    now: datetime.datetime,
    municipality=None,
    age: int | None = None,
    categories=(),
    weekdays=(),
    unit_kinds=(),
    venue: Venue | None = None,
    free: bool = False,
    step_free: bool = False,
) -> QuerySet[Offer]:
    """Published offers whose term has not ended, filtered as the catalogue and the API do."""
    today = timezone.localdate(now)
    offers = Offer.objects.published().filter(Q(term_end__isnull=True) | Q(term_end__gte=today))
    if municipality is not None:
        offers = offers.filter(municipality=municipality)
    if age is not None:
        offers = offers.filter(age_min__lte=age, age_max__gte=age)
    if categories:
        offers = offers.filter(category__in=categories)
    if unit_kinds:
        offers = offers.filter(unit__kind__in=unit_kinds)
    if weekdays:
        offers = offers.filter(
            Exists(upcoming_sessions(now=now).filter(offer=OuterRef("pk"), weekday__in=weekdays))
        )
    if venue is not None:
        # The offer's own place, or a coming session somewhere else.
        offers = offers.filter(
            Q(venue=venue)
            | Exists(upcoming_sessions(now=now).filter(offer=OuterRef("pk"), venue=venue))
        )
    if free:
        offers = offers.filter(price=0)
    if step_free:
        offers = offers.filter(venue__step_free=True)
    return offers.select_related("unit", "venue").order_by("title", "pk")


def with_next_session(offers, *, now: datetime.datetime) -> list[Offer]:
    """Give each offer ``next_session`` (or None) and ``weekdays`` (coming days, Monday first).

    One query for the coming sessions of all the offers, read as plain rows (the catalogue page
    is the busiest page there is); one more only if a next session is somewhere other than
    the offer's own place.
    """
    offers = list(offers)
    if not offers:
        return offers
    rows = (
        upcoming_sessions(now=now)
        .filter(offer__in=[o.pk for o in offers])
        .order_by("offer_id", "starts_at")
        .values_list("offer_id", "pk", "starts_at", "ends_at", "weekday", "venue_id")
    )
    days = defaultdict(set)
    first = {}
    for offer_id, *session in rows:
        days[offer_id].add(session[3])
        first.setdefault(offer_id, session)
    by_pk = {o.pk: o for o in offers}
    other_venues = {
        venue_id
        for offer_id, (*_, venue_id) in first.items()
        if venue_id is not None and venue_id != by_pk[offer_id].venue_id
    }
    venues = Venue.objects.in_bulk(other_venues) if other_venues else {}
    for offer in offers:
        offer.weekdays = sorted(days[offer.pk])
        offer.next_session = None
        if offer.pk in first:
            pk, starts_at, ends_at, weekday, venue_id = first[offer.pk]
            venue = offer.venue if venue_id == offer.venue_id else venues.get(venue_id)
            offer.next_session = NextSession(pk, starts_at, ends_at, weekday, venue)
    return offers


@dataclass(frozen=True)
class NextSession:
    """The parts of a coming Session the catalogue shows (it is never cancelled)."""

    pk: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    weekday: int
    venue: Venue | None  # None: the offer's own place
    is_cancelled = False
    cancel_reason = ""


# "Piano, gruppe 2": one of the groups of the course "Piano" (the first group has no suffix).
GROUP_SUFFIX = re.compile(r",\s*gruppe\s+(\d+)$", re.IGNORECASE)


def group_courses(offers) -> list[Offer]:
    """One card per course: the groups of one course in one unit ("Piano", "Piano, gruppe 2",
    …) become the first one, with ``course_title`` and ``groups`` (each with ``group_number``).
    The order is kept (the catalogue sorts by title, so a course's groups come together)."""
    cards: dict[tuple, Offer] = {}
    result = []
    for offer in offers:
        match = GROUP_SUFFIX.search(offer.title)
        title = offer.title[: match.start()] if match else offer.title
        offer.group_number = int(match.group(1)) if match else 1
        key = (offer.unit_id, title)
        if key in cards:
            cards[key].groups.append(offer)
            continue
        offer.course_title, offer.groups = title, [offer]
        cards[key] = offer
        result.append(offer)
    return result


# An offer's state before you click (the enrolment app's statuses, by value: catalogue sits below
# it and follows the reverse relation ``enrolments``).
TAKES_A_PLACE = ("active", "offered")


def with_join_state(offers, *, today: datetime.date) -> list[Offer]:
    """Give each offer ``join_state``: "drop_in", "over", "deadline_passed", "full" or "open".

    "full" is a registration offer whose places are taken or that already has a waiting list
    (a newcomer goes onto it). One query for all the offers with a capacity.
    """
    offers = list(offers)
    counted = [o.pk for o in offers if o.join_mode == Offer.JoinMode.REGISTRATION and o.capacity]
    full = set()
    if counted:
        full = set(
            Offer.objects.filter(pk__in=counted)
            .annotate(
                taken=Count("enrolments", filter=Q(enrolments__status__in=TAKES_A_PLACE)),
                waiting=Count("enrolments", filter=Q(enrolments__status="waiting")),
            )
            .filter(Q(taken__gte=F("capacity")) | Q(waiting__gt=0))
            .values_list("pk", flat=True)
        )
    for offer in offers:
        offer.join_state = join_state(offer, today=today, full=offer.pk in full)
    return offers


def join_state(offer: Offer, *, today: datetime.date, full: bool = False) -> str:
    if offer.join_mode == Offer.JoinMode.DROP_IN:
        return "drop_in"
    if offer.term_end is not None and offer.term_end < today:
        return "over"
    if (
        offer.join_mode == Offer.JoinMode.APPLICATION
        and offer.application_deadline is not None
        and today > offer.application_deadline
    ):
        return "deadline_passed"
    return "full" if full else "open"


def own_enrolment_status(offer: Offer, user) -> str | None:
    """The user's own open place, application or waiting-list entry on the offer, by status."""
    if not user.is_authenticated:
        return None
    return (
        offer.enrolments.filter(
            participant__user=user, status__in=("applied", "waiting", "offered", "active")
        )
        .values_list("status", flat=True)
        .first()
    )


def offer_sessions(offer: Offer, *, now: datetime.datetime) -> list[Session]:
    """The offer's sessions that have not ended, cancelled ones too, with their place."""
    return list(
        offer.sessions.filter(ends_at__gt=now).select_related("venue").order_by("starts_at")
    )


def offer_opening_times(offer: Offer, *, today: datetime.date) -> list[Schedule]:
    """The weekly times that still have a day to come, Monday first."""
    return list(offer.schedules.filter(last_date__gte=today).order_by("weekday", "start_time"))


def unit_offers(unit: Unit, *, now: datetime.datetime) -> QuerySet[Offer]:
    """All the unit's offers, every status, each with ``upcoming_sessions`` counted."""
    return (
        unit.offers.annotate(
            upcoming_sessions=Count(
                "sessions",
                filter=Q(sessions__starts_at__gte=now, sessions__cancelled_at__isnull=True),
            )
        )
        .select_related("venue")
        .order_by("status", "title", "pk")
    )


def units_for_staff(user, *, now: datetime.datetime) -> QuerySet[Unit]:
    """The units whose offers the person runs: their own, and every unit of a municipality they
    lead the local project in. Each with ``offer_count`` and ``published_count``."""
    roles = roles_for(user)
    units = Unit.objects.filter(
        Q(pk__in=roles.unit_ids) | Q(municipality_id__in=roles.leader_municipalities)
    )
    return (
        units.select_related("municipality")
        .annotate(
            offer_count=Count("offers"),
            published_count=Count("offers", filter=Q(offers__status=Offer.Status.PUBLISHED)),
        )
        .order_by("municipality__name", "kind", "name")
    )


def calendar_sessions(municipality, *, now: datetime.datetime) -> QuerySet[Session]:
    """The sessions of the municipality's published offers from 30 days ago on."""
    since = now - datetime.timedelta(days=CALENDAR_DAYS_BACK)
    return (
        Session.objects.filter(
            offer__municipality=municipality,
            offer__status=Offer.Status.PUBLISHED,
            starts_at__gte=since,
        )
        .select_related("offer__unit", "offer__venue", "venue")
        .order_by("starts_at", "pk")
    )


def offer_feed_sessions(offer: Offer, *, now: datetime.datetime) -> list[Session]:
    """The offer's sessions from 30 days ago on, as in the calendar feed, with their place."""
    since = now - datetime.timedelta(days=CALENDAR_DAYS_BACK)
    return list(
        offer.sessions.filter(starts_at__gte=since).select_related("venue").order_by("starts_at")
    )


def municipality_venues(municipality) -> list[Venue]:
    return list(Venue.objects.filter(municipality=municipality).order_by("name"))


def offer_teacher_candidates(offer: Offer, *, day: datetime.date):
    """The offer unit's active teachers: the only people who may teach it."""
    staff = UnitStaff.objects.active_on(day).filter(
        unit_id=offer.unit_id, role=UnitStaff.Role.TEACHER
    )
    return (
        get_user_model()
        .objects.filter(pk__in=staff.values("user_id"))
        .order_by("first_name", "last_name")
    )


def unit_school_holidays(unit: Unit, *, today: datetime.date) -> list[SchoolHoliday]:
    """The unit's school holidays not yet over, earliest first."""
    return list(SchoolHoliday.objects.filter(unit=unit, last_day__gte=today).order_by("first_day"))


def offer_school_holidays(offer: Offer, *, today: datetime.date) -> list[SchoolHoliday]:
    """The unit's school holidays in the offer's term, not yet over: shown with a weekly
    schedule ("Ingen undervisning: Høstferie 5.–9. oktober"). None for an offer without one.
    One query."""
    holidays = SchoolHoliday.objects.filter(
        Exists(Schedule.objects.filter(offer_id=offer.pk)),
        unit_id=offer.unit_id,
        last_day__gte=max(today, offer.term_start),
    )
    if offer.term_end is not None:
        holidays = holidays.filter(first_day__lte=offer.term_end)
    return list(holidays.order_by("first_day"))
