import datetime
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from ungkultur.accounts.models import User
from ungkultur.meetings.models import (
    ActionItem,
    AgendaItem,
    Answer,
    Attendance,
    Event,
    EventChange,
    Minutes,
    Registration,
)
from ungkultur.meetings.rules import YOUTH_GROUP_MEETINGS
from ungkultur.organisations.models import Group, Membership
from ungkultur.organisations.selectors import roles_for
from ungkultur.participation.models import Proposal

RS = Registration.Status


# --- Lists --------------------------------------------------------------------------------------


def events_listed(events, *, now, period: str = "upcoming", kind: str = ""):
    """Events of a list page with their counts, in one query.

    ``period`` is "upcoming" (not yet ended), "past" or "all"; past events come newest first.
    """
    if period == "upcoming":
        events = events.filter(ends_at__gt=now).order_by("starts_at")
    elif period == "past":
        events = events.filter(ends_at__lte=now).order_by("-starts_at")
    else:
        events = events.order_by("starts_at")
    if kind:
        events = events.filter(kind=kind)
    return events.select_related("municipality").annotate(
        registered=Count("registrations", filter=Q(registrations__status=RS.REGISTERED)),
        moved=Count("changes", filter=Q(changes__kind="moved")),
    )


def by_month(events):
    """[(first day of month, [events])] in the order given (a calendar grouped by month)."""

    def month(event):
        local = timezone.localtime(event.starts_at)
        return datetime.date(local.year, local.month, 1)

    return [(key, list(group)) for key, group in groupby(events, key=month)]


# --- Detail -------------------------------------------------------------------------------------


@dataclass
class EventPage:
    event: Event
    history: list
    agenda: list
    my_registration: Registration | None
    counts: dict
    invited_groups: list
    minutes: object = None
    decisions: list = field(default_factory=list)
    actions: list = field(default_factory=list)
    attendance: list = field(default_factory=list)


def event_page(event: Event, user, *, internal: bool) -> EventPage:
    """What the event page shows; ``internal`` adds agenda, minutes, actions and attendance."""
    counts = dict(
        event.registrations.values_list("status").annotate(n=Count("pk")).order_by("status")
    )
    my_registration = None
    if user.is_authenticated:
        my_registration = event.registrations.filter(user=user).first()
    page = EventPage(
        event=event,
        history=list(event.changes.all()),
        agenda=[],
        my_registration=my_registration,
        counts=counts,
        invited_groups=[i.group for i in event.group_invitations.select_related("group")],
    )
    if internal:
        page.agenda = list(
            event.agenda_items.select_related("proposal", "added_by").prefetch_related("decisions")
        )
        page.minutes = Minutes.objects.filter(event=event).first()
        page.decisions = list(event.decisions.select_related("agenda_item"))
        page.actions = list(event.action_items.select_related("owner"))
        page.attendance = list(
            event.attendances.select_related("user").order_by("-is_youth", "user__first_name")
        )
    return page


def registrations_for_organisers(event: Event, *, sensitive: bool):
    """Registrations with their answers, for the organisers' list; answers to sensitive
    questions only when ``sensitive`` (the event's own organisers, docs/privacy.md)."""
    answers = Answer.objects.select_related("question")
    if not sensitive:
        answers = answers.filter(question__is_sensitive=False)
    return (
        event.registrations.select_related("user")
        .prefetch_related(Prefetch("answers", queryset=answers))
        .order_by("status", "queued_at", "registered_at", "user__first_name")
    )


def registration_counts(event: Event) -> list[tuple[str, int]]:
    """How many registrations the event has in each status (label, count), with no one named."""
    counts = {
        row["status"]: row["n"]
        for row in event.registrations.order_by().values("status").annotate(n=Count("pk"))
    }
    return [
        (label, counts[value]) for value, label in Registration.Status.choices if value in counts
    ]


def attendance_candidates(event: Event, *, day: datetime.date):
    """People who may be marked present: the registered and invited, the organisers and the
    active members of invited groups (resource-group youth included for project groups)."""
    group_ids = list(event.group_invitations.values_list("group_id", flat=True))
    youth_groups = []
    if (
        event.municipality_id
        and Group.objects.filter(pk__in=group_ids, kind=Group.Kind.LOCAL_PROJECT_GROUP).exists()
    ):
        youth_groups = list(
            Group.objects.filter(
                municipality_id=event.municipality_id, kind=Group.Kind.YOUTH_RESOURCE_GROUP
            ).values_list("pk", flat=True)
        )
    members = Membership.objects.active_on(day).filter(group_id__in=group_ids + youth_groups)
    return (
        User.objects.filter(
            Q(event_registrations__event=event)
            | Q(organised_events=event)
            | Q(event_attendances__event=event)
            | Q(pk__in=members.values("user_id"))
        )
        .distinct()
        .order_by("first_name", "last_name")
    )


def open_proposals(municipality):
    """Youth proposals of a municipality that may still go on an agenda (not yet answered)."""
    return Proposal.objects.filter(
        municipality=municipality,
        status__in=[Proposal.Status.SUBMITTED, Proposal.Status.CONSIDERING],
    ).order_by("answer_due", "pk")


def upcoming_group_meetings(municipality, *, now):
    """Project- and resource-group meetings a proposal can be put on."""
    return Event.objects.filter(
        municipality=municipality,
        kind__in=[Event.Kind.PROJECT_GROUP_MEETING, Event.Kind.RESOURCE_GROUP_MEETING],
        starts_at__gt=now,
    ).exclude(status=Event.Status.CANCELLED)


# --- The resource group at project-group meetings (issue 4) ------------------------------------


@dataclass
class YouthAttendance:
    meetings: list  # [(event, set of present resource-group user ids, youth present count)]
    members: list  # [(membership, number of meetings attended, number of meetings in term)]
    held: int
    with_youth: int

    @property
    def share_with_youth(self):
        return None if not self.held else self.with_youth / self.held

    @property
    def share_percent(self):
        return None if not self.held else round(100 * self.with_youth / self.held)


def resource_group_attendance(municipality, *, now, since: datetime.date) -> YouthAttendance:
    """Held project-group meetings since ``since`` and which resource-group members came.

    A held meeting is one not cancelled that started before ``now`` (the indicators' rule); a
    meeting "with youth" has at least one attendee marked as youth.
    """
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time()))
    meetings = list(
        Event.objects.held(now=now)
        .filter(
            municipality=municipality,
            kind=Event.Kind.PROJECT_GROUP_MEETING,
            starts_at__gte=start,
        )
        .order_by("-starts_at")
        .prefetch_related(
            Prefetch(
                "attendances", queryset=Attendance.objects.only("event_id", "user_id", "is_youth")
            )
        )
    )
    members = list(
        Membership.objects.filter(
            group__municipality=municipality,
            group__kind=Group.Kind.YOUTH_RESOURCE_GROUP,
            role=Membership.Role.YOUTH_MEMBER,
            start__lte=timezone.localdate(now),
        )
        .filter(Q(end__isnull=True) | Q(end__gt=since))
        .select_related("user")
        .order_by("user__first_name", "start")
    )
    rows = []
    for event in meetings:
        present = {a.user_id for a in event.attendances.all()}
        youth = sum(a.is_youth for a in event.attendances.all())
        rows.append((event, present, youth))
    per_member = []
    for membership in members:
        eligible = [
            (event, present)
            for event, present, _youth in rows
            if membership.start <= timezone.localdate(event.starts_at)
            and (membership.end is None or timezone.localdate(event.starts_at) < membership.end)
        ]
        came = sum(membership.user_id in present for _event, present in eligible)
        per_member.append((membership, came, len(eligible)))
    return YouthAttendance(
        meetings=rows,
        members=per_member,
        held=len(rows),
        with_youth=sum(1 for _e, _p, youth in rows if youth),
    )


# --- Min side -----------------------------------------------------------------------------------


def my_upcoming(user, *, now):
    """Events the user is invited to, registered for or waiting for, not yet ended."""
    return (
        Registration.objects.filter(
            user=user,
            status__in=[RS.INVITED, RS.REGISTERED, RS.WAITING],
            event__ends_at__gt=now,
        )
        .select_related("event__municipality")
        .annotate(
            moved=Exists(
                EventChange.objects.filter(event=OuterRef("event"), kind=EventChange.Kind.MOVED)
            )
        )
        .order_by("event__starts_at")
    )


def my_open_actions(user):
    return (
        ActionItem.objects.filter(owner=user, status=ActionItem.Status.OPEN)
        .select_related("event")
        .order_by("due", "pk")
    )


def mypage_section(user, *, now: datetime.datetime) -> dict | None:
    """What Min side shows of meetings for this user: a dict with the key "template"
    (rendered with the dict as `section`), or None when there is nothing to show."""
    if not user.is_authenticated:
        return None
    upcoming = list(my_upcoming(user, now=now)[:20])
    actions = list(my_open_actions(user))
    if not upcoming and not actions:
        return None
    today = timezone.localdate(now)
    for action in actions:
        action.days_left = (action.due - today).days
        action.days_late = -action.days_left
    return {
        "template": "meetings/_mypage.html",
        "upcoming": upcoming,
        "actions": actions,
        "today": today,
    }


def agenda_items_for_proposal(proposal):
    """Where a youth proposal is or was on an agenda (for participation's pages)."""
    return AgendaItem.objects.filter(proposal=proposal).select_related("event")


def has_youth_present():
    """An ``Exists`` for annotating events with whether any attendee was youth."""
    return Exists(Attendance.objects.filter(event=OuterRef("pk"), is_youth=True))


def internal_event_ids(user, events) -> set[int]:
    """Which of ``events`` the user may see the inside of (``meetings.view_internal``), in at
    most four queries rather than four per event. Keep in step with rules.py (a test compares
    the two for every persona)."""
    events = list(events)
    if not user.is_authenticated or not events:
        return set()
    roles = roles_for(user)
    if roles.sees_all_municipalities:
        return {e.pk for e in events}
    seen = {
        e.pk
        for e in events
        if e.municipality_id is not None
        and (
            e.municipality_id in roles.leader_municipalities
            or e.municipality_id in roles.staff_municipalities
            or (
                e.kind in YOUTH_GROUP_MEETINGS
                and e.municipality_id in roles.youth_member_municipalities
            )
        )
    }
    rest = [e.pk for e in events if e.pk not in seen]
    if rest:
        seen |= set(
            Event.objects.filter(pk__in=rest)
            .filter(
                Q(organisers=user)
                | Q(registrations__user=user)
                | Q(attendances__user=user)
                | Q(group_invitations__group_id__in=list(roles.group_ids))
            )
            .values_list("pk", flat=True)
        )
    return seen
