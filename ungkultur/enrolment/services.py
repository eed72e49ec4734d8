"""Enrolment as a state machine over ``Enrolment.Status``.

    join ──► ACTIVE                        (registration, a place free and nobody waiting)
    join ──► WAITING ──offer next──► OFFERED ──accept──► ACTIVE ──leave/re-registration──► ENDED
    join ──► APPLIED ──staff offer──► OFFERED ──decline──► DECLINED
                                      OFFERED ──no answer by answer_by──► EXPIRED
    APPLIED / WAITING / OFFERED (and ACTIVE not yet started) ──leave/offer cancelled──► WITHDRAWN

Places are ACTIVE + OFFERED. Every service that counts or frees places locks the offer row
first (then the enrolment rows), so two people cannot take the last place at the same time.
When a place frees on a registration offer, the next in the queue (``queued_at``) is offered
it by e-mail with an answer deadline; on an application offer, staff offer places by priority.

Every service takes ``now`` (or ``today``), runs in one transaction, writes an audit row per
changed enrolment and sends e-mail only after the transaction commits.
"""

import datetime
import logging
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ungkultur.accounts.models import Guardianship
from ungkultur.catalogue.cache import catalogue_changed
from ungkultur.catalogue.models import Offer, Session
from ungkultur.core.services import audit_record
from ungkultur.core.tasks import send_email
from ungkultur.enrolment.models import (
    Attendance,
    CalendarFeed,
    DropoutReason,
    EndReason,
    Enrolment,
    ImportColumns,
    OfferRef,
    Participant,
)
from ungkultur.enrolment.rules import decides_alone, may_act_for
from ungkultur.enrolment.selectors import TAKES_A_PLACE, notice_enrolments, session_roster
from ungkultur.lib.tokens import token_hash, token_new

logger = logging.getLogger(__name__)

Status = Enrolment.Status

# Which statuses each status may be reached from (a new enrolment starts in APPLIED, WAITING or
# ACTIVE). Anything else is refused with a message.
TRANSITIONS = {
    Status.OFFERED: {Status.APPLIED, Status.WAITING},
    Status.ACTIVE: {Status.OFFERED},
    Status.DECLINED: {Status.OFFERED},
    Status.EXPIRED: {Status.OFFERED},
    Status.WITHDRAWN: {Status.APPLIED, Status.WAITING, Status.OFFERED, Status.ACTIVE},
    Status.ENDED: {Status.ACTIVE},
}


def answer_time(offer: Offer) -> datetime.timedelta:
    """How long a person offered a place has to answer (settings, in days)."""
    if offer.join_mode == Offer.JoinMode.APPLICATION:
        return datetime.timedelta(days=settings.UNGKULTUR_APPLICATION_ANSWER_DAYS)
    return datetime.timedelta(days=settings.UNGKULTUR_REGISTRATION_ANSWER_DAYS)


# --- Helpers ------------------------------------------------------------------------------------


def _lock_offer(offer: Offer) -> Offer:
    return Offer.objects.select_for_update().get(pk=offer.pk)


def _lock_enrolment(enrolment: Enrolment) -> Enrolment:
    """Lock the offer, then the enrolment (always in this order, so that none deadlock)."""
    _lock_offer(enrolment.offer)
    return (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("offer", "participant__user", "signed_up_by")
        .get(pk=enrolment.pk)
    )


def _move(enrolment: Enrolment, to: str, message: str | None = None) -> str:
    """Check a transition against TRANSITIONS and set the new status; return the old one."""
    before = enrolment.status
    if before not in TRANSITIONS[to]:
        raise ValidationError(
            message
            or _("Påmeldingen har status «%(status)s», så dette kan ikke gjøres nå.")
            % {"status": enrolment.get_status_display()}
        )
    enrolment.status = to
    return before


def _save(enrolment: Enrolment, *, actor, action: str, before: str | None, now, **changes):
    enrolment.full_clean()
    enrolment.save()
    audit_record(
        actor=actor,
        action=action,
        obj=enrolment,
        at=now,
        changes={
            "offer": enrolment.offer_id,
            "participant": enrolment.participant_id,
            "from": before,
            "to": enrolment.status,
            **changes,
        },
    )


def _day(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _start_day(offer: Offer, today: datetime.date) -> datetime.date:
    """A place starts today, or on the first day of the term if that is later."""
    return max(today, offer.term_start)


def recipients(enrolment: Enrolment) -> list[str]:
    """Who hears about an enrolment: the person, and the guardian who signed them up.

    Under the online consent age the guardians decide (docs/privacy.md), so every e-mail about
    the child goes to the child's confirmed guardians (and whoever signed them up), never to
    the child's own address.
    """
    person = enrolment.participant.user
    users = [person, enrolment.signed_up_by]
    if person is not None and not decides_alone(person, now=timezone.now()):
        guardians = [
            link.guardian
            for link in Guardianship.objects.filter(
                child=person, confirmed_at__isnull=False
            ).select_related("guardian")
        ]
        users = [u for u in (enrolment.signed_up_by, *guardians) if u is None or u != person]
    addresses = []
    for user in users:
        if user is not None and user.is_active and user.email and user.email not in addresses:
            addresses.append(user.email)
    # Someone staff added by hand, without an account: the one address given (a guardian's
    # under 13).
    contact = enrolment.participant.contact_email
    if person is None and contact and contact not in addresses:
        addresses.append(contact)
    return addresses


def _send_later(*, addresses, subject: str, template: str, context: dict) -> None:
    """One e-mail to each address, after the transaction commits (none if it rolls back)."""
    body = render_to_string(
        template,
        {**context, "site_url": settings.SITE_URL, "my_page": reverse("mypage:index")},
    )
    for address in addresses:
        transaction.on_commit(partial(send_email.enqueue, subject=subject, body=body, to=[address]))


def _notify(enrolment: Enrolment, *, subject: str, template: str, **context) -> None:
    """Tell the person (as "du") and the guardian who signed them up (by the person's name)."""
    person = enrolment.participant.user
    addresses = recipients(enrolment)
    # Someone staff added by hand, without an account, cannot use Min side: the e-mails tell
    # them to answer the unit instead (the unit read only when there is someone to tell).
    no_account = enrolment.participant.user_id is None
    answer_unit = enrolment.offer.unit if no_account and addresses else None
    for address in addresses:
        is_person = person is not None and address == person.email
        _send_later(
            addresses=[address],
            subject=subject,
            template=template,
            context={
                "enrolment": enrolment,
                "offer": enrolment.offer,
                "name": "" if is_person else _person_name(enrolment),
                "no_account": no_account,
                "answer_unit": answer_unit,
                **context,
            },
        )


def _person_name(enrolment: Enrolment) -> str:
    user = enrolment.participant.user
    return user.public_name if user else enrolment.participant.first_name


def _when(value: datetime.datetime) -> str:
    return date_format(timezone.localtime(value), "DATE_AT_TIME_FORMAT")


# --- Participant --------------------------------------------------------------------------------


def participant_for(user, municipality) -> Participant:
    """The user's participant record in a municipality, made on first sign-up.

    Birth year and gender are copied from the user (and kept up to date), so that indicators
    need nothing else about the person.
    """
    participant, created = Participant.objects.get_or_create(
        municipality=municipality,
        user=user,
        defaults={"birth_year": user.birth_year, "gender": user.gender},
    )
    if not created and (
        participant.birth_year != user.birth_year or participant.gender != user.gender
    ):
        participant.birth_year, participant.gender = user.birth_year, user.gender
        participant.save(update_fields=["birth_year", "gender"])
    return participant


# --- Join ---------------------------------------------------------------------------------------


def join_closed_reason(offer: Offer, *, today: datetime.date) -> str | None:
    """Why nobody can sign up for the offer now, or None while sign-up is open."""
    if offer.status == Offer.Status.CANCELLED:
        return _("Tilbudet er avlyst.")
    if offer.status != Offer.Status.PUBLISHED:
        return _("Tilbudet er ikke publisert.")
    if offer.join_mode == Offer.JoinMode.DROP_IN:
        return _("Her trenger du ikke melde deg på. Bare møt opp!")
    if offer.term_end is not None and offer.term_end < today:
        return _("Tilbudet er over.")
    if offer.join_mode == Offer.JoinMode.APPLICATION and (
        offer.application_deadline is not None and today > offer.application_deadline
    ):
        return _("Søknadsfristen har gått ut (%(date)s).") % {
            "date": date_format(offer.application_deadline, "DATE_FORMAT")
        }
    return None


def _validate_join(*, offer: Offer, person, is_self: bool, today: datetime.date) -> None:
    closed = join_closed_reason(offer, today=today)
    if closed:
        raise ValidationError(closed)
    if person.birth_year is None:
        raise ValidationError(
            _("Vi vet ikke hvilket år du er født, så vi kan ikke se om tilbudet passer.")
            if is_self
            else _("Vi vet ikke hvilket år %(name)s er født, så vi kan ikke se om tilbudet passer.")
            % {"name": person.first_name}
        )
    reason = join_age_reason(offer=offer, person=person, is_self=is_self, today=today)
    if reason:
        raise ValidationError(reason)


def join_age_reason(*, offer: Offer, person, is_self: bool, today: datetime.date) -> str | None:
    """Why ``person`` is too young or too old for the offer, or None (a known birth year)."""
    if person.birth_year is None:
        return None
    # Age in the calendar year the place starts (DESIGN §4), not the year a long-running
    # offer first began: a standing subject since 2024 is for those of the right age now.
    year = _start_day(offer, today).year
    age = year - person.birth_year
    if offer.age_min <= age <= offer.age_max:
        return None
    values = {
        "name": person.first_name,
        "age": age,
        "year": year,
        "min": offer.age_min,
        "max": offer.age_max,
    }
    return (
        _("Tilbudet er for %(min)s–%(max)s år. Du er %(age)s år i %(year)s.") % values
        if is_self
        else _("Tilbudet er for %(min)s–%(max)s år. %(name)s er %(age)s år i %(year)s.") % values
    )


@transaction.atomic
def enrolment_join(*, actor, offer: Offer, person, now: datetime.datetime) -> Enrolment:
    """Sign ``person`` (the actor or their confirmed child) up for an offer.

    Registration: a place if one is free and nobody waits, else the waiting list.
    Application: an application, until the deadline (inclusive).
    Raises PermissionDenied when the actor may not sign this person up (under the online
    consent age only a guardian may), ValidationError with a message for anything else.
    """
    if not may_act_for(actor, person, now=now):
        raise PermissionDenied
    today = timezone.localdate(now)
    offer = _lock_offer(offer)
    is_self = person.pk == actor.pk
    _validate_join(offer=offer, person=person, is_self=is_self, today=today)
    participant = participant_for(person, offer.municipality)
    already = (
        _("Du er allerede påmeldt.")
        if is_self
        else (_("%(name)s er allerede påmeldt.") % {"name": person.first_name})
    )
    open_ = Enrolment.objects.filter(
        offer=offer, participant=participant, status__in=Enrolment.OPEN_STATUSES
    )
    if open_.exists():
        raise ValidationError(already)
    enrolment = Enrolment(offer=offer, participant=participant, queued_at=now, signed_up_by=actor)
    if offer.join_mode == Offer.JoinMode.APPLICATION:
        enrolment.status = Status.APPLIED
    else:
        taken = Enrolment.objects.filter(offer=offer, status__in=TAKES_A_PLACE).count()
        anyone_waiting = Enrolment.objects.filter(offer=offer, status=Status.WAITING).exists()
        if offer.capacity is None or (taken < offer.capacity and not anyone_waiting):
            enrolment.status = Status.ACTIVE
            enrolment.start = _start_day(offer, today)
        else:
            enrolment.status = Status.WAITING
    enrolment.full_clean()
    try:
        with transaction.atomic():
            enrolment.save()
    except IntegrityError as error:
        raise ValidationError(already) from error
    audit_record(
        actor=actor,
        action="enrolment.joined",
        obj=enrolment,
        at=now,
        changes={
            "offer": offer.pk,
            "participant": participant.pk,
            "to": enrolment.status,
            "start": _day(enrolment.start),
            "signed_up_by": actor.pk,
        },
    )
    if enrolment.status == Status.WAITING:
        # Places may be free while others wait (capacity raised): the queue gets them first.
        _offer_free_places(offer, now=now)
        enrolment.refresh_from_db()
    return enrolment


# --- Staff add someone by hand -------------------------------------------------------------------

PLACE_NOW = "now"
PLACE_WAITING = "waiting"


def _age_year(offer: Offer, today: datetime.date | None = None) -> int:
    """The year ages are counted in: the year the place starts (as ``join_age_reason``)."""
    return _start_day(offer, today or timezone.localdate()).year


def _validate_added_person(
    *, offer: Offer, first_name: str, birth_year, email: str, today: datetime.date
) -> dict:
    errors: dict[str, list[str]] = {}
    if not first_name:
        errors["first_name"] = [_("Skriv fornavnet.")]
    if birth_year is None:
        errors["birth_year"] = [_("Skriv fødselsåret.")]
    else:
        year = _age_year(offer, today)
        age = year - birth_year
        if not offer.age_min <= age <= offer.age_max:
            errors["birth_year"] = [
                _(
                    "Tilbudet er for %(min)s–%(max)s år. Den som er født i %(birth)s, er "
                    "%(age)s år i %(year)s."
                )
                % {
                    "min": offer.age_min,
                    "max": offer.age_max,
                    "birth": birth_year,
                    "age": age,
                    "year": year,
                }
            ]
    if email:
        try:
            Participant._meta.get_field("contact_email").run_validators(email)
        except ValidationError:
            errors["email"] = [_("Skriv en gyldig e-postadresse, eller la feltet stå tomt.")]
    return errors


@transaction.atomic
def enrolment_add_by_staff(
    *,
    actor,
    offer: Offer,
    place: str,
    now: datetime.datetime,
    user=None,
    first_name: str = "",
    birth_year: int | None = None,
    email: str = "",
    over_capacity: bool = False,
) -> Enrolment:
    """Staff add a person to an offer themselves (a phone call, a sibling): a youth with an
    account in the offer's municipality (``user``), or someone new known only by first name,
    birth year and, if given, one address for notices (a guardian's under 13). ``place`` is
    ``"now"`` (a place from today, or the term's start) or ``"waiting"`` (the end of the
    waiting list; an application on application offers). A full offer takes someone only with
    ``over_capacity``. The person (or guardian) is told by e-mail when there is an address.
    """
    offer = _lock_offer(offer)
    today = timezone.localdate(now)
    if place not in (PLACE_NOW, PLACE_WAITING):
        raise ValidationError(
            {"place": [_("Velg om personen skal få plass nå eller stå på venteliste.")]}
        )
    if offer.status != Offer.Status.PUBLISHED:
        raise ValidationError(_("Tilbudet er ikke publisert, så ingen kan legges til."))
    if offer.join_mode == Offer.JoinMode.DROP_IN:
        raise ValidationError(_("Her trenger ingen å melde seg på."))
    if offer.term_end is not None and offer.term_end < today:
        raise ValidationError(_("Tilbudet er over."))
    first_name = (first_name or "").strip()
    email = (email or "").strip().lower()
    if user is not None:
        if user.municipality_id != offer.municipality_id or not user.is_active:
            raise ValidationError(_("Personen bor ikke i kommunen til tilbudet."))
        if user.birth_year is None:
            raise ValidationError(
                _("Vi vet ikke hvilket år %(name)s er født, så vi kan ikke se om tilbudet passer.")
                % {"name": user.first_name}
            )
        errors = _validate_added_person(
            offer=offer,
            first_name=user.first_name,
            birth_year=user.birth_year,
            email="",
            today=timezone.localdate(now),
        )
        if errors:
            raise ValidationError(errors["birth_year"])
        participant = participant_for(user, offer.municipality)
        name = user.full_name
        already = Enrolment.objects.filter(
            offer=offer, participant=participant, status__in=Enrolment.OPEN_STATUSES
        ).exists()
    else:
        errors = _validate_added_person(
            offer=offer,
            first_name=first_name,
            birth_year=birth_year,
            email=email,
            today=timezone.localdate(now),
        )
        if errors:
            raise ValidationError(errors)
        participant = None
        name = first_name
        # The same first name and birth year, added by hand before: most likely the same child.
        already = Enrolment.objects.filter(
            offer=offer,
            status__in=Enrolment.OPEN_STATUSES,
            participant__user__isnull=True,
            participant__first_name__iexact=first_name,
            participant__birth_year=birth_year,
        ).exists()
    if already:
        raise ValidationError(
            _("%(name)s (født %(year)s) er allerede påmeldt dette tilbudet.")
            % {"name": name, "year": user.birth_year if user is not None else birth_year}
        )
    full = False
    if place == PLACE_NOW and offer.capacity is not None:
        taken = Enrolment.objects.filter(offer=offer, status__in=TAKES_A_PLACE).count()
        full = taken >= offer.capacity
        if full and not over_capacity:
            raise ValidationError(
                _(
                    "Tilbudet er fullt (%(capacity)s plasser). Sett personen på venteliste, "
                    "eller kryss av for å gi plass utover antallet."
                )
                % {"capacity": offer.capacity}
            )
    if participant is None:
        participant = Participant(
            municipality=offer.municipality,
            first_name=first_name,
            birth_year=birth_year,
            contact_email=email,
        )
        participant.full_clean()
        participant.save()
    enrolment = Enrolment(offer=offer, participant=participant, queued_at=now)
    if place == PLACE_NOW:
        enrolment.status = Status.ACTIVE
        enrolment.start = _start_day(offer, today)
    elif offer.join_mode == Offer.JoinMode.APPLICATION:
        enrolment.status = Status.APPLIED
    else:
        enrolment.status = Status.WAITING
    enrolment.full_clean()
    try:
        with transaction.atomic():
            enrolment.save()
    except IntegrityError as error:
        raise ValidationError(
            _("%(name)s er allerede påmeldt dette tilbudet.") % {"name": name}
        ) from error
    audit_record(
        actor=actor,
        action="enrolment.added_by_staff",
        obj=enrolment,
        at=now,
        changes={
            "offer": offer.pk,
            "participant": participant.pk,
            "to": enrolment.status,
            "start": _day(enrolment.start),
            "account": participant.user_id is not None,
            "over_capacity": full,
        },
    )
    _notify(
        enrolment,
        subject=(_("Plass på %(offer)s") if place == PLACE_NOW else _("Venteliste til %(offer)s"))
        % {"offer": offer.title},
        template="enrolment/email/added_by_staff.txt",
        unit=offer.unit.name,
        start=date_format(enrolment.start, "DATE_FORMAT") if enrolment.start else "",
    )
    return enrolment


def _addable_youth(offer: Offer):
    """Youth with an account in the offer's municipality, of the ages the offer is for: the
    only accounts staff may find and add by hand."""
    from ungkultur.accounts.models import User

    year = _age_year(offer)
    return User.objects.filter(
        municipality_id=offer.municipality_id,
        is_active=True,
        birth_year__gte=year - offer.age_max,
        birth_year__lte=year - offer.age_min,
    )


def staff_add_candidates(offer: Offer, query: str, *, limit: int = 10):
    """Youth staff may add (``_addable_youth``) whose name contains the words of ``query``, or
    whose e-mail address is exactly it. Only name and birth year are shown; an address is
    matched, never listed."""
    query = query.strip()
    if len(query) < 2:
        return []
    match = Q(email__iexact=query)
    if "@" not in query:
        name = Q()
        for word in query.split()[:3]:
            name &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
        match |= name
    return list(
        _addable_youth(offer).filter(match).order_by("first_name", "last_name", "pk")[:limit]
    )


def staff_add_candidates_by_pk(offer: Offer, pk: int):
    return list(_addable_youth(offer).filter(pk=pk))


# --- Places that free up ------------------------------------------------------------------------


def _offer_free_places(offer: Offer, *, now: datetime.datetime) -> list[Enrolment]:
    """Offer every free place of a registration offer to the next on the waiting list.

    The caller holds the offer's lock. Application offers are left to staff.
    """
    if offer.join_mode != Offer.JoinMode.REGISTRATION or offer.capacity is None:
        return []
    if offer.status != Offer.Status.PUBLISHED:
        return []
    taken = Enrolment.objects.filter(offer=offer, status__in=TAKES_A_PLACE).count()
    free = offer.capacity - taken
    if free <= 0:
        return []
    queue = list(
        Enrolment.objects.select_for_update(of=("self",))
        .filter(offer=offer, status=Status.WAITING)
        .select_related("offer", "participant__user", "signed_up_by")
        .order_by("queued_at", "pk")[:free]
    )
    for enrolment in queue:
        _make_offer(enrolment, actor=None, now=now)
    return queue


def _make_offer(enrolment: Enrolment, *, actor, now: datetime.datetime, **changes) -> None:
    before = _move(enrolment, Status.OFFERED)
    enrolment.offered_at = now
    enrolment.answer_by = now + answer_time(enrolment.offer)
    enrolment.reminded_at = None
    _save(
        enrolment,
        actor=actor,
        action="enrolment.place_offered",
        before=before,
        now=now,
        answer_by=enrolment.answer_by.isoformat(),
        **changes,
    )
    _notify(
        enrolment,
        subject=_("Tilbud om plass på %(offer)s") % {"offer": enrolment.offer.title},
        template="enrolment/email/place_offered.txt",
        answer_by=_when(enrolment.answer_by),
    )


def queue_ahead(enrolment: Enrolment) -> list[int]:
    """The enrolments before this one in its queue: on a waiting list, those who came first;
    among applicants, those with a higher priority, or the same and applied first."""
    if enrolment.status == Status.WAITING:
        ahead = Q(queued_at__lt=enrolment.queued_at) | Q(
            queued_at=enrolment.queued_at, pk__lt=enrolment.pk
        )
    else:
        ahead = (
            Q(priority__gt=enrolment.priority)
            | Q(priority=enrolment.priority, queued_at__lt=enrolment.queued_at)
            | Q(priority=enrolment.priority, queued_at=enrolment.queued_at, pk__lt=enrolment.pk)
        )
    return list(
        Enrolment.objects.filter(offer_id=enrolment.offer_id, status=enrolment.status)
        .filter(ahead)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def enrolment_offer_place(
    *, actor, enrolment: Enrolment, now: datetime.datetime, skip_ahead: bool = False
) -> Enrolment:
    """Staff offer a place to a person they choose: an applicant (application offers) or
    someone on the waiting list (registration offers), while places are free. Choosing
    someone with others before them in the queue needs ``skip_ahead`` (staff confirm they
    pass them over); the audit row names those passed over."""
    enrolment = _lock_enrolment(enrolment)
    offer = enrolment.offer
    if enrolment.status not in (Status.APPLIED, Status.WAITING):
        raise ValidationError(
            _(
                "Bare søkere og de som står på ventelisten, kan få tilbud om plass. Denne "
                "påmeldingen har status «%(status)s»."
            )
            % {"status": enrolment.get_status_display()}
        )
    if offer.status != Offer.Status.PUBLISHED:
        raise ValidationError(_("Tilbudet er ikke publisert, så ingen kan få tilbud om plass."))
    if offer.capacity is not None:
        taken = Enrolment.objects.filter(offer=offer, status__in=TAKES_A_PLACE).count()
        if taken >= offer.capacity:
            raise ValidationError(_("Det er ingen ledige plasser på tilbudet."))
    ahead = queue_ahead(enrolment)
    if ahead and not skip_ahead:
        raise ValidationError(
            ngettext(
                "%(count)s person står foran i køen. Kryss av for at du vil hoppe over dem, "
                "og prøv igjen.",
                "%(count)s personer står foran i køen. Kryss av for at du vil hoppe over dem, "
                "og prøv igjen.",
                len(ahead),
            )
            % {"count": len(ahead)}
        )
    _make_offer(enrolment, actor=actor, now=now, chosen=True, skipped=ahead)
    return enrolment


@transaction.atomic
def enrolment_waiting_move(
    *, actor, enrolment: Enrolment, to: str, now: datetime.datetime
) -> Enrolment:
    """Staff move someone on a waiting list: one place "up" or "down", or to the "top"
    (a phone call, a sibling). The order is ``queued_at``: the moved entry takes the time of
    the one it passes (and that one moves a microsecond behind it)."""
    enrolment = _lock_enrolment(enrolment)
    if enrolment.status != Status.WAITING:
        raise ValidationError(_("Bare de som står på ventelisten, kan flyttes."))
    queue = list(
        Enrolment.objects.select_for_update(of=("self",))
        .filter(offer_id=enrolment.offer_id, status=Status.WAITING)
        .order_by("queued_at", "pk")
    )
    index = next(i for i, e in enumerate(queue) if e.pk == enrolment.pk)
    target = {"up": index - 1, "down": index + 1, "top": 0}.get(to)
    if target is None:
        raise ValidationError(_("Velg om plassen skal flyttes opp, ned eller øverst."))
    if not 0 <= target < len(queue) or target == index:
        raise ValidationError(_("Personen kan ikke flyttes dit."))
    before = enrolment.queued_at
    order = [e for e in queue if e.pk != enrolment.pk]
    order.insert(target, queue[index])
    # New times in the same order, a microsecond apart from the earliest: nobody else's
    # relative place changes.
    first = min(e.queued_at for e in queue)
    for position, entry in enumerate(order):
        entry.queued_at = first + datetime.timedelta(microseconds=position)
    Enrolment.objects.bulk_update(order, ["queued_at"])
    audit_record(
        actor=actor,
        action="enrolment.waiting_moved",
        obj=enrolment,
        at=now,
        changes={
            "offer": enrolment.offer_id,
            "to": to,
            "from_position": index + 1,
            "to_position": target + 1,
            "previous_queued_at": before.isoformat(),
        },
    )
    enrolment.refresh_from_db()
    return enrolment


@transaction.atomic
def enrolment_set_priority(
    *, actor, enrolment: Enrolment, priority: int, now: datetime.datetime
) -> Enrolment:
    """Staff rank an applicant: a higher priority is offered a place first."""
    enrolment = _lock_enrolment(enrolment)
    if enrolment.status != Status.APPLIED:
        raise ValidationError(_("Bare søkere kan prioriteres."))
    previous = enrolment.priority
    enrolment.priority = priority
    _save(
        enrolment,
        actor=actor,
        action="enrolment.priority_set",
        before=enrolment.status,
        now=now,
        priority_from=previous,
        priority=priority,
    )
    return enrolment


@transaction.atomic
def enrolment_accept(*, actor, enrolment: Enrolment, now: datetime.datetime) -> Enrolment:
    """The person (or their guardian) takes the place they were offered."""
    enrolment = _lock_enrolment(enrolment)
    if enrolment.status != Status.OFFERED:
        raise ValidationError(_("Det er ikke noe tilbud om plass å svare på her."))
    if enrolment.answer_by is not None and now > enrolment.answer_by:
        raise ValidationError(
            _("Svarfristen gikk ut %(when)s.") % {"when": _when(enrolment.answer_by)}
        )
    before = _move(enrolment, Status.ACTIVE)
    enrolment.start = _start_day(enrolment.offer, timezone.localdate(now))
    _save(
        enrolment,
        actor=actor,
        action="enrolment.accepted",
        before=before,
        now=now,
        start=_day(enrolment.start),
    )
    return enrolment


@transaction.atomic
def enrolment_decline(*, actor, enrolment: Enrolment, now: datetime.datetime) -> Enrolment:
    """The person says no to the place they were offered; it passes to the next in line."""
    enrolment = _lock_enrolment(enrolment)
    if enrolment.status != Status.OFFERED:
        raise ValidationError(_("Det er ikke noe tilbud om plass å svare på her."))
    before = _move(enrolment, Status.DECLINED)
    _save(enrolment, actor=actor, action="enrolment.declined", before=before, now=now)
    _offer_free_places(enrolment.offer, now=now)
    _pass_on_to_applicants(enrolment.offer, places=1, now=now)
    return enrolment


def _pass_on_to_applicants(offer: Offer, *, places: int, now: datetime.datetime) -> list:
    """On an application offer, a place said no to (or not answered) goes to the applicant
    with the highest priority (then the earliest), with an e-mail, while places are free.
    Staff still choose whom to offer the first places to. The caller holds the offer's lock."""
    if offer.join_mode != Offer.JoinMode.APPLICATION or offer.status != Offer.Status.PUBLISHED:
        return []
    if offer.capacity is not None:
        taken = Enrolment.objects.filter(offer=offer, status__in=TAKES_A_PLACE).count()
        places = min(places, offer.capacity - taken)
    if places <= 0:
        return []
    queue = list(
        Enrolment.objects.select_for_update(of=("self",))
        .filter(offer=offer, status=Status.APPLIED)
        .select_related("offer", "participant__user", "signed_up_by")
        .order_by("-priority", "queued_at", "pk")[:places]
    )
    for enrolment in queue:
        _make_offer(enrolment, actor=None, now=now)
    return queue


@transaction.atomic
def application_offer_top(
    *, actor, offer: Offer, count: int, before_deadline: bool, now: datetime.datetime
) -> list[Enrolment]:
    """Offer places to the ``count`` applicants with the highest priority (then the earliest),
    as many as there are free places. Before the application deadline only when staff say so
    (``before_deadline``): others may still apply."""
    offer = _lock_offer(offer)
    if offer.join_mode != Offer.JoinMode.APPLICATION:
        raise ValidationError(_("Bare tilbud med søknad har søkere å tilby plass."))
    if count < 1:
        raise ValidationError({"count": [_("Skriv hvor mange som skal få tilbud.")]})
    deadline = offer.application_deadline
    if deadline is not None and timezone.localdate(now) <= deadline and not before_deadline:
        raise ValidationError(
            _(
                "Søknadsfristen (%(date)s) har ikke gått ut, og flere kan søke. Kryss av for å "
                "tilby plass likevel."
            )
            % {"date": date_format(deadline, "DATE_FORMAT")}
        )
    if offer.capacity is not None:
        taken = Enrolment.objects.filter(offer=offer, status__in=TAKES_A_PLACE).count()
        count = min(count, offer.capacity - taken)
        if count <= 0:
            raise ValidationError(_("Det er ingen ledige plasser på tilbudet."))
    queue = list(
        Enrolment.objects.select_for_update(of=("self",))
        .filter(offer=offer, status=Status.APPLIED)
        .select_related("offer", "participant__user", "signed_up_by")
        .order_by("-priority", "queued_at", "pk")[:count]
    )
    for enrolment in queue:
        _make_offer(enrolment, actor=actor, now=now)
    return queue


@transaction.atomic
def application_round_close(*, actor, offer: Offer, message: str, now: datetime.datetime) -> int:
    """End an application round: every applicant not offered a place is told so, with the
    staff's message, and their application is closed (withdrawn). Returns how many."""
    offer = _lock_offer(offer)
    if offer.join_mode != Offer.JoinMode.APPLICATION:
        raise ValidationError(_("Bare tilbud med søknad har en søknadsrunde å avslutte."))
    message = message.strip()
    if not message:
        raise ValidationError({"message": [_("Skriv en melding til dem som ikke fikk plass.")]})
    rows = list(
        Enrolment.objects.select_for_update(of=("self",))
        .filter(offer=offer, status=Status.APPLIED)
        .select_related("offer", "participant__user", "signed_up_by")
    )
    for enrolment in rows:
        before = _move(enrolment, Status.WITHDRAWN)
        _save(
            enrolment,
            actor=actor,
            action="enrolment.application_declined",
            before=before,
            now=now,
            message=message,
        )
        _notify(
            enrolment,
            subject=_("Søknaden til %(offer)s") % {"offer": offer.title},
            template="enrolment/email/application_declined.txt",
            message=message,
        )
    audit_record(
        actor=actor,
        action="offer.application_round_closed",
        obj=offer,
        at=now,
        changes={"declined": len(rows)},
    )
    return len(rows)


def _for_each_offer(due, handle) -> int:
    """Run ``handle(offer, rows)`` for each offer with enrolments in ``due``; returns how many.

    For the cron services: one transaction per offer, so that a failure on one offer holds
    back no other, with the offer row locked (as every service that counts places does) and
    its due enrolments locked and read again inside it.
    """
    done = 0
    for offer_id in sorted(set(due.values_list("offer_id", flat=True))):
        with transaction.atomic():
            offer = Offer.objects.select_for_update().get(pk=offer_id)
            rows = list(
                due.filter(offer=offer)
                .select_for_update(of=("self",))
                .select_related("offer", "participant__user", "signed_up_by")
            )
            handle(offer, rows)
            done += len(rows)
    return done


def enrolment_offers_expire(*, now: datetime.datetime) -> int:
    """Mark offered places not answered by their deadline as EXPIRED and pass each place on.

    Run from cron (``manage.py expire_offers``); running it again changes nothing. One
    transaction per offer, so that a failure on one offer does not hold back the others.
    """

    def expire(offer, rows):
        for enrolment in rows:
            before = _move(enrolment, Status.EXPIRED)
            _save(
                enrolment,
                actor=None,
                action="enrolment.offer_expired",
                before=before,
                now=now,
                answer_by=enrolment.answer_by.isoformat(),
            )
            _notify(
                enrolment,
                subject=_("Svarfristen for %(offer)s har gått ut") % {"offer": offer.title},
                template="enrolment/email/offer_expired.txt",
                answer_by=_when(enrolment.answer_by),
            )
        _offer_free_places(offer, now=now)
        _pass_on_to_applicants(offer, places=len(rows), now=now)

    due = Enrolment.objects.filter(status=Status.OFFERED, answer_by__lt=now)
    return _for_each_offer(due, expire)


# --- Leave --------------------------------------------------------------------------------------


def _validate_end(enrolment, *, end_reason, dropout_reason, end, today) -> dict:
    errors: dict[str, list[str]] = {}
    if end_reason not in EndReason.values:
        errors["end_reason"] = [_("Velg hvorfor det ble slutt.")]
    elif end_reason == EndReason.DROPPED_OUT and dropout_reason not in DropoutReason.values:
        errors["dropout_reason"] = [_("Velg hvorfor deltakeren sluttet.")]
    if end < enrolment.start:
        errors["end"] = [
            _("Sluttdatoen kan ikke være før startdatoen %(date)s.")
            % {"date": date_format(enrolment.start, "DATE_FORMAT")}
        ]
    elif end > today:
        errors["end"] = [_("Sluttdatoen kan ikke være etter i dag.")]
    return errors


@transaction.atomic
def enrolment_leave(
    *,
    actor,
    enrolment: Enrolment,
    now: datetime.datetime,
    end_reason: str = "",
    dropout_reason: str = "",
    end: datetime.date | None = None,
) -> Enrolment:
    """End an enrolment with a reason, or withdraw one that has not started.

    ACTIVE → ENDED with ``end`` (default today; from the start day to today) and a reason
    (``dropped_out`` needs a dropout reason). APPLIED, WAITING, OFFERED, and ACTIVE before its
    first day → WITHDRAWN, no reason needed. A place that frees passes to the next in line.
    """
    enrolment = _lock_enrolment(enrolment)
    today = timezone.localdate(now)
    changes = {}
    if enrolment.status == Status.ACTIVE and enrolment.start <= today:
        end = end or today
        errors = _validate_end(
            enrolment, end_reason=end_reason, dropout_reason=dropout_reason, end=end, today=today
        )
        if errors:
            raise ValidationError(errors)
        before = _move(enrolment, Status.ENDED)
        enrolment.end = end
        enrolment.end_reason = end_reason
        enrolment.dropout_reason = dropout_reason if end_reason == EndReason.DROPPED_OUT else ""
        changes = {
            "end": _day(end),
            "end_reason": enrolment.end_reason,
            "dropout_reason": enrolment.dropout_reason,
        }
        action = "enrolment.ended"
    else:
        before = _move(
            enrolment,
            Status.WITHDRAWN,
            _("Påmeldingen er allerede avsluttet.")
            if enrolment.status not in Enrolment.OPEN_STATUSES
            else None,
        )
        if before == Status.ACTIVE:
            # The place had not begun: no period to count in the indicators.
            changes = {"start": None, "previous_start": _day(enrolment.start)}
            enrolment.start = None
        action = "enrolment.withdrawn"
    _save(enrolment, actor=actor, action=action, before=before, now=now, **changes)
    if before in TAKES_A_PLACE:
        _offer_free_places(enrolment.offer, now=now)
    return enrolment


# --- Imports: a file that disagrees with Ungkultur ---------------------------------------------


@transaction.atomic
def enrolment_import_conflict_resolve(
    *, actor, enrolment: Enrolment, use_file: bool, now: datetime.datetime
) -> Enrolment:
    """Staff choose between an end recorded in Ungkultur and what a later import file says.

    Keeping Ungkultur's record also takes the file's word as the last one imported, so the same
    file again changes nothing and asks nothing. Taking the file's word sets the end (or opens
    the place again) as the file says.
    """
    enrolment = _lock_enrolment(enrolment)
    wanted = enrolment.import_conflict
    if not enrolment.import_key or wanted is None:
        raise ValidationError(_("Det er ingen konflikt med importen å løse her."))
    end = datetime.date.fromisoformat(wanted["end"]) if wanted.get("end") else None
    end_reason = wanted.get("end_reason", "")
    before = enrolment.status
    changes = {"choice": "file" if use_file else "ungkultur", "file_end": wanted.get("end")}
    if use_file:
        if enrolment.start is None:
            raise ValidationError(
                _("Plassen ble trukket før den begynte, så filens sluttdato kan ikke brukes.")
            )
        other_open = Enrolment.objects.filter(
            offer_id=enrolment.offer_id,
            participant_id=enrolment.participant_id,
            status__in=Enrolment.OPEN_STATUSES,
        ).exclude(pk=enrolment.pk)
        if end is None and other_open.exists():
            raise ValidationError(
                _("Personen har en annen påmelding til tilbudet som ikke er avsluttet.")
            )
        if end is None:
            enrolment.status, enrolment.end, enrolment.end_reason = Status.ACTIVE, None, ""
        else:
            enrolment.status, enrolment.end, enrolment.end_reason = Status.ENDED, end, end_reason
        if enrolment.end_reason != EndReason.DROPPED_OUT:
            enrolment.dropout_reason = ""
        changes.update(end=_day(enrolment.end), end_reason=enrolment.end_reason)
    enrolment.imported_end, enrolment.imported_end_reason = end, end_reason
    enrolment.import_conflict = None
    try:
        with transaction.atomic():
            _save(
                enrolment,
                actor=actor,
                action="enrolment.import_conflict_resolved",
                before=before,
                now=now,
                **changes,
            )
    except IntegrityError as error:
        raise ValidationError(
            _("Personen har en annen påmelding til tilbudet som ikke er avsluttet.")
        ) from error
    return enrolment


@transaction.atomic
def offer_ref_link(*, actor, offer: Offer, ref: str, now: datetime.datetime) -> int:
    """Tie the other system's reference ``ref`` to an offer of the same unit, so that imports
    find it; returns how many imported enrolments moved to it.

    If an import already made a draft under that reference (a second "Ballett"), the draft's
    imported enrolments move to ``offer`` and the emptied draft is deleted. A reference tied to
    a published offer, or to one with enrolments made in Ungkultur, is not moved.
    """
    ref = ref.strip()
    if not ref:
        raise ValidationError({"ref": [_("Skriv referansen tilbudet har i fagsystemet.")]})
    offer = _lock_offer(offer)
    existing = OfferRef.objects.select_for_update().filter(unit_id=offer.unit_id, ref=ref).first()
    moved = 0
    previous = None
    if existing is not None:
        if existing.offer_id == offer.pk:
            raise ValidationError(
                {"ref": [_("«%(ref)s» er allerede koblet til dette tilbudet.") % {"ref": ref}]}
            )
        old = _lock_offer(existing.offer)
        previous = old.pk
        own = Enrolment.objects.filter(offer=old, import_key="")
        if old.status != Offer.Status.DRAFT or own.exists():
            raise ValidationError(
                {
                    "ref": [
                        _(
                            "«%(ref)s» er koblet til «%(title)s», som er publisert eller har "
                            "påmeldinger gjort i Ungkultur. Den kan ikke flyttes."
                        )
                        % {"ref": ref, "title": old.title}
                    ]
                }
            )
        try:
            with transaction.atomic():
                moved = Enrolment.objects.filter(offer=old).update(offer=offer)
                existing.offer = offer
                existing.save(update_fields=["offer"])
        except IntegrityError as error:
            raise ValidationError(
                {
                    "ref": [
                        _(
                            "Noen i «%(title)s» har allerede en påmelding til dette tilbudet "
                            "som ikke er avsluttet, så de kan ikke flyttes."
                        )
                        % {"title": old.title}
                    ]
                }
            ) from error
        if not OfferRef.objects.filter(offer=old).exists():
            try:
                with transaction.atomic():
                    audit_record(
                        actor=actor,
                        action="offer.deleted",
                        obj=old,
                        at=now,
                        changes={"title": old.title, "merged_into": offer.pk},
                    )
                    old.delete()
            except ProtectedError:
                # Something else refers to the draft: it stays, empty, for staff to remove.
                logger.info("Emptied draft offer %s kept: still referred to", old.pk)
    else:
        OfferRef.objects.create(unit_id=offer.unit_id, ref=ref, offer=offer)
    audit_record(
        actor=actor,
        action="offer_ref.linked",
        obj=offer,
        at=now,
        changes={"ref": ref, "previous_offer": previous, "enrolments_moved": moved},
    )
    catalogue_changed(offer.municipality_id)
    return moved


def import_columns_save(*, actor, unit, columns: dict[str, str]) -> None:
    """Remember how a unit's files name their columns (``ImportColumns``)."""
    now = timezone.now()
    ImportColumns.objects.update_or_create(
        unit=unit, defaults={"columns": columns, "updated_at": now}
    )
    audit_record(actor=actor, action="import_columns.saved", obj=unit, at=now, changes=columns)


# --- Re-registration (kulturskole) --------------------------------------------------------------


@transaction.atomic
def enrolment_reregistration_open(
    *, actor, offer: Offer, deadline: datetime.date, now: datetime.datetime
) -> int:
    """Ask everyone active on the offer to register again by ``deadline``; returns how many.

    Those who do not answer are withdrawn the day after (``enrolment_reregistration_close``).
    Enrolments that came from an import are never asked: their pupils have no account here
    and could not answer, and the other system keeps their places. Nor is someone staff added
    by hand without an account (they could not answer either): they keep their place until
    staff end it.
    """
    offer = _lock_offer(offer)
    if offer.join_mode == Offer.JoinMode.DROP_IN:
        raise ValidationError(_("Tilbud der man bare møter opp har ingen påmelding."))
    if deadline <= timezone.localdate(now):
        raise ValidationError({"deadline": [_("Fristen må være etter i dag.")]})
    rows = list(
        Enrolment.objects.select_for_update(of=("self",))
        .filter(offer=offer, status=Status.ACTIVE, start__lte=deadline, import_key="")
        .filter(participant__user__isnull=False)
        .select_related("offer", "participant__user", "signed_up_by")
    )
    for enrolment in rows:
        previous = enrolment.reregistration_deadline
        enrolment.reregistration_deadline = deadline
        enrolment.reregistered_at = None
        enrolment.reminded_at = None
        _save(
            enrolment,
            actor=actor,
            action="enrolment.reregistration_opened",
            before=enrolment.status,
            now=now,
            deadline=deadline.isoformat(),
            previous_deadline=_day(previous),
        )
        _notify(
            enrolment,
            subject=_("Ny påmelding til %(offer)s") % {"offer": offer.title},
            template="enrolment/email/reregistration_opened.txt",
            deadline=date_format(deadline, "DATE_FORMAT"),
        )
    return len(rows)


@transaction.atomic
def enrolment_reregister(*, actor, enrolment: Enrolment, now: datetime.datetime) -> Enrolment:
    """The pupil (or guardian) confirms they go on next year."""
    enrolment = _lock_enrolment(enrolment)
    if enrolment.status != Status.ACTIVE or enrolment.reregistration_deadline is None:
        raise ValidationError(_("Det er ingen ny påmelding å svare på her."))
    if enrolment.reregistered_at is not None:
        raise ValidationError(_("Du har allerede meldt deg på igjen."))
    if timezone.localdate(now) > enrolment.reregistration_deadline:
        raise ValidationError(
            _("Fristen for å melde seg på igjen gikk ut %(date)s.")
            % {"date": date_format(enrolment.reregistration_deadline, "DATE_FORMAT")}
        )
    enrolment.reregistered_at = now
    _save(
        enrolment,
        actor=actor,
        action="enrolment.reregistered",
        before=enrolment.status,
        now=now,
        deadline=enrolment.reregistration_deadline.isoformat(),
    )
    return enrolment


def enrolment_reregistration_close(*, now: datetime.datetime) -> int:
    """From the day after the deadline, end every active place that was not re-registered.

    As kulturskoler do, a pupil who does not answer is withdrawn ("meldes automatisk ut"):
    end = the deadline, reason ``unknown``. The figures read such an ending as one the platform
    made (``ended_by_platform``), never as dropout (docs/indicators.md).
    Run from cron (``manage.py close_reregistration``); running it again changes nothing.
    """
    today = timezone.localdate(now)
    # Silence means withdrawal only for those who could answer: never an imported enrolment.
    due = Enrolment.objects.filter(
        status=Status.ACTIVE,
        reregistration_deadline__lt=today,
        reregistered_at__isnull=True,
        import_key="",
    )

    def withdraw(offer, rows):
        for enrolment in rows:
            before = _move(enrolment, Status.ENDED)
            enrolment.end = max(enrolment.reregistration_deadline, enrolment.start)
            enrolment.end_reason = EndReason.UNKNOWN
            _save(
                enrolment,
                actor=None,
                action="enrolment.not_reregistered",
                before=before,
                now=now,
                end=_day(enrolment.end),
                end_reason=EndReason.UNKNOWN,
            )
            _notify(
                enrolment,
                subject=_("Meldt ut av %(offer)s") % {"offer": offer.title},
                template="enrolment/email/reregistration_closed.txt",
                deadline=date_format(enrolment.reregistration_deadline, "DATE_FORMAT"),
            )
        _offer_free_places(offer, now=now)

    return _for_each_offer(due, withdraw)


# --- Deadline reminders -----------------------------------------------------------------------

# An offered place is reminded of once less than this is left to answer.
OFFER_REMINDER_BEFORE = datetime.timedelta(hours=24)
# Re-registration is reminded of on the last days before the deadline, counting the deadline
# day itself (3: two days before, the day before and the day).
REREGISTRATION_REMINDER_DAYS = 3


def _due_for_reminder(*, now: datetime.datetime):
    today = timezone.localdate(now)
    last_day = today + datetime.timedelta(days=REREGISTRATION_REMINDER_DAYS - 1)
    return Enrolment.objects.filter(reminded_at__isnull=True).filter(
        Q(status=Status.OFFERED, answer_by__gt=now, answer_by__lt=now + OFFER_REMINDER_BEFORE)
        | Q(
            status=Status.ACTIVE,
            reregistered_at__isnull=True,
            reregistration_deadline__range=(today, last_day),
            import_key="",
        )
    )


def _remind(enrolment: Enrolment) -> None:
    title = enrolment.offer.title
    if enrolment.status == Status.OFFERED:
        _notify(
            enrolment,
            subject=_("Påminnelse: svar på tilbudet om plass på %(offer)s") % {"offer": title},
            template="enrolment/email/answer_reminder.txt",
            answer_by=_when(enrolment.answer_by),
        )
    else:
        _notify(
            enrolment,
            subject=_("Påminnelse: ny påmelding til %(offer)s") % {"offer": title},
            template="enrolment/email/reregistration_reminder.txt",
            deadline=date_format(enrolment.reregistration_deadline, "DATE_FORMAT"),
        )


def enrolment_reminders_send(*, now: datetime.datetime) -> int:
    """E-mail a reminder to everyone whose deadline is near and who has not answered.

    An offered place: less than 24 hours left to answer. Re-registration: the deadline is one
    of the next three days (today included) and the pupil has not re-registered. Each deadline
    is reminded of once (``reminded_at``); returns how many enrolments were reminded. Run
    hourly from cron (``manage.py send_reminders``). One transaction per offer, locked like
    the other services, so that a reminder never goes out for an answer given meanwhile.
    """

    def remind(offer, rows):
        for enrolment in rows:
            _remind(enrolment)
        Enrolment.objects.filter(pk__in=[row.pk for row in rows]).update(reminded_at=now)

    reminded = _for_each_offer(_due_for_reminder(now=now), remind)
    logger.info("Deadline reminders sent for %s enrolment(s).", reminded)
    return reminded


# --- Attendance ---------------------------------------------------------------------------------


def attendance_open_reason(session: Session, *, now: datetime.datetime) -> str | None:
    """Why attendance cannot be recorded for a session now, or None when it can."""
    if session.cancelled_at is not None:
        return _("Samlingen er avlyst.")
    if session.starts_at > now:
        return _("Samlingen har ikke begynt ennå. Oppmøte kan registreres fra %(when)s.") % {
            "when": _when(session.starts_at)
        }
    return None


@transaction.atomic
def attendance_record(
    *, actor, session: Session, present_ids, excused_ids=(), now: datetime.datetime
) -> list[Attendance]:
    """Record who was at a session: those in ``present_ids`` present, those in ``excused_ids``
    absent with a valid reason (gyldig fravær), the rest of the roster absent without one
    (ugyldig fravær). Refused for a cancelled session and one that has not begun. Rows are
    upserted; only those that change are written."""
    closed = attendance_open_reason(session, now=now)
    if closed:
        raise ValidationError(closed)
    roster = {row.enrolment.pk: row for row in session_roster(session)}
    present_ids = {int(pk) for pk in present_ids}
    excused_ids = {int(pk) for pk in excused_ids}
    unknown = (present_ids | excused_ids) - set(roster)
    if unknown:
        raise ValidationError(_("Noen av dem du krysset av, er ikke med på tilbudet denne dagen."))
    both = present_ids & excused_ids
    if both:
        raise ValidationError(
            _("%(name)s kan ikke både være til stede og ha gyldig fravær.")
            % {"name": _roster_name(roster[min(both)].enrolment)}
        )

    def state(pk):
        if pk in present_ids:
            return (True, False)
        return (False, pk in excused_ids)

    changed = [
        Attendance(
            session=session,
            enrolment_id=pk,
            present=state(pk)[0],
            excused=state(pk)[1],
            recorded_by=actor,
            recorded_at=now,
        )
        for pk, row in roster.items()
        if not row.recorded or (row.present, row.excused) != state(pk)
    ]
    if changed:
        Attendance.objects.bulk_create(
            changed,
            update_conflicts=True,
            unique_fields=["session", "enrolment"],
            update_fields=["present", "excused", "recorded_by", "recorded_at"],
        )
        audit_record(
            actor=actor,
            action="attendance.recorded",
            obj=session,
            at=now,
            changes={
                "present": sorted(a.enrolment_id for a in changed if a.present),
                "absent": sorted(a.enrolment_id for a in changed if not a.present),
                "excused": sorted(a.enrolment_id for a in changed if a.excused),
            },
        )
    return changed


def _roster_name(enrolment: Enrolment) -> str:
    """A name staff recognise: the person's name, or the import code."""
    participant = enrolment.participant
    if participant.user_id:
        return participant.user.full_name
    return str(participant)


# --- Cancelling ---------------------------------------------------------------------------------


@dataclass
class NoticeReach:
    """Who a notice about an offer reaches: ``addresses`` e-mails go out, to ``reached`` of the
    ``total`` people; ``unreached`` have no address here (``imported`` of them came from an
    import and are known only by a code), and staff must tell them another way."""

    total: int = 0
    reached: int = 0
    addresses: int = 0
    unreached: int = 0
    imported: int = 0


def notice_reach(enrolments) -> NoticeReach:
    reach = NoticeReach()
    addresses: set[str] = set()
    for enrolment in enrolments:
        reach.total += 1
        found = recipients(enrolment)
        if found:
            reach.reached += 1
            addresses.update(found)
        else:
            reach.unreached += 1
            reach.imported += bool(enrolment.import_key)
    reach.addresses = len(addresses)
    return reach


def _notify_each_once(enrolments, *, subject: str, template: str, context: dict) -> int:
    """One e-mail to each address among the enrolments (a guardian of two gets one)."""
    addresses: list[str] = []
    for enrolment in enrolments:
        addresses.extend(a for a in recipients(enrolment) if a not in addresses)
    _send_later(addresses=addresses, subject=subject, template=template, context=context)
    return len(addresses)


@transaction.atomic
def session_cancel(*, actor, session: Session, reason: str, now: datetime.datetime) -> Session:
    """Cancel one session and tell everyone with a place (or a place offered) on the offer."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    offer = Offer.objects.get(pk=session.offer_id)
    if session.cancelled_at is not None:
        raise ValidationError(_("Samlingen er allerede avlyst."))
    if session.starts_at <= now:
        raise ValidationError(_("Samlingen har allerede begynt, og kan ikke avlyses."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Skriv hvorfor samlingen er avlyst.")]})
    session.cancelled_at = now
    session.cancel_reason = reason
    session.full_clean()
    session.save(update_fields=["cancelled_at", "cancel_reason"])
    audit_record(
        actor=actor,
        action="session.cancelled",
        obj=session,
        at=now,
        changes={"offer": offer.pk, "starts_at": session.starts_at.isoformat(), "reason": reason},
    )
    _notify_each_once(
        list(notice_enrolments(offer)),
        subject=_("Avlyst: %(offer)s %(when)s")
        % {"offer": offer.title, "when": _when(session.starts_at)},
        template="enrolment/email/session_cancelled.txt",
        context={"offer": offer, "session": session, "when": _when(session.starts_at)},
    )
    catalogue_changed(session.offer.municipality_id)
    return session


@transaction.atomic
def offer_cancel(*, actor, offer: Offer, reason: str, now: datetime.datetime) -> Offer:
    """Cancel a whole offer: its coming sessions, and every open enrolment, with notices.

    Applications, waiting and offered places are withdrawn. A place that has begun ends today
    with the reason ``completed``: the person did not drop out, the offer stopped, and the
    indicators must not count it as dropout. A place not yet begun is withdrawn.
    """
    offer = _lock_offer(offer)
    if offer.status == Offer.Status.CANCELLED:
        raise ValidationError(_("Tilbudet er allerede avlyst."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Skriv hvorfor tilbudet er avlyst.")]})
    today = timezone.localdate(now)
    offer.status = Offer.Status.CANCELLED
    offer.save(update_fields=["status", "updated_at"])
    sessions = Session.objects.filter(offer=offer, starts_at__gt=now, cancelled_at__isnull=True)
    cancelled_sessions = sessions.update(cancelled_at=now, cancel_reason=reason[:300])
    audit_record(
        actor=actor,
        action="offer.cancelled",
        obj=offer,
        at=now,
        changes={"reason": reason, "sessions_cancelled": cancelled_sessions},
    )
    rows = list(
        Enrolment.objects.select_for_update(of=("self",))
        .filter(offer=offer, status__in=Enrolment.OPEN_STATUSES)
        .select_related("offer", "participant__user", "signed_up_by")
    )
    for enrolment in rows:
        if enrolment.status == Status.ACTIVE and enrolment.start <= today:
            before = _move(enrolment, Status.ENDED)
            enrolment.end = today
            enrolment.end_reason = EndReason.COMPLETED
            changes = {"end": _day(today), "end_reason": EndReason.COMPLETED}
        else:
            before = _move(enrolment, Status.WITHDRAWN)
            changes = {}
            if before == Status.ACTIVE:
                changes = {"start": None, "previous_start": _day(enrolment.start)}
                enrolment.start = None
        _save(
            enrolment,
            actor=actor,
            action="enrolment.offer_cancelled",
            before=before,
            now=now,
            **changes,
        )
    _notify_each_once(
        rows,
        subject=_("Avlyst: %(offer)s") % {"offer": offer.title},
        template="enrolment/email/offer_cancelled.txt",
        context={"offer": offer, "reason": reason},
    )
    catalogue_changed(offer.municipality_id)
    return offer


# --- Personal calendar link ---------------------------------------------------------------------


@transaction.atomic
def calendar_feed_create(*, user, now: datetime.datetime) -> tuple[CalendarFeed, str]:
    """A new private calendar link; any earlier one stops working. Returns the feed and the
    raw token, which is shown once and never stored."""
    CalendarFeed.objects.select_for_update().filter(user=user, revoked_at__isnull=True).update(
        revoked_at=now
    )
    raw = token_new()
    feed = CalendarFeed(user=user, token_hash=token_hash(raw), created_at=now)
    feed.full_clean()
    feed.save()
    audit_record(actor=user, action="calendar_feed.created", obj=feed, at=now)
    return feed, raw


@transaction.atomic
def calendar_feed_revoke(*, user, now: datetime.datetime) -> int:
    feeds = list(
        CalendarFeed.objects.select_for_update().filter(user=user, revoked_at__isnull=True)
    )
    for feed in feeds:
        feed.revoked_at = now
        feed.save(update_fields=["revoked_at"])
        audit_record(actor=user, action="calendar_feed.revoked", obj=feed, at=now)
    return len(feeds)
