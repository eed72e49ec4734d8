"""Demo data for meetings: each pilot's project group meets monthly with its youth members,
with agendas, attendance, minutes, decisions and action items; one meeting was cancelled and
one moved; a national youth gathering is open for registration and last year's conference
was held. Written straight to the tables (no e-mail goes out); idempotent by title."""

import datetime
import zoneinfo

from django.db.models import Q

from ungkultur.meetings.models import (
    ActionItem,
    AgendaItem,
    Answer,
    Attendance,
    Decision,
    Event,
    EventChange,
    GroupInvitation,
    Minutes,
    Question,
    Registration,
)
from ungkultur.organisations.models import Group, Membership, NationalRole
from ungkultur.participation.models import Proposal

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
RS = Registration.Status
PAST_MEETINGS = 6
TOPICS = [
    ("Årshjulet for våren", "Vi setter opp årshjulet og ser etter kollisjoner med UKM."),
    ("Ungdommenes forslag", "Ressursgruppen legger fram forslagene fra idébanken."),
    ("Felles klubbkveld med kulturskolen", "Hvordan få flere fra kulturskolen til klubben?"),
    ("Evaluering av UKM", "Hva gikk bra, og hva gjør vi annerledes neste år?"),
    ("Kompetansebehov", "Skal vi bestille kurs i medvirkning fra en av organisasjonene?"),
    ("Budsjett for ungdomstiltak", "Fordeling av midlene til tiltak ungdommene har foreslått."),
]


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=OSLO)


def _weekday(day: datetime.date, weekday: int) -> datetime.date:
    """The first day on or after ``day`` that is ``weekday`` (Monday = 0)."""
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def _event(*, municipality, kind, title, day, hour=17, hours=2, organisers, created, **fields):
    """The event with this title in this scope, made with its "created" history row if new."""
    event = Event.objects.filter(municipality=municipality, title=title).first()
    if event is not None:
        return event, False
    starts = _at(day, hour)
    event = Event.objects.create(
        municipality=municipality,
        kind=kind,
        title=title,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=hours),
        created_at=created,
        **fields,
    )
    event.organisers.set(organisers)
    EventChange.objects.create(
        event=event,
        kind=EventChange.Kind.CREATED,
        at=created,
        actor=organisers[0] if organisers else None,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
    )
    return event, True


def _invite(event, groups, users, *, at, status=RS.REGISTERED):
    for group in groups:
        GroupInvitation.objects.get_or_create(event=event, group=group, defaults={"invited_at": at})
    Registration.objects.bulk_create(
        [
            Registration(
                event=event,
                user=user,
                status=status,
                invited_at=at,
                registered_at=at if status == RS.REGISTERED else None,
            )
            for user in users
        ],
        ignore_conflicts=True,
    )


def _members(group, day, *, youth):
    rows = Membership.objects.active_on(day).filter(group=group).select_related("user")
    rows = (
        rows.filter(role=Membership.Role.YOUTH_MEMBER)
        if youth
        else rows.exclude(role=Membership.Role.YOUTH_MEMBER)
    )
    return [m.user for m in rows.order_by("user__first_name", "pk")]


def _past_meeting(municipality, project, resource, leader, day, index, proposal):
    topic, text = TOPICS[index % len(TOPICS)]
    title = f"Prosjektgruppemøte {day:%d.%m.%Y}"
    created = _at(day - datetime.timedelta(days=21), 10)
    event, new = _event(
        municipality=municipality,
        kind=Event.Kind.PROJECT_GROUP_MEETING,
        title=title,
        day=day,
        organisers=[leader],
        created=created,
        place="Møterom 2, rådhuset",
        status=Event.Status.HELD,
    )
    if not new:
        return event
    adults = _members(project, day, youth=False)
    youth = _members(resource, day, youth=True)
    _invite(event, [project, resource], adults + youth, at=created)
    AgendaItem.objects.create(
        event=event, position=1, title=topic, description=text, added_by=leader, added_at=created
    )
    item = None
    if proposal is not None and index == 1:
        item = AgendaItem.objects.create(
            event=event,
            position=2,
            title=proposal.title,
            proposal=proposal,
            added_by=youth[0] if youth else leader,
            added_at=created,
        )
    # Youth came to all but the oldest meeting; one adult is away now and then.
    present = adults[:-1] if index % 2 else adults
    if index != PAST_MEETINGS - 1:
        present = present + youth[: 2 + index % 3]
    Attendance.objects.bulk_create(
        [
            Attendance(
                event=event,
                user=user,
                is_youth=user in youth,
            )
            for user in present
        ]
    )
    at = _at(day, 20)
    Minutes.objects.create(
        event=event,
        summary=f"{topic}: gode innspill fra alle tre tjenestene og ressursgruppen.",
        written_by=leader,
        updated_at=at,
    )
    Decision.objects.create(
        event=event,
        agenda_item=item,
        text="Prosjektgruppen går videre med forslaget og svarer ungdommene innen fristen."
        if item
        else f"{topic} følges opp på neste møte.",
        made_at=at,
    )
    owner = youth[0] if youth and index < 2 else leader
    ActionItem.objects.create(
        event=event,
        owner=owner,
        what=f"Følge opp: {topic.lower()}",
        due=day + datetime.timedelta(days=21),
        status=ActionItem.Status.OPEN if index < 2 else ActionItem.Status.DONE,
        created_at=at,
        closed_at=None if index < 2 else at + datetime.timedelta(days=14),
    )
    return event


def _cancelled_and_moved(municipality, project, resource, leader, today):
    created = _at(today - datetime.timedelta(days=60), 10)
    adults = _members(project, today, youth=False)
    youth = _members(resource, today, youth=True)
    cancelled, new = _event(
        municipality=municipality,
        kind=Event.Kind.THEME_MEETING,
        title="Temamøte om inkludering",
        day=_weekday(today - datetime.timedelta(days=20), 2),
        hour=18,
        organisers=[leader],
        created=created,
        place="Biblioteket",
        status=Event.Status.CANCELLED,
        cancel_reason="For få påmeldte; vi tar temaet opp igjen til våren.",
    )
    if new:
        _invite(cancelled, [project, resource], adults[:2], at=created)
        EventChange.objects.create(
            event=cancelled,
            kind=EventChange.Kind.CANCELLED,
            at=_at(today - datetime.timedelta(days=27), 9),
            actor=leader,
            starts_at=cancelled.starts_at,
            ends_at=cancelled.ends_at,
            reason=cancelled.cancel_reason,
        )
    first_day = _weekday(today + datetime.timedelta(days=5), 1)
    moved, new = _event(
        municipality=municipality,
        kind=Event.Kind.PROJECT_GROUP_MEETING,
        title="Prosjektgruppemøte før jul",
        day=first_day,
        organisers=[leader],
        created=created,
        place="Ungdomshuset",
    )
    if new:
        _invite(moved, [project, resource], adults + youth, at=created)
        new_start = _at(first_day + datetime.timedelta(days=7), 17)
        EventChange.objects.create(
            event=moved,
            kind=EventChange.Kind.MOVED,
            at=_at(today - datetime.timedelta(days=2), 9),
            actor=leader,
            starts_at=new_start,
            ends_at=new_start + datetime.timedelta(hours=2),
            reason="Kolliderer med UKM lokalt.",
        )
        Event.objects.filter(pk=moved.pk).update(
            starts_at=new_start, ends_at=new_start + datetime.timedelta(hours=2)
        )
        AgendaItem.objects.create(
            event=moved,
            position=1,
            title="Plan for våren",
            added_by=leader,
            added_at=created,
        )
        if youth:
            AgendaItem.objects.create(
                event=moved,
                position=2,
                title="Ressursgruppens ønsker til klubbkveldene",
                added_by=youth[0],
                added_at=created,
            )


def _national(municipalities, today):
    coordinators = [
        r.user
        for r in NationalRole.objects.filter(role=NationalRole.Role.COORDINATOR).select_related(
            "user"
        )
    ]
    created = _at(today - datetime.timedelta(days=90), 10)
    gathering, new = _event(
        municipality=None,
        kind=Event.Kind.YOUTH_GATHERING,
        title="Nasjonal ungdomssamling",
        day=today + datetime.timedelta(days=40),
        hour=10,
        hours=30,
        organisers=coordinators,
        created=created,
        place="Kulturhuset Bergen (fiktivt)",
        description="To dager med verksteder for ressursgruppene fra alle KK-kommunene.",
        capacity=40,
        registration_deadline=_at(today + datetime.timedelta(days=20), 23),
        open_registration=True,
    )
    if new:
        diet = Question.objects.create(
            event=gathering,
            position=1,
            text="Allergier eller andre behov for mat",
            is_sensitive=True,
        )
        Question.objects.create(
            event=gathering, position=2, text="Hvilket verksted vil du helst være med på?"
        )
        resource_groups = Group.objects.filter(
            municipality__in=municipalities, kind=Group.Kind.YOUTH_RESOURCE_GROUP
        )
        youth = [
            m.user
            for m in Membership.objects.active_on(today)
            .filter(group__in=resource_groups, role=Membership.Role.YOUTH_MEMBER)
            .select_related("user")
            .order_by("group__municipality__code", "user__first_name")
        ]
        _invite(gathering, list(resource_groups), youth[:12], at=created)
        for registration in Registration.objects.filter(event=gathering)[:3]:
            Answer.objects.create(registration=registration, question=diet, text="Vegetar")
    conference, new = _event(
        municipality=None,
        kind=Event.Kind.CONFERENCE,
        title="KK-konferansen",
        day=today - datetime.timedelta(days=60),
        hour=9,
        hours=8,
        organisers=coordinators,
        created=created - datetime.timedelta(days=120),
        place="Oslo kongressenter (fiktivt)",
        status=Event.Status.HELD,
        open_registration=True,
    )
    if new:
        leaders = [
            m.user
            for m in Membership.objects.filter(
                Q(group__municipality__in=municipalities), role=Membership.Role.PROJECT_LEADER
            ).select_related("user")
        ]
        _invite(conference, [], leaders + coordinators, at=conference.created_at)
        Attendance.objects.bulk_create(
            [Attendance(event=conference, user=u, is_youth=False) for u in leaders + coordinators],
            ignore_conflicts=True,
        )


def seed_meetings(*, municipalities: list, today: datetime.date) -> None:
    """Seed meetings for the pilot municipalities (idempotent)."""
    for municipality in municipalities:
        project = Group.objects.filter(
            municipality=municipality, kind=Group.Kind.LOCAL_PROJECT_GROUP
        ).first()
        resource = Group.objects.filter(
            municipality=municipality, kind=Group.Kind.YOUTH_RESOURCE_GROUP
        ).first()
        leader = (
            Membership.objects.filter(group=project, role=Membership.Role.PROJECT_LEADER)
            .select_related("user")
            .first()
        )
        if project is None or resource is None or leader is None:
            continue
        proposal = Proposal.objects.filter(municipality=municipality).order_by("pk").first()
        for index in range(PAST_MEETINGS):
            day = today - datetime.timedelta(days=30 * (index + 1))
            day -= datetime.timedelta(days=(day.weekday() - 1) % 7)  # the Tuesday before
            _past_meeting(municipality, project, resource, leader.user, day, index, proposal)
        _cancelled_and_moved(municipality, project, resource, leader.user, today)
    _national(municipalities, today)
