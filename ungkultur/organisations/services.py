import datetime
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ungkultur.core.services import audit_record
from ungkultur.core.tasks import send_email
from ungkultur.organisations.models import Group, Membership, Unit
from ungkultur.organisations.selectors import LEADER_ROLES

# Youth members are 13–19 (docs/architecture.md); age counts as the start year minus the birth year.
YOUTH_MEMBER_MIN_AGE = 13
YOUTH_MEMBER_MAX_AGE = 19


def _overlaps(membership: Membership, start: datetime.date, end: datetime.date | None) -> bool:
    """Whether [membership.start, membership.end) and [start, end) share a day."""
    starts_before_end = end is None or membership.start < end
    ends_after_start = membership.end is None or membership.end > start
    return starts_before_end and ends_after_start


def _most_members_during(
    memberships: list[Membership], start: datetime.date, end: datetime.date | None
) -> int:
    """The largest number of the given memberships active on any day of [start, end).

    The count can only rise on a day someone starts, so those days are the only ones to check.
    """
    days = {start} | {
        m.start for m in memberships if m.start > start and (end is None or m.start < end)
    }
    return max(
        sum(1 for m in memberships if m.start <= day and (m.end is None or m.end > day))
        for day in days
    )


def _validate_new_membership(
    *,
    group: Group,
    user,
    role: str,
    start: datetime.date,
    end: datetime.date | None,
    existing: list[Membership],
) -> None:
    errors: dict[str, list[str]] = {}
    if end is not None and end <= start:
        errors.setdefault("end", []).append(_("Sluttdatoen må være etter startdatoen."))
    if not user.is_active:
        errors.setdefault("user", []).append(_("Brukeren er deaktivert."))
    if any(m.user_id == user.pk and _overlaps(m, start, end) for m in existing):
        errors.setdefault("user", []).append(
            _("Personen er allerede medlem av gruppen i denne perioden.")
        )
    if group.kind == Group.Kind.YOUTH_RESOURCE_GROUP and role != Membership.Role.YOUTH_MEMBER:
        errors.setdefault("role", []).append(_("Ressursgruppen ungdom har bare ungdomsmedlemmer."))
    if role == Membership.Role.YOUTH_MEMBER:
        age = user.age_in(start.year)
        if age is None:
            errors.setdefault("user", []).append(
                _("Personen har ikke oppgitt fødselsår. Ungdomsmedlemmer må være 13–19 år.")
            )
        elif not YOUTH_MEMBER_MIN_AGE <= age <= YOUTH_MEMBER_MAX_AGE:
            errors.setdefault("user", []).append(_("Ungdomsmedlemmer må være mellom 13 og 19 år."))
        if group.municipality_id is not None and user.municipality_id != group.municipality_id:
            errors.setdefault("user", []).append(
                _("Ungdomsmedlemmer må bo i %(municipality)s.")
                % {"municipality": group.municipality.name}
            )
    if group.seats is not None and not errors:
        others = [m for m in existing if _overlaps(m, start, end)]
        if others and _most_members_during(others, start, end) >= group.seats:
            errors.setdefault("__all__", []).append(
                _("Ressursgruppen har ingen ledige plasser")
                if group.kind == Group.Kind.YOUTH_RESOURCE_GROUP
                else _("Gruppen har ingen ledige plasser")
            )
    if errors:
        raise ValidationError(errors)


def _notify_new_member(membership: Membership) -> None:
    url = settings.SITE_URL + reverse("organisations:group_detail", args=[membership.group_id])
    subject = _("Du er med i %(group)s") % {"group": membership.group.name}
    body = _(
        "Hei, %(name)s!\n\nDu er lagt til i %(group)s som %(role)s fra %(start)s.\n\n"
        "Se gruppen her: %(url)s\n"
    ) % {
        "name": membership.user.public_name,
        "group": membership.group.name,
        "role": membership.get_role_display(),
        "start": date_format(membership.start, "DATE_FORMAT"),
        "url": url,
    }
    transaction.on_commit(
        partial(send_email.enqueue, subject=subject, body=body, to=[membership.user.email])
    )


def refuse_self_grant(*, actor, user) -> None:
    """Nobody grants themself a role or a membership (docs/privacy.md: least privilege).

    ``actor`` None is the platform itself (a seed, an import), never a person choosing.
    """
    if actor is not None and user is not None and actor.pk == user.pk:
        raise PermissionDenied(
            _(
                "Du kan ikke gi deg selv en rolle eller et medlemskap. "
                "Be en annen med tilgang om å gjøre det."
            )
        )


def _notify_project_leaders(membership: Membership, *, actor, ended: bool) -> None:
    """Tell the municipality's project leaders who was given or lost a seat, and by whom, so
    that a grant nobody asked for is seen. Not the one who did it, nor the member (they get
    their own e-mail)."""
    group = membership.group
    if group.municipality_id is None:
        return
    leaders = list(
        Membership.objects.active_on(timezone.localdate())
        .filter(
            role__in=LEADER_ROLES,
            group__kind=Group.Kind.LOCAL_PROJECT_GROUP,
            group__municipality_id=group.municipality_id,
        )
        .exclude(user_id__in=[pk for pk in (membership.user_id, getattr(actor, "pk", None)) if pk])
        .values_list("user__email", flat=True)
        .distinct()
    )
    if not leaders:
        return
    values = {
        "name": membership.user.full_name,
        "group": group.name,
        "role": membership.get_role_display(),
        "actor": actor.full_name if actor is not None else _("Ungkultur"),
        "start": date_format(membership.start, "DATE_FORMAT"),
        "end": date_format(membership.end, "DATE_FORMAT") if membership.end else "",
        "url": settings.SITE_URL + reverse("organisations:group_detail", args=[group.pk]),
    }
    if ended:
        subject = _("Medlemskap avsluttet i %(group)s") % values
        body = (
            _(
                "%(actor)s har avsluttet medlemskapet til %(name)s (%(role)s) i %(group)s "
                "fra %(end)s.\n\nSe gruppen her: %(url)s\n"
            )
            % values
        )
    else:
        subject = _("Nytt medlem i %(group)s") % values
        body = (
            _(
                "%(actor)s har gitt %(name)s rollen %(role)s i %(group)s fra %(start)s.\n\n"
                "Kjenner du ikke til dette, kan du avslutte medlemskapet her: %(url)s\n"
            )
            % values
        )
    for email in leaders:
        transaction.on_commit(partial(send_email.enqueue, subject=subject, body=body, to=[email]))


def _period(membership: Membership) -> dict:
    return {
        "start": membership.start.isoformat(),
        "end": membership.end.isoformat() if membership.end else None,
    }


@transaction.atomic
def membership_create(
    *,
    actor,
    group: Group,
    user,
    role: str,
    start: datetime.date,
    end: datetime.date | None = None,
) -> Membership:
    """Give a person a seat in a group for [start, end), and tell them by e-mail.

    Raises ValidationError (keyed by ``end``, ``user``, ``role`` or ``__all__``) when the period is
    backwards, overlaps the person's own membership, breaks the youth rules or fills the seats.
    Raises PermissionDenied when ``actor`` would give the seat to themself.
    """
    refuse_self_grant(actor=actor, user=user)
    # Lock the group so that two coordinators cannot fill the last seat at the same time.
    group = (
        Group.objects.select_for_update(of=("self",))
        .select_related("municipality")
        .get(pk=group.pk)
    )
    existing = list(Membership.objects.filter(group=group))
    _validate_new_membership(
        group=group, user=user, role=role, start=start, end=end, existing=existing
    )
    membership = Membership(group=group, user=user, role=role, start=start, end=end)
    membership.full_clean()
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as error:
        raise ValidationError(
            {"user": _("Personen er allerede medlem av gruppen fra denne datoen.")}
        ) from error
    audit_record(
        actor=actor,
        action="membership.created",
        obj=membership,
        changes={
            "role": role,
            "group": group.pk,
            "group_name": group.name,
            "user": user.pk,
            **_period(membership),
        },
    )
    _notify_new_member(membership)
    _notify_project_leaders(membership, actor=actor, ended=False)
    return membership


@transaction.atomic
def membership_end(*, actor, membership: Membership, end: datetime.date) -> Membership:
    """End a membership: from ``end`` on the person is no longer a member ([start, end))."""
    membership = (
        Membership.objects.select_for_update().select_related("group", "user").get(pk=membership.pk)
    )
    if end <= membership.start:
        raise ValidationError(
            {
                "end": _("Sluttdatoen må være etter startdatoen %(start)s.")
                % {"start": date_format(membership.start, "DATE_FORMAT")}
            }
        )
    if membership.end is not None and membership.end <= end:
        raise ValidationError(
            {
                "end": _("Medlemskapet slutter allerede %(end)s.")
                % {"end": date_format(membership.end, "DATE_FORMAT")}
            }
        )
    previous_end = membership.end
    membership.end = end
    membership.full_clean()
    membership.save(update_fields=["end"])
    audit_record(
        actor=actor,
        action="membership.ended",
        obj=membership,
        changes={
            "role": membership.role,
            "group": membership.group_id,
            "group_name": membership.group.name,
            "user": membership.user_id,
            "previous_end": previous_end.isoformat() if previous_end else None,
            **_period(membership),
        },
    )
    _notify_project_leaders(membership, actor=actor, ended=True)
    return membership


# --- Units ---------------------------------------------------------------------------------------

UNIT_FIELDS = (
    "kind",
    "name",
    "organisation",
    "description",
    "website",
    "email",
    "contact_name",
    "phone",
)


def _unit_save(unit: Unit, *, actor, action: str, changes: dict, now) -> Unit:
    # Compared here with Python's casefold, since SQLite lower-cases only ASCII (Ø and ø would
    # pass its constraint) and the constraint's own message would name the constraint.
    others = (
        Unit.objects.filter(municipality_id=unit.municipality_id)
        .exclude(pk=unit.pk)
        .values_list("name", flat=True)
    )
    if unit.name.strip().casefold() in {name.strip().casefold() for name in others}:
        raise ValidationError({"name": _unit_name_taken()})
    unit.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            unit.save()
    except IntegrityError as error:
        # Two saves of the same name at once: the database's constraint is the last word.
        raise ValidationError({"name": _unit_name_taken()}) from error
    audit_record(actor=actor, action=action, obj=unit, changes=changes, at=now)
    return unit


def _unit_name_taken():
    return _("Kommunen har allerede en enhet med dette navnet.")


def _unit_change(value):
    return value.pk if hasattr(value, "pk") else value


@transaction.atomic
def unit_create(*, actor, municipality, now: datetime.datetime, **fields) -> Unit:
    """A new unit (kulturskole, youth club, UKM or partner) of the municipality, audited."""
    unit = Unit(municipality=municipality, **{f: fields[f] for f in UNIT_FIELDS if f in fields})
    changes = {f: _unit_change(getattr(unit, f)) for f in UNIT_FIELDS}
    return _unit_save(unit, actor=actor, action="unit.created", changes=changes, now=now)


@transaction.atomic
def unit_update(*, actor, unit: Unit, now: datetime.datetime, **fields) -> Unit:
    """Change a unit's kind, name, organisation or contact details; audits what changed."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    changes = {}
    for name in UNIT_FIELDS:
        if name in fields and getattr(unit, name) != fields[name]:
            changes[name] = [_unit_change(getattr(unit, name)), _unit_change(fields[name])]
            setattr(unit, name, fields[name])
    if not changes:
        return unit
    return _unit_save(unit, actor=actor, action="unit.updated", changes=changes, now=now)


@transaction.atomic
def unit_close(*, actor, unit: Unit, closed_on: datetime.date, now: datetime.datetime) -> Unit:
    """Close a unit from a day on: it keeps its history but is no longer listed."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.closed_on is not None:
        raise ValidationError(
            _("Enheten ble lagt ned %(day)s.") % {"day": date_format(unit.closed_on, "DATE_FORMAT")}
        )
    unit.closed_on = closed_on
    return _unit_save(
        unit,
        actor=actor,
        action="unit.closed",
        changes={"closed_on": closed_on.isoformat()},
        now=now,
    )


@transaction.atomic
def unit_reopen(*, actor, unit: Unit, now: datetime.datetime) -> Unit:
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.closed_on is None:
        return unit
    before, unit.closed_on = unit.closed_on, None
    return _unit_save(
        unit,
        actor=actor,
        action="unit.reopened",
        changes={"closed_on": [before.isoformat(), None]},
        now=now,
    )
