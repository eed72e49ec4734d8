"""Reads across enrolments, offers, sessions and people, each in a fixed number of queries."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from ungkultur.accounts.models import Guardianship, User
from ungkultur.catalogue.models import Offer, Session
from ungkultur.enrolment.models import Attendance, CalendarFeed, Enrolment
from ungkultur.enrolment.rules import decides_alone

Status = Enrolment.Status
# An offered place is held for the person until they answer, so it counts as taken.
TAKES_A_PLACE = (Status.ACTIVE, Status.OFFERED)
# How many coming sessions the join page lists for a drop-in offer.
OPENING_TIMES_SHOWN = 8


def taken_places(offer: Offer) -> int:
    return Enrolment.objects.filter(offer=offer, status__in=TAKES_A_PLACE).count()


def free_places(offer: Offer) -> int | None:
    """Places not taken, or None for an offer without a limit."""
    if offer.capacity is None:
        return None
    return max(offer.capacity - taken_places(offer), 0)


def _waiting_ahead():
    """How many wait on the same offer ahead of the outer row (queue order: queued_at, pk)."""
    ahead = (
        Enrolment.objects.filter(offer=OuterRef("offer"), status=Status.WAITING)
        .filter(
            Q(queued_at__lt=OuterRef("queued_at"))
            | Q(queued_at=OuterRef("queued_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("offer")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(ahead), 0)


def with_waiting_position(queryset):
    """Annotate ``waiting_ahead``; a waiting row's position on the list is that plus one."""
    return queryset.annotate(waiting_ahead=_waiting_ahead())


def waiting_position(enrolment: Enrolment) -> int | None:
    """1 for the first on the waiting list; None when the enrolment is not waiting."""
    if enrolment.status != Status.WAITING:
        return None
    ahead = Enrolment.objects.filter(offer_id=enrolment.offer_id, status=Status.WAITING).filter(
        Q(queued_at__lt=enrolment.queued_at) | Q(queued_at=enrolment.queued_at, pk__lt=enrolment.pk)
    )
    return ahead.count() + 1


# --- Join page ----------------------------------------------------------------------------------


@dataclass
class Candidate:
    """Someone the viewer may sign up: themself or a confirmed child."""

    person: User
    is_self: bool
    decides_alone: bool
    open_enrolment: Enrolment | None = None
    position: int | None = None


def join_candidates(user: User, offer: Offer, *, now: datetime.datetime) -> list[Candidate]:
    """The viewer (if they have a birth year, as youth do) and their confirmed children, each
    with their open enrolment on the offer. Three queries."""
    children = [
        link.child
        for link in Guardianship.objects.filter(guardian=user, confirmed_at__isnull=False)
        .select_related("child")
        .order_by("child__first_name")
    ]
    people = ([user] if user.birth_year is not None else []) + children
    candidates = [
        Candidate(person=p, is_self=p.pk == user.pk, decides_alone=decides_alone(p, now=now))
        for p in people
    ]
    if candidates:
        open_ = with_waiting_position(
            Enrolment.objects.filter(
                offer=offer,
                status__in=Enrolment.OPEN_STATUSES,
                participant__user__in=[p.pk for p in people],
            ).select_related("participant")
        )
        by_user = {e.participant.user_id: e for e in open_}
        for candidate in candidates:
            candidate.open_enrolment = by_user.get(candidate.person.pk)
            if candidate.open_enrolment and candidate.open_enrolment.status == Status.WAITING:
                candidate.position = candidate.open_enrolment.waiting_ahead + 1
    return candidates


def opening_times(offer: Offer, *, now: datetime.datetime) -> list[Session]:
    """The next sessions of an offer (for drop-in offers: the opening evenings)."""
    return list(
        Session.objects.filter(offer=offer, ends_at__gte=now)
        .select_related("venue")
        .order_by("starts_at")[:OPENING_TIMES_SHOWN]
    )


# --- Staff: participants, waiting list, applicants ----------------------------------------------


@dataclass
class OfferRoster:
    active: list[Enrolment] = field(default_factory=list)
    offered: list[Enrolment] = field(default_factory=list)
    waiting: list[Enrolment] = field(default_factory=list)
    applicants: list[Enrolment] = field(default_factory=list)
    free: int | None = None
    reregistration_deadline: datetime.date | None = None


def offer_roster(offer: Offer) -> OfferRoster:
    """Everyone with an open enrolment on the offer, in one query.

    Waiting rows get ``position`` (queue order); applicants come by priority (highest first),
    then by when they applied.
    """
    rows = list(
        Enrolment.objects.filter(offer=offer, status__in=Enrolment.OPEN_STATUSES)
        .select_related("participant__user", "signed_up_by")
        .order_by("queued_at", "pk")
    )
    roster = OfferRoster()
    for row in rows:
        if row.status == Status.ACTIVE:
            roster.active.append(row)
            if row.reregistration_deadline and (
                roster.reregistration_deadline is None
                or row.reregistration_deadline > roster.reregistration_deadline
            ):
                roster.reregistration_deadline = row.reregistration_deadline
        elif row.status == Status.OFFERED:
            roster.offered.append(row)
        elif row.status == Status.WAITING:
            row.position = len(roster.waiting) + 1
            roster.waiting.append(row)
        else:
            roster.applicants.append(row)
    roster.active.sort(key=participant_sort_key)
    roster.applicants.sort(key=lambda e: (-e.priority, e.queued_at, e.pk))
    if offer.capacity is not None:
        roster.free = max(offer.capacity - len(roster.active) - len(roster.offered), 0)
    return roster


def import_conflicts(offer: Offer) -> list[Enrolment]:
    """Imported enrolments where a later file disagrees with what was recorded in Ungkultur
    (``Enrolment.import_conflict``), waiting for staff to choose. One query."""
    return list(
        Enrolment.objects.filter(offer=offer, import_conflict__isnull=False)
        .select_related("participant__user")
        .order_by("pk")
    )


def participant_sort_key(enrolment: Enrolment):
    user = enrolment.participant.user
    if user is None:
        return (1, "", enrolment.participant.ref_hash)
    return (0, user.first_name.lower(), user.last_name.lower())


def offer_sessions(offer: Offer) -> list[Session]:
    """The offer's sessions, each with how many were recorded present, absent with a valid
    reason (``excused_count``) and without (``unexcused_count``)."""
    return list(
        Session.objects.filter(offer=offer)
        .annotate(
            present_count=Count("attendance", filter=Q(attendance__present=True)),
            excused_count=Count(
                "attendance", filter=Q(attendance__present=False, attendance__excused=True)
            ),
            unexcused_count=Count(
                "attendance", filter=Q(attendance__present=False, attendance__excused=False)
            ),
        )
        .order_by("starts_at")
    )


# --- Staff: attendance --------------------------------------------------------------------------


@dataclass
class RosterRow:
    enrolment: Enrolment
    present: bool
    recorded: bool
    excused: bool = False

    @property
    def state(self) -> str:
        """One of present, excused, unexcused; empty while nothing is recorded."""
        if not self.recorded:
            return ""
        if self.present:
            return "present"
        return "excused" if self.excused else "unexcused"


def session_roster(session: Session) -> list[RosterRow]:
    """Whoever was enrolled on the session's day (also those who have left since), with what is
    recorded for them. Two queries."""
    day = timezone.localdate(session.starts_at)
    enrolments = (
        Enrolment.objects.filter(
            offer_id=session.offer_id,
            status__in=[Status.ACTIVE, Status.ENDED],
            start__lte=day,
        )
        .filter(Q(end__isnull=True) | Q(end__gte=day))
        .select_related("participant__user")
    )
    recorded = {
        pk: (present, excused)
        for pk, present, excused in Attendance.objects.filter(session=session).values_list(
            "enrolment_id", "present", "excused"
        )
    }
    rows = [
        RosterRow(
            enrolment=e,
            present=recorded.get(e.pk, (False, False))[0],
            recorded=e.pk in recorded,
            excused=recorded.get(e.pk, (False, False))[1],
        )
        for e in enrolments
    ]
    rows.sort(key=lambda row: participant_sort_key(row.enrolment))
    return rows


def todays_sessions(user, *, now: datetime.datetime) -> list[Session]:
    """A teacher's "i dag": today's sessions of the offers they teach or whose unit they lead,
    earliest first. One query (and roles_for's, cached per request)."""
    from ungkultur.organisations.selectors import roles_for

    today = timezone.localdate(now)
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
    end = start + datetime.timedelta(days=1)
    return list(
        Session.objects.filter(starts_at__gte=start, starts_at__lt=end)
        .filter(Q(offer__teachers=user) | Q(offer__unit_id__in=roles_for(user).led_unit_ids))
        .exclude(offer__status=Offer.Status.CANCELLED)
        .select_related("offer", "venue")
        .distinct()
        .order_by("starts_at", "pk")
    )


def notice_enrolments(offer: Offer):
    """Those told about changes to an offer: everyone with a place or a place offered."""
    return Enrolment.objects.filter(offer=offer, status__in=TAKES_A_PLACE).select_related(
        "participant__user", "signed_up_by"
    )


# --- Min side: Mine aktiviteter -----------------------------------------------------------------


@dataclass
class PersonActivities:
    """What one person takes part in, waits for and applied to, as the viewer sees it."""

    person: User
    is_self: bool
    # Whether the viewer answers for this person (else a guardian must).
    viewer_decides: bool
    active: list[Enrolment] = field(default_factory=list)
    offered: list[Enrolment] = field(default_factory=list)
    waiting: list[Enrolment] = field(default_factory=list)
    applied: list[Enrolment] = field(default_factory=list)
    reregistration_due: list[Enrolment] = field(default_factory=list)

    @property
    def is_empty(self):
        return not (self.active or self.offered or self.waiting or self.applied)


@dataclass
class MyActivities:
    people: list[PersonActivities]
    calendar_feed: CalendarFeed | None

    @property
    def shown(self):
        return bool(self.people)


def my_activities(
    user: User, *, now: datetime.datetime, children: list[User] | None = None
) -> MyActivities:
    """The viewer's own enrolments and their confirmed children's (pass ``children`` when the
    caller has them already). Two queries: the open enrolments, and (for youth) the live
    calendar link."""
    if children is None:
        children = [
            link.child
            for link in Guardianship.objects.filter(
                guardian=user, confirmed_at__isnull=False
            ).select_related("child")
        ]
    today = timezone.localdate(now)
    rows = with_waiting_position(
        Enrolment.objects.filter(
            participant__user__in=[user.pk, *(c.pk for c in children)],
            status__in=Enrolment.OPEN_STATUSES,
        )
        .select_related("offer__unit", "offer__venue", "participant")
        .order_by("queued_at", "pk")
    )
    people = {
        user.pk: PersonActivities(
            person=user, is_self=True, viewer_decides=decides_alone(user, now=now)
        )
    }
    for child in children:
        people[child.pk] = PersonActivities(person=child, is_self=False, viewer_decides=True)
    for row in rows:
        entry = people[row.participant.user_id]
        if row.status == Status.ACTIVE:
            entry.active.append(row)
            if (
                row.reregistration_deadline
                and row.reregistration_deadline >= today
                and row.reregistered_at is None
            ):
                entry.reregistration_due.append(row)
        elif row.status == Status.OFFERED:
            entry.offered.append(row)
        elif row.status == Status.WAITING:
            row.position = row.waiting_ahead + 1
            entry.waiting.append(row)
        else:
            entry.applied.append(row)
    own = people.pop(user.pk)
    shown = [p for p in people.values()]
    # The viewer's own section shows for youth (with a birth year) and anyone enrolled.
    if user.birth_year is not None or not own.is_empty:
        shown.insert(0, own)
    # The calendar link is for youth (those with a birth year); others are not asked.
    feed = None
    if user.birth_year is not None:
        feed = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()
    return MyActivities(people=shown, calendar_feed=feed)


# --- Personal calendar --------------------------------------------------------------------------


def feed_for_token(token_hash: str) -> CalendarFeed | None:
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=token_hash, revoked_at__isnull=True, user__is_active=True)
        .first()
    )


def personal_sessions(user: User) -> list[Session]:
    """Sessions of the user's active enrolments, from the day each enrolment started."""
    starts = dict(
        Enrolment.objects.filter(participant__user=user, status=Status.ACTIVE).values_list(
            "offer_id", "start"
        )
    )
    if not starts:
        return []
    sessions = (
        Session.objects.filter(offer_id__in=list(starts))
        .select_related("offer__unit", "offer__venue", "venue")
        .order_by("starts_at")
    )
    return [
        s
        for s in sessions
        if starts[s.offer_id] is None or timezone.localdate(s.starts_at) >= starts[s.offer_id]
    ]
