"""Staff of a unit with a role and a term: given (through an accepted invitation) and ended.

Who may give which role (docs/privacy.md, "a teacher is not a rector"): the municipality's project
leader and national administrators give every role; a unit's leader (UnitStaff.LEADER_ROLES) gives
the other roles in their own unit; teachers and youth workers give none. Nobody gives themself a
role (refuse_self_grant).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ungkultur.core.services import audit_record
from ungkultur.organisations.models import Unit, UnitStaff
from ungkultur.organisations.selectors import roles_for
from ungkultur.organisations.services import refuse_self_grant


def unit_roles_for(actor, unit: Unit) -> list[str]:
    """The unit roles ``actor`` may give in ``unit`` (empty: none)."""
    roles = roles_for(actor)
    if roles.is_admin or unit.municipality_id in roles.leader_municipalities:
        return list(UnitStaff.Role.values)
    if unit.pk in roles.led_unit_ids:
        return [role for role in UnitStaff.Role.values if role not in UnitStaff.LEADER_ROLES]
    return []


def check_may_give_unit_role(*, actor, unit: Unit, role: str) -> None:
    """PermissionDenied unless ``actor`` may give ``role`` in ``unit``. ``actor`` None is the
    platform itself (a seed)."""
    if actor is not None and role not in unit_roles_for(actor, unit):
        raise PermissionDenied(
            _("Du kan ikke gi rollen %(role)s i %(unit)s.")
            % {"role": UnitStaff.Role(role).label, "unit": unit.name}
        )


def _period(staff: UnitStaff) -> dict:
    return {
        "start": staff.start.isoformat(),
        "end": staff.end.isoformat() if staff.end else None,
    }


@transaction.atomic
def unit_staff_create(
    *, actor, unit: Unit, user, role: str, start: datetime.date, granted_by=None
) -> UnitStaff:
    """Give ``user`` the role ``role`` in ``unit`` from ``start``.

    ``actor`` is who acts now (the person accepting an invitation, or the one giving the role);
    ``granted_by`` who decided it (the inviter), checked for the right to give the role and
    never the person themself. Raises ValidationError (key ``user``) when the person already
    has a role in the unit then or the unit is closed.
    """
    grantor = granted_by if granted_by is not None else actor
    refuse_self_grant(actor=grantor, user=user)
    check_may_give_unit_role(actor=grantor, unit=unit, role=role)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.closed_on is not None and unit.closed_on <= start:
        raise ValidationError({"user": _("Enheten er lagt ned.")})
    if not user.is_active:
        raise ValidationError({"user": _("Brukeren er deaktivert.")})
    if UnitStaff.objects.active_on(start).filter(unit=unit, user=user).exists():
        raise ValidationError(
            {"user": _("Personen har allerede en rolle i %(unit)s.") % {"unit": unit.name}}
        )
    staff = UnitStaff(unit=unit, user=user, role=role, start=start)
    staff.full_clean()
    try:
        with transaction.atomic():
            staff.save()
    except IntegrityError as error:
        raise ValidationError(
            {"user": _("Personen har allerede en rolle i enheten fra denne datoen.")}
        ) from error
    audit_record(
        actor=actor,
        action="unitstaff.created",
        obj=staff,
        changes={
            "role": role,
            "unit": unit.pk,
            "unit_name": unit.name,
            "user": user.pk,
            "granted_by": getattr(grantor, "pk", None),
            **_period(staff),
        },
    )
    return staff


@transaction.atomic
def unit_staff_end(*, actor, staff: UnitStaff, end: datetime.date) -> UnitStaff:
    """End a unit role: from ``end`` on the person no longer has it ([start, end)).

    PermissionDenied when ``actor`` may not give that role in the unit, or ends their own role
    (a leader who leaves is ended by the project leader, so the unit is never left unseen).
    """
    staff = UnitStaff.objects.select_for_update().select_related("unit", "user").get(pk=staff.pk)
    if actor is not None and actor.pk == staff.user_id:
        raise PermissionDenied(
            _("Du kan ikke avslutte din egen rolle. Be prosjektlederen om å gjøre det.")
        )
    check_may_give_unit_role(actor=actor, unit=staff.unit, role=staff.role)
    if end <= staff.start:
        raise ValidationError(
            {
                "end": _("Sluttdatoen må være etter startdatoen %(start)s.")
                % {"start": date_format(staff.start, "DATE_FORMAT")}
            }
        )
    if staff.end is not None and staff.end <= end:
        raise ValidationError(
            {
                "end": _("Rollen slutter allerede %(end)s.")
                % {"end": date_format(staff.end, "DATE_FORMAT")}
            }
        )
    previous_end = staff.end
    staff.end = end
    staff.full_clean()
    staff.save(update_fields=["end"])
    audit_record(
        actor=actor,
        action="unitstaff.ended",
        obj=staff,
        changes={
            "role": staff.role,
            "unit": staff.unit_id,
            "unit_name": staff.unit.name,
            "user": staff.user_id,
            "previous_end": previous_end.isoformat() if previous_end else None,
            **_period(staff),
        },
    )
    return staff
