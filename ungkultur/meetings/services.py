"""Writes for meetings and events.

An event is planned, may be moved (new dates, same registrations) or cancelled with a reason;
each step is kept as an ``EventChange`` so the history stays visible. Invitations of whole groups
make each member an invitee; invitees (or anyone, with open registration) register, up to the
capacity, then on a waiting list that moves up when someone cancels.

Every service takes ``now``, runs in one transaction, writes an audit row and sends e-mail only
after the transaction commits. Permission checks are the views' (see ``access.py``).
"""

import datetime
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ungkultur.core.services import audit_record
from ungkultur.core.tasks import send_email
from ungkultur.meetings.models import (
    ActionItem,
    ActionItemReminder,
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
from ungkultur.organisations.models import Group, Membership
from ungkultur.organisations.services import refuse_self_grant
from ungkultur.participation.models import Proposal
from ungkultur.participation.services import proposal_consider

RS = Registration.Status


# --- Helpers ------------------------------------------------------------------------------------


def _when(value: datetime.datetime) -> str:
    return date_format(timezone.localtime(value), "DATE_AT_TIME_FORMAT")


def _send_later(
    *,
    users,
    subject: str,
    template: str,
    context: dict,
    event: Event | None = None,
    method: str = "REQUEST",
    statuses: dict | None = None,
    now: datetime.datetime | None = None,
) -> None:
    """One e-mail to each active user with an address, after the transaction commits. With
    ``event``, each carries the event as an iCalendar attachment (``method`` REQUEST or CANCEL)
    and the text is told the person's registration status (``statuses``: user id -> status)."""
    from ungkultur.meetings.ical import event_invitation
    from ungkultur.meetings.tasks import send_email_with_calendar

    context = {**context, "site_url": settings.SITE_URL, "my_page": reverse("mypage:index")}
    people = {}
    for user in users:
        if user.is_active and user.email:
            people.setdefault(user.email, user)
    bodies = {}
    for address in sorted(people):
        user = people[address]
        status = (statuses or {}).get(user.pk, "")
        if status not in bodies:
            bodies[status] = render_to_string(template, {**context, "status": status})
        if event is None:
            transaction.on_commit(
                partial(send_email.enqueue, subject=subject, body=bodies[status], to=[address])
            )
            continue
        ics = event_invitation(event, method=method, attendee=address, now=now)
        transaction.on_commit(
            partial(
                send_email_with_calendar.enqueue,
                subject=subject,
                body=bodies[status],
                to=[address],
                ics=ics,
                method=method,
            )
        )


def _notify(users, *, kind: str, now: datetime.datetime, event=None, action_item=None) -> None:
    """An in-app notice to each active user (shown under Varsler and on Min side), marked as
    e-mailed: the e-mail goes with it, so the daily digest does not repeat it."""
    from ungkultur.participation.cache import notices_changed
    from ungkultur.participation.models import Notification

    ids = sorted({user.pk for user in users if user.is_active})
    Notification.objects.bulk_create(
        Notification(
            user_id=pk,
            kind=kind,
            event=event,
            action_item=action_item,
            created_at=now,
            emailed_at=now,
        )
        for pk in ids
    )
    notices_changed(ids)


def _lock_event(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _not_cancelled(event: Event) -> None:
    if event.status == Event.Status.CANCELLED:
        raise ValidationError(_("Arrangementet er avlyst."))


# --- Events -------------------------------------------------------------------------------------


@transaction.atomic
def event_create(
    *,
    actor,
    municipality,
    kind: str,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str = "",
    online_url: str = "",
    description: str = "",
    capacity: int | None = None,
    registration_deadline: datetime.datetime | None = None,
    open_registration: bool = False,
    organisers=(),
    now: datetime.datetime,
) -> Event:
    """Plan an event (``municipality=None`` for a national one). The actor becomes an organiser
    together with ``organisers``. Planning's competence orders call this when scheduling."""
    event = Event(
        municipality=municipality,
        kind=kind,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        online_url=online_url,
        description=description,
        capacity=capacity,
        registration_deadline=registration_deadline,
        open_registration=open_registration,
        created_at=now,
    )
    _check_dates(event)
    event.full_clean()
    event.save()
    people = {u.pk: u for u in organisers}
    if actor is not None and actor.is_authenticated:
        people.setdefault(actor.pk, actor)
    event.organisers.set(list(people.values()))
    EventChange.objects.create(
        event=event,
        kind=EventChange.Kind.CREATED,
        at=now,
        actor=actor if actor is not None and actor.is_authenticated else None,
        starts_at=starts_at,
        ends_at=ends_at,
    )
    audit_record(
        actor=actor,
        action="meetings.event_create",
        obj=event,
        at=now,
        changes={"kind": kind, "municipality": municipality.pk if municipality else None},
    )
    return event


def _check_dates(event: Event) -> None:
    if event.starts_at and event.ends_at and event.ends_at <= event.starts_at:
        raise ValidationError({"ends_at": _("Slutt må være etter start.")})
    if event.registration_deadline and event.registration_deadline > event.starts_at:
        raise ValidationError(
            {"registration_deadline": _("Påmeldingsfristen må være før arrangementet starter.")}
        )


EDITABLE = (
    "title",
    "place",
    "online_url",
    "description",
    "capacity",
    "registration_deadline",
    "open_registration",
)


# The details a calendar entry shows: changing one tells every invitee who has not said no.
TOLD_FIELDS = ("title", "place", "online_url")


@transaction.atomic
def event_update(*, actor, event: Event, now: datetime.datetime, **fields) -> Event:
    """Change the details of an event (not its dates or status: see move and cancel). A new
    title, place or online link tells everyone who has not said no, as a move does."""
    event = _lock_event(event)
    _not_cancelled(event)
    before_title = event.title
    changes = {}
    for name, value in fields.items():
        if name not in EDITABLE:
            raise TypeError(name)
        if getattr(event, name) != value:
            changes[name] = str(value)
            setattr(event, name, value)
    # What a calendar shows: a change tells everyone as a move does, with a new SEQUENCE.
    told = [name for name in TOLD_FIELDS if name in changes]
    if told:
        event.sequence += 1
    _check_dates(event)
    event.full_clean()
    event.save()
    if changes:
        audit_record(
            actor=actor,
            action="meetings.event_update",
            obj=event,
            at=now,
            changes={**changes, "told": bool(told)},
        )
    if told:
        people, statuses = _told_of_changes(event, actor=actor)
        _notify(people, kind="event_changed", event=event, now=now)
        _send_later(
            users=people,
            statuses=statuses,
            event=event,
            method="REQUEST",
            now=now,
            subject=_("Endret: %(title)s") % {"title": event.title},
            template="meetings/email/event_changed.txt",
            context={
                "event": event,
                "old_title": before_title,
                "when": _when(event.starts_at),
                "changed": told,
                "url": reverse("meetings:event_detail", args=[event.pk]),
            },
        )
    _fill_from_waiting_list(event, actor=actor, now=now)  # more places may have been added
    return event


ORGANISER_MIN_AGE = 18


@transaction.atomic
def event_organiser_add(*, actor, event: Event, user, now: datetime.datetime) -> None:
    """Add a co-organiser. Organisers see every registration answer, sensitive ones too, so
    they must be adults, and nobody makes themself one (PermissionDenied)."""
    refuse_self_grant(actor=actor, user=user)
    age = user.age_in(timezone.localdate(now).year)
    if age is not None and age < ORGANISER_MIN_AGE:
        raise ValidationError({"email": _("Medarrangører må være voksne.")})
    if event.organisers.filter(pk=user.pk).exists():
        raise ValidationError({"email": _("Personen er allerede arrangør.")})
    event.organisers.add(user)
    audit_record(
        actor=actor,
        action="meetings.event_organiser_add",
        obj=event,
        at=now,
        changes={"user": user.pk},
    )


def _told_of_changes(event: Event, *, actor=None):
    """Who hears that an event moved or was cancelled: every invitee who has not said no
    (invited, registered, waiting) and the other organisers (of other municipalities too, for a
    national event). Returns the people and each invitee's registration status."""
    registrations = event.registrations.exclude(status=RS.CANCELLED).select_related("user")
    statuses = {r.user_id: r.status for r in registrations}
    people = {r.user_id: r.user for r in registrations}
    for organiser in event.organisers.all():
        if actor is None or organiser.pk != actor.pk:
            people.setdefault(organiser.pk, organiser)
    return list(people.values()), statuses


@transaction.atomic
def event_move(
    *,
    actor,
    event: Event,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    reason: str = "",
    now: datetime.datetime,
) -> Event:
    """Move an event to new dates; registrations carry over and the registered are told."""
    event = _lock_event(event)
    _not_cancelled(event)
    if event.starts_at <= now:
        raise ValidationError(_("Et arrangement som har startet, kan ikke flyttes."))
    if starts_at <= now:
        raise ValidationError({"starts_at": _("Den nye datoen må være fram i tid.")})
    before = (event.starts_at, event.ends_at)
    event.starts_at, event.ends_at = starts_at, ends_at
    event.sequence += 1
    if event.registration_deadline and event.registration_deadline > starts_at:
        event.registration_deadline = starts_at
    _check_dates(event)
    event.full_clean()
    event.save()
    EventChange.objects.create(
        event=event,
        kind=EventChange.Kind.MOVED,
        at=now,
        actor=actor,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason,
    )
    audit_record(
        actor=actor,
        action="meetings.event_move",
        obj=event,
        at=now,
        changes={"from": before[0].isoformat(), "to": starts_at.isoformat(), "reason": reason},
    )
    people, statuses = _told_of_changes(event, actor=actor)
    _notify(people, kind="event_moved", event=event, now=now)
    _send_later(
        users=people,
        statuses=statuses,
        event=event,
        method="REQUEST",
        now=now,
        subject=_("Nytt tidspunkt: %(title)s") % {"title": event.title},
        template="meetings/email/event_moved.txt",
        context={
            "event": event,
            "old_when": _when(before[0]),
            "new_when": _when(starts_at),
            "reason": reason,
            "url": reverse("meetings:event_detail", args=[event.pk]),
        },
    )
    return event


@transaction.atomic
def event_cancel(*, actor, event: Event, reason: str, now: datetime.datetime) -> Event:
    """Cancel an event with a reason; registered and waiting people are told."""
    event = _lock_event(event)
    _not_cancelled(event)
    if not reason.strip():
        raise ValidationError({"reason": _("Skriv hvorfor arrangementet avlyses.")})
    event.status = Event.Status.CANCELLED
    event.cancel_reason = reason.strip()
    event.sequence += 1
    event.full_clean()
    event.save()
    # Sensitive answers (such as dietary needs) are no longer needed by anyone.
    Answer.objects.filter(question__event=event, question__is_sensitive=True).delete()
    EventChange.objects.create(
        event=event,
        kind=EventChange.Kind.CANCELLED,
        at=now,
        actor=actor,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        reason=event.cancel_reason,
    )
    audit_record(
        actor=actor,
        action="meetings.event_cancel",
        obj=event,
        at=now,
        changes={"reason": event.cancel_reason},
    )
    people, statuses = _told_of_changes(event, actor=actor)
    _notify(people, kind="event_cancelled", event=event, now=now)
    _send_later(
        users=people,
        statuses=statuses,
        event=event,
        method="CANCEL",
        now=now,
        subject=_("Avlyst: %(title)s") % {"title": event.title},
        template="meetings/email/event_cancelled.txt",
        context={
            "event": event,
            "when": _when(event.starts_at),
            "reason": event.cancel_reason,
            "url": reverse("meetings:event_detail", args=[event.pk]),
        },
    )
    return event


# --- Invitations and registration ---------------------------------------------------------------


@transaction.atomic
def event_invite_groups(*, actor, event: Event, groups, now: datetime.datetime) -> int:
    """Invite whole groups: their active members become invitees and get an e-mail.

    A youth resource group's members are also invited when its municipality's project group is
    (they are an equal part of it). Returns how many people were newly invited.
    """
    event = _lock_event(event)
    _not_cancelled(event)
    if event.ends_at <= now:
        raise ValidationError(_("Arrangementet er over."))
    groups = list(groups)
    if not groups:
        raise ValidationError({"groups": _("Velg minst én gruppe.")})
    for group in groups:
        GroupInvitation.objects.get_or_create(
            event=event, group=group, defaults={"invited_at": now, "invited_by": actor}
        )
    project_municipalities = [
        g.municipality_id for g in groups if g.kind == Group.Kind.LOCAL_PROJECT_GROUP
    ]
    members = (
        Membership.objects.active_on(timezone.localdate(now))
        .filter(
            Q(group__in=groups)
            | Q(
                group__kind=Group.Kind.YOUTH_RESOURCE_GROUP,
                group__municipality_id__in=project_municipalities,
                role=Membership.Role.YOUTH_MEMBER,
            )
        )
        .select_related("user")
    )
    new_users = _invite(event, [m.user for m in members], now=now)
    audit_record(
        actor=actor,
        action="meetings.event_invite_groups",
        obj=event,
        at=now,
        changes={"groups": [g.pk for g in groups], "invited": len(new_users)},
    )
    return len(new_users)


def _invite(event: Event, users, *, now: datetime.datetime) -> list:
    """Make each active user not yet on the event an invitee: a registration, a notice and the
    invitation e-mail with the event as iCalendar. Returns the newly invited."""
    already = set(event.registrations.values_list("user_id", flat=True))
    new_users = {}
    for user in users:
        if user.pk not in already and user.is_active:
            new_users[user.pk] = user
    new_users = [new_users[pk] for pk in sorted(new_users)]
    Registration.objects.bulk_create(
        [
            Registration(event=event, user=user, status=RS.INVITED, invited_at=now)
            for user in new_users
        ]
    )
    _notify(new_users, kind="event_invited", event=event, now=now)
    _send_later(
        users=new_users,
        event=event,
        method="REQUEST",
        now=now,
        subject=_("Invitasjon: %(title)s") % {"title": event.title},
        template="meetings/email/invitation.txt",
        context={
            "event": event,
            "when": _when(event.starts_at),
            "url": reverse("meetings:event_detail", args=[event.pk]),
        },
    )
    return new_users


def staff_to_invite(event: Event, *, unit=None, unit_kinds=(), roles=(), day: datetime.date):
    """The active people working in the event's municipality on ``day`` whom a staff invitation
    reaches: those of one ``unit``, or of the open units of ``unit_kinds`` (all kinds if none),
    in ``roles`` (all roles if none)."""
    from ungkultur.accounts.models import User
    from ungkultur.organisations.models import UnitStaff

    staff = UnitStaff.objects.active_on(day).filter(
        unit__municipality_id=event.municipality_id, unit__closed_on__isnull=True
    )
    if unit is not None:
        staff = staff.filter(unit=unit)
    if unit_kinds:
        staff = staff.filter(unit__kind__in=list(unit_kinds))
    if roles:
        staff = staff.filter(role__in=list(roles))
    return User.objects.filter(is_active=True, pk__in=staff.values("user_id")).order_by("pk")


def staff_invitation_counts(event: Event, **criteria) -> tuple[int, int]:
    """How many a staff invitation would newly invite, and how many of those it reaches are
    invited already (or have answered): shown before sending."""
    users = staff_to_invite(event, **criteria)
    already = users.filter(event_registrations__event=event).count()
    return users.count() - already, already


def _check_staff_criteria(event: Event, *, unit, unit_kinds, roles) -> None:
    if event.municipality_id is None:
        raise ValidationError(_("Bare arrangementer i en kommune kan invitere kommunens ansatte."))
    if unit is None and not unit_kinds and not roles:
        raise ValidationError({"unit": _("Velg en enhet, en type enhet eller en rolle.")})
    if unit is not None and (unit.municipality_id != event.municipality_id or unit.is_closed):
        raise ValidationError({"unit": _("Velg en av kommunens egne enheter.")})


@transaction.atomic
def event_invite_staff(
    *, actor, event: Event, unit=None, unit_kinds=(), roles=(), now: datetime.datetime
) -> int:
    """Invite the staff of one unit of the event's municipality, or all its staff of chosen unit
    kinds and roles (such as a course "for kulturskolelærere og ungdomsarbeidere"). Each gets a
    notice and the invitation e-mail with the .ics; those already on the event are left as
    they are. Returns how many were newly invited."""
    event = _lock_event(event)
    _not_cancelled(event)
    if event.ends_at <= now:
        raise ValidationError(_("Arrangementet er over."))
    unit_kinds, roles = sorted(unit_kinds), sorted(roles)
    _check_staff_criteria(event, unit=unit, unit_kinds=unit_kinds, roles=roles)
    users = staff_to_invite(
        event, unit=unit, unit_kinds=unit_kinds, roles=roles, day=timezone.localdate(now)
    )
    new_users = _invite(event, list(users), now=now)
    audit_record(
        actor=actor,
        action="meetings.event_invite_staff",
        obj=event,
        at=now,
        changes={
            "unit": unit.pk if unit else None,
            "unit_kinds": unit_kinds,
            "roles": roles,
            "invited": len(new_users),
        },
    )
    return len(new_users)


def registration_closed_reason(event: Event, *, now: datetime.datetime) -> str | None:
    """Why nobody can register now, or None while registration is open."""
    if event.status == Event.Status.CANCELLED:
        return _("Arrangementet er avlyst.")
    if event.starts_at <= now:
        return _("Arrangementet har startet.")
    if event.registration_deadline and event.registration_deadline <= now:
        return _("Påmeldingsfristen har gått ut.")
    return None


def _places_taken(event: Event) -> int:
    return event.registrations.filter(status=RS.REGISTERED).count()


@transaction.atomic
def registration_register(
    *, actor, event: Event, answers: dict | None = None, now: datetime.datetime
) -> Registration:
    """Register the actor: a place if one is free (and nobody waits), else the waiting list.

    ``answers`` maps question ids to text. Only invitees may register unless registration is
    open to all.
    """
    event = _lock_event(event)
    reason = registration_closed_reason(event, now=now)
    if reason:
        raise ValidationError(reason)
    registration = Registration.objects.select_for_update().filter(event=event, user=actor).first()
    if registration is None and not event.open_registration:
        raise ValidationError(_("Bare inviterte kan melde seg på dette arrangementet."))
    if registration is not None and registration.status in (RS.REGISTERED, RS.WAITING):
        raise ValidationError(_("Du er allerede påmeldt."))
    answers = answers or {}
    questions = list(event.questions.all())
    missing = [q.text for q in questions if q.required and not str(answers.get(q.pk, "")).strip()]
    if missing:
        raise ValidationError(_("Svar på: %(questions)s") % {"questions": ", ".join(missing)})
    if registration is None:
        registration = Registration(event=event, user=actor)
    waiting = event.registrations.filter(status=RS.WAITING).exists()
    full = event.capacity is not None and _places_taken(event) >= event.capacity
    before = registration.status or None
    if full or waiting:
        registration.status, registration.queued_at = RS.WAITING, now
    else:
        registration.status, registration.registered_at = RS.REGISTERED, now
    registration.full_clean()
    registration.save()
    for question in questions:
        text = str(answers.get(question.pk, "")).strip()
        Answer.objects.update_or_create(
            registration=registration, question=question, defaults={"text": text}
        )
    audit_record(
        actor=actor,
        action="meetings.registration_register",
        obj=registration,
        at=now,
        changes={"event": event.pk, "from": before, "to": registration.status},
    )
    return registration


@transaction.atomic
def registration_cancel(*, actor, registration: Registration, now: datetime.datetime):
    """Cancel a registration (or leave the waiting list); the next waiting person moves up."""
    event = _lock_event(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status not in (RS.REGISTERED, RS.WAITING):
        raise ValidationError(_("Du er ikke påmeldt."))
    if event.starts_at <= now:
        raise ValidationError(_("Arrangementet har startet."))
    before = registration.status
    registration.status = RS.CANCELLED
    registration.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="meetings.registration_cancel",
        obj=registration,
        at=now,
        changes={"event": event.pk, "from": before, "to": registration.status},
    )
    _fill_from_waiting_list(event, actor=actor, now=now)
    return registration


def _fill_from_waiting_list(event: Event, *, actor, now) -> list[Registration]:
    """Move waiting people up, first come first served, while places are free. Locked event."""
    if event.status == Event.Status.CANCELLED or event.starts_at <= now:
        return []
    free = None if event.capacity is None else event.capacity - _places_taken(event)
    waiting = event.registrations.filter(status=RS.WAITING).order_by("queued_at", "pk")
    waiting = waiting.select_related("user")
    moved = list(waiting if free is None else waiting[: max(free, 0)])
    for registration in moved:
        registration.status, registration.registered_at = RS.REGISTERED, now
        registration.save(update_fields=["status", "registered_at"])
        audit_record(
            actor=actor,
            action="meetings.registration_moved_up",
            obj=registration,
            at=now,
            changes={"event": event.pk, "from": RS.WAITING, "to": RS.REGISTERED},
        )
        _send_later(
            users=[registration.user],
            subject=_("Du har fått plass: %(title)s") % {"title": event.title},
            template="meetings/email/moved_up.txt",
            context={
                "event": event,
                "when": _when(event.starts_at),
                "url": reverse("meetings:event_detail", args=[event.pk]),
            },
        )
    return moved


@transaction.atomic
def question_add(
    *, actor, event: Event, text: str, required: bool, is_sensitive: bool, now
) -> Question:
    _not_cancelled(event)
    position = (event.questions.aggregate(m=Max("position"))["m"] or 0) + 1
    question = Question(
        event=event, position=position, text=text, required=required, is_sensitive=is_sensitive
    )
    question.full_clean()
    question.save()
    audit_record(
        actor=actor,
        action="meetings.question_add",
        obj=question,
        at=now,
        changes={"event": event.pk, "sensitive": is_sensitive},
    )
    return question


def event_answers_purge(*, now: datetime.datetime) -> int:
    """Delete answers to sensitive questions of events that have ended (or were cancelled and
    would have ended). Returns how many answers were deleted."""
    with transaction.atomic():
        answers = Answer.objects.filter(
            question__is_sensitive=True, question__event__ends_at__lte=now
        )
        deleted, _details = answers.delete()
    return deleted


# --- Agenda -------------------------------------------------------------------------------------


@transaction.atomic
def agenda_item_add(
    *,
    actor,
    event: Event,
    title: str,
    description: str = "",
    proposal=None,
    now: datetime.datetime,
) -> AgendaItem:
    """Put an item last on the agenda; a youth proposal lends its title if none is given."""
    event = _lock_event(event)
    _not_cancelled(event)
    if proposal is not None:
        if proposal.municipality_id != event.municipality_id:
            raise ValidationError({"proposal": _("Forslaget hører til en annen kommune.")})
        if event.agenda_items.filter(proposal=proposal).exists():
            raise ValidationError({"proposal": _("Forslaget står allerede på sakslisten.")})
        title = title or proposal.title
    position = (event.agenda_items.aggregate(m=Max("position"))["m"] or 0) + 1
    item = AgendaItem(
        event=event,
        position=position,
        title=title,
        description=description,
        proposal=proposal,
        added_by=actor,
        added_at=now,
    )
    item.full_clean()
    item.save()
    if proposal is not None and proposal.status == Proposal.Status.SUBMITTED:
        # On the agenda, the proposal is being considered: its author and supporters hear so.
        proposal_consider(
            actor=actor,
            proposal=proposal,
            note=_("Satt på sakslisten til «%(event)s» %(date)s.")
            % {"event": event.title, "date": date_format(timezone.localtime(event.starts_at))},
            now=now,
        )
    audit_record(
        actor=actor,
        action="meetings.agenda_item_add",
        obj=item,
        at=now,
        changes={"event": event.pk, "proposal": proposal.pk if proposal else None},
    )
    return item


@transaction.atomic
def agenda_item_move(*, actor, item: AgendaItem, up: bool, now: datetime.datetime) -> None:
    """Swap an item with its neighbour above (``up``) or below."""
    _lock_event(item.event)
    items = list(item.event.agenda_items.all())
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    other_index = index - 1 if up else index + 1
    if not 0 <= other_index < len(items):
        return
    items[index], items[other_index] = items[other_index], items[index]
    for position, agenda_item in enumerate(items, start=1):
        if agenda_item.position != position:
            agenda_item.position = position
            agenda_item.save(update_fields=["position"])
    audit_record(
        actor=actor,
        action="meetings.agenda_item_move",
        obj=item,
        at=now,
        changes={"up": up},
    )


@transaction.atomic
def agenda_item_remove(*, actor, item: AgendaItem, now: datetime.datetime) -> None:
    audit_record(
        actor=actor,
        action="meetings.agenda_item_remove",
        obj=item,
        at=now,
        changes={"event": item.event_id, "title": item.title},
    )
    item.delete()


# --- Attendance ---------------------------------------------------------------------------------


def counts_as_youth(user, *, day: datetime.date) -> bool:
    """A youth resource-group member counts as youth; so does anyone of youth age (13–19)."""
    if (
        Membership.objects.active_on(day)
        .filter(user=user, role=Membership.Role.YOUTH_MEMBER)
        .exists()
    ):
        return True
    age = user.age_in(day.year)
    return age is not None and age <= 19


@transaction.atomic
def attendance_set(*, actor, event: Event, users, now: datetime.datetime) -> list[Attendance]:
    """Record exactly ``users`` as present (youth marked), replacing earlier marks."""
    event = _lock_event(event)
    _not_cancelled(event)
    if event.starts_at > now:
        raise ValidationError(_("Oppmøte registreres når arrangementet har startet."))
    day = timezone.localdate(event.starts_at)
    users = {u.pk: u for u in users}
    before = set(event.attendances.values_list("user_id", flat=True))
    event.attendances.exclude(user_id__in=list(users)).delete()
    created = [
        Attendance(event=event, user=user, is_youth=counts_as_youth(user, day=day))
        for pk, user in users.items()
        if pk not in before
    ]
    Attendance.objects.bulk_create(created)
    audit_record(
        actor=actor,
        action="meetings.attendance_set",
        obj=event,
        at=now,
        changes={"present": sorted(users), "before": sorted(before)},
    )
    return created


# --- Minutes, decisions and actions -------------------------------------------------------------


def _not_approved(event: Event) -> None:
    if Minutes.objects.filter(event=event, approved_at__isnull=False).exists():
        raise ValidationError(_("Referatet er godkjent og kan ikke lenger endres."))


@transaction.atomic
def minutes_save(*, actor, event: Event, summary: str, now: datetime.datetime) -> Minutes:
    _not_cancelled(event)
    _not_approved(event)
    minutes, _created = Minutes.objects.update_or_create(
        event=event, defaults={"summary": summary, "written_by": actor, "updated_at": now}
    )
    audit_record(actor=actor, action="meetings.minutes_save", obj=minutes, at=now)
    return minutes


@transaction.atomic
def minutes_approve(*, actor, event: Event, now: datetime.datetime) -> Minutes:
    """Approve the minutes: from now on neither they nor their decisions change."""
    _not_cancelled(event)
    _not_approved(event)
    minutes, _created = Minutes.objects.get_or_create(
        event=event, defaults={"written_by": actor, "updated_at": now}
    )
    minutes.approved_at = now
    minutes.approved_by = actor
    minutes.save(update_fields=["approved_at", "approved_by"])
    audit_record(actor=actor, action="meetings.minutes_approve", obj=minutes, at=now)
    return minutes


def _youth_present(event: Event, proposal) -> list:
    """The resource group's youth registered as present at the event: those who took part in
    the decision on the proposal."""
    from ungkultur.participation.services import resource_group_youth

    day = timezone.localdate(event.starts_at)
    members = {m.user_id: m.user for m in resource_group_youth(proposal.municipality, day=day)}
    present = event.attendances.filter(user_id__in=list(members)).values_list("user_id", flat=True)
    return [members[pk] for pk in sorted(present)]


def _check_outcome(agenda_item, outcome: str) -> None:
    if outcome and (agenda_item is None or agenda_item.proposal_id is None):
        raise ValidationError(
            {"outcome": _("Svar på et forslag krever at vedtaket gjelder forslagets sak.")}
        )


@transaction.atomic
def decision_add(
    *,
    actor,
    event: Event,
    text: str,
    agenda_item=None,
    outcome: str = "",
    now: datetime.datetime,
) -> Decision:
    """Record a decision. On a youth proposal's agenda item with an ``outcome``, the decision
    answers the proposal in the same step: the text is the justification and the resource
    group's youth present at the meeting took part."""
    from ungkultur.participation.services import proposal_answer

    _not_cancelled(event)
    _not_approved(event)
    if agenda_item is not None and agenda_item.event_id != event.pk:
        raise ValidationError({"agenda_item": _("Saken hører til et annet møte.")})
    _check_outcome(agenda_item, outcome)
    decision = Decision(
        event=event, agenda_item=agenda_item, text=text, outcome=outcome, made_at=now
    )
    decision.full_clean()
    decision.save()
    audit_record(
        actor=actor,
        action="meetings.decision_add",
        obj=decision,
        at=now,
        changes={"event": event.pk, "outcome": outcome},
    )
    if outcome:
        proposal = Proposal.objects.select_for_update().get(pk=agenda_item.proposal_id)
        if proposal.is_answered:
            raise ValidationError(
                {"outcome": _("Forslaget er allerede besvart. Rett det vedtaket som svarte.")}
            )
        proposal_answer(
            actor=actor,
            proposal=proposal,
            status=outcome,
            answer=text,
            youth_participants=_youth_present(event, proposal),
            now=now,
        )
    return decision


@transaction.atomic
def decision_edit(
    *,
    actor,
    decision: Decision,
    text: str,
    outcome: str = "",
    reason: str = "",
    now: datetime.datetime,
) -> Decision:
    """Edit a decision until the minutes are approved. A decision that answered a proposal
    corrects the answer (with a reason, kept in the proposal's visible history)."""
    from ungkultur.participation.services import proposal_answer_correct

    decision = Decision.objects.select_for_update().select_related("event").get(pk=decision.pk)
    event = decision.event
    _not_cancelled(event)
    _not_approved(event)
    if bool(outcome) != bool(decision.outcome):
        raise ValidationError(
            {"outcome": _("Et vedtak som svarer på et forslag, må fortsatt svare på det.")}
        )
    before = {"text": decision.text, "outcome": decision.outcome}
    decision.text = text
    decision.outcome = outcome
    decision.edited_at = now
    decision.full_clean()
    decision.save()
    audit_record(
        actor=actor,
        action="meetings.decision_edit",
        obj=decision,
        at=now,
        changes={"text": [before["text"], text], "outcome": [before["outcome"], outcome]},
    )
    proposal_id = decision.agenda_item.proposal_id if decision.agenda_item else None
    proposal = Proposal.objects.filter(pk=proposal_id).first()
    if outcome and proposal and (outcome, text) != (before["outcome"], before["text"]):
        proposal_answer_correct(
            actor=actor,
            proposal=proposal,
            status=outcome,
            answer=text,
            youth_participants=_youth_present(event, proposal),
            reason=reason,
            now=now,
        )
    return decision


@transaction.atomic
def action_item_add(
    *, actor, event: Event, owner, what: str, due: datetime.date, now: datetime.datetime
) -> ActionItem:
    """An action item for one person; they are told by e-mail and see it on Min side."""
    _not_cancelled(event)
    item = ActionItem(event=event, owner=owner, what=what, due=due, created_at=now)
    item.full_clean()
    item.save()
    audit_record(
        actor=actor,
        action="meetings.action_item_add",
        obj=item,
        at=now,
        changes={"event": event.pk, "owner": owner.pk, "due": due.isoformat()},
    )
    if owner.pk != getattr(actor, "pk", None):
        _send_later(
            users=[owner],
            subject=_("Oppfølgingspunkt fra %(title)s") % {"title": event.title},
            template="meetings/email/action_item.txt",
            context={
                "event": event,
                "item": item,
                "url": reverse("meetings:event_detail", args=[event.pk]),
            },
        )
    return item


@transaction.atomic
def action_item_set_status(
    *, actor, item: ActionItem, status: str, now: datetime.datetime
) -> ActionItem:
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    if status not in ActionItem.Status.values:
        raise ValidationError({"status": _("Ukjent status.")})
    before = item.status
    item.status = status
    item.closed_at = None if status == ActionItem.Status.OPEN else now
    item.full_clean()
    item.save()
    audit_record(
        actor=actor,
        action="meetings.action_item_set_status",
        obj=item,
        at=now,
        changes={"from": before, "to": status},
    )
    return item


def action_item_reminders_send(*, now: datetime.datetime) -> int:
    """Remind owners of open action items: once at each of
    ``UNGKULTUR_MEETINGS_ACTION_REMINDER_DAYS`` before the due date and once when it has passed.
    A run that missed a day sends only the nearest stage; safe to run as often as wanted.
    Each reminder is an e-mail and a notice."""
    from django.db import IntegrityError

    today = timezone.localdate(now)
    stages = sorted(settings.UNGKULTUR_MEETINGS_ACTION_REMINDER_DAYS)
    horizon = today + datetime.timedelta(days=max(stages, default=0))
    items = (
        ActionItem.objects.filter(status=ActionItem.Status.OPEN, due__lte=horizon)
        .select_related("owner", "event")
        .order_by("pk")
    )
    sent = 0
    for item in items:
        days_left = (item.due - today).days
        done = set(item.reminders.values_list("stage", flat=True))
        if days_left < 0:
            stage = "late"
        else:
            days = next((d for d in stages if days_left <= d), None)
            if (
                days is None
                or "late" in done
                or any(f"before-{d}" in done for d in stages if d < days)
            ):
                continue
            stage = f"before-{days}"
        with transaction.atomic():
            try:
                with transaction.atomic():
                    ActionItemReminder.objects.create(item=item, stage=stage, sent_at=now)
            except IntegrityError:
                continue
            _notify(
                [item.owner],
                kind="action_late" if stage == "late" else "action_soon",
                action_item=item,
                now=now,
            )
            _send_later(
                users=[item.owner],
                subject=(
                    _("Fristen er passert: %(what)s")
                    if stage == "late"
                    else _("Frist snart: %(what)s")
                )
                % {"what": item.what[:80]},
                template="meetings/email/action_item_reminder.txt",
                context={
                    "event": item.event,
                    "item": item,
                    "days_left": days_left,
                    "days_late": -days_left,
                },
            )
            sent += 1
    return sent
