"""Invitations by e-mail to a seat in a municipality's group or a role in one of its units.

The national administrator invites the local project leader; the project leader invites the rest
(staff with a role per unit, members of the local project group, youth to the resource group); a
unit's leader invites the other roles of their own unit (see ungkultur/organisations/staff.py).

The link in the e-mail is signed (django.core.signing) and names the invitation and how many
times it was sent: a resend makes the earlier links useless, and a link stops working when the
invitation expires, is accepted or revoked. Accepting makes the account when the e-mail has none
(youth register themselves first, with consent, and accept on Min side), then the membership or
unit role, in one transaction. Every step writes an audit row.
"""

import datetime
from functools import partial

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ungkultur.accounts.models import User
from ungkultur.core.services import audit_record
from ungkultur.core.tasks import send_email
from ungkultur.organisations import services as membership_services
from ungkultur.organisations.models import Group, Invitation, Membership, Unit, UnitStaff
from ungkultur.organisations.selectors import roles_for
from ungkultur.organisations.staff import unit_roles_for, unit_staff_create

INVITATION_TOKEN_SALT = "ungkultur.organisations.invitation"
INVITATION_VALID_FOR = datetime.timedelta(days=14)

# Roles in a local project group that an invitation may give. The project leader is invited by a
# national administrator; youth sit in the resource group (and so in the project group).
PROJECT_GROUP_ROLES = (
    Membership.Role.PROJECT_LEADER,
    Membership.Role.CULTURE_CHIEF,
    Membership.Role.KULTURSKOLE_RECTOR,
    Membership.Role.CLUB_LEADER,
    Membership.Role.UKM_CONTACT,
    Membership.Role.ADVISER,
    Membership.Role.MEMBER,
)
GROUP_NAMES = {
    Group.Kind.LOCAL_PROJECT_GROUP: "Lokal prosjektgruppe %(name)s",
    Group.Kind.YOUTH_RESOURCE_GROUP: "Ressursgruppe ungdom %(name)s",
}
RESOURCE_GROUP_SEATS = 5


class InvitationError(Exception):
    """A link that cannot be used, and why: one of the ``REASONS``."""

    INVALID, EXPIRED, USED, REVOKED = "invalid", "expired", "used", "revoked"

    def __init__(self, reason: str, invitation: Invitation | None = None):
        super().__init__(reason)
        self.reason = reason
        self.invitation = invitation


# --- Who may invite to what ----------------------------------------------------------------------


def group_roles_for(actor, municipality, kind: str) -> list[str]:
    """The roles ``actor`` may give by invitation in the municipality's group of ``kind``."""
    roles = roles_for(actor)
    is_leader = municipality.pk in roles.leader_municipalities
    if kind == Group.Kind.LOCAL_PROJECT_GROUP:
        if roles.is_admin:
            return list(PROJECT_GROUP_ROLES)
        if is_leader:
            return [r for r in PROJECT_GROUP_ROLES if r != Membership.Role.PROJECT_LEADER]
    if kind == Group.Kind.YOUTH_RESOURCE_GROUP and (roles.is_admin or is_leader):
        return [Membership.Role.YOUTH_MEMBER]
    return []


def may_invite_in(actor, municipality) -> bool:
    """Whether ``actor`` may invite anyone at all in this municipality (the people page)."""
    roles = roles_for(actor)
    if roles.is_admin or municipality.pk in roles.leader_municipalities:
        return True
    return Unit.objects.filter(pk__in=roles.led_unit_ids, municipality=municipality).exists()


def may_manage_invitation(actor, invitation: Invitation) -> bool:
    """Whether ``actor`` may resend or revoke: they could give the role it gives."""
    if invitation.group_id:
        return invitation.membership_role in group_roles_for(
            actor, invitation.municipality, invitation.group.kind
        )
    return invitation.unit_role in unit_roles_for(actor, invitation.unit)


def _check_may_invite(*, actor, municipality, group_kind, membership_role, unit, unit_role):
    if unit is not None:
        allowed = unit_role in unit_roles_for(actor, unit)
    else:
        allowed = membership_role in group_roles_for(actor, municipality, group_kind)
    if not allowed:
        raise PermissionDenied(_("Du kan ikke invitere til denne rollen."))


# --- Links ---------------------------------------------------------------------------------------


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps(
        {"i": invitation.pk, "n": invitation.send_count}, salt=INVITATION_TOKEN_SALT
    )


def invitation_url(invitation: Invitation) -> str:
    return settings.SITE_URL + reverse(
        "organisations:invitation_accept", args=[invitation_token(invitation)]
    )


def _check_open(invitation: Invitation, *, now: datetime.datetime) -> None:
    if invitation.revoked_at is not None:
        raise InvitationError(InvitationError.REVOKED, invitation)
    if invitation.accepted_at is not None:
        raise InvitationError(InvitationError.USED, invitation)
    if now >= invitation.expires_at:
        raise InvitationError(InvitationError.EXPIRED, invitation)


def invitation_for_token(token: str, *, now: datetime.datetime) -> Invitation:
    """The open invitation a link names; InvitationError when the link is tampered with, older
    than the last resend, or the invitation is expired, accepted or revoked."""
    try:
        payload = signing.loads(token, salt=INVITATION_TOKEN_SALT)
        pk, count = int(payload["i"]), int(payload["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise InvitationError(InvitationError.INVALID) from error
    invitation = (
        Invitation.objects.select_related("municipality", "group", "unit", "invited_by")
        .filter(pk=pk)
        .first()
    )
    if invitation is None:
        raise InvitationError(InvitationError.INVALID)
    _check_open(invitation, now=now)
    if count != invitation.send_count:
        # An earlier e-mail: a newer link has been sent since.
        raise InvitationError(InvitationError.EXPIRED, invitation)
    return invitation


def open_invitations_for(user, *, now: datetime.datetime):
    """The invitations sent to this user's e-mail that can still be accepted."""
    return (
        Invitation.objects.filter(
            email__iexact=user.email,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=now,
        )
        .select_related("municipality", "group", "unit", "invited_by")
        .order_by("created_at", "pk")
    )


def mypage_section(user, *, now: datetime.datetime) -> dict | None:
    """Min side: the invitations waiting for this user, to accept there (one query)."""
    if not user.is_authenticated:
        return None
    invitations = list(open_invitations_for(user, now=now))
    if not invitations:
        return None
    return {"template": "organisations/_mypage_invitations.html", "invitations": invitations}


# --- E-mail --------------------------------------------------------------------------------------


def _send(invitation: Invitation) -> None:
    values = {
        "inviter": invitation.invited_by.full_name if invitation.invited_by else _("Ungkultur"),
        "role": invitation.get_role_display(),
        "target": str(invitation.target),
        "municipality": invitation.municipality.name,
        "expires": date_format(timezone.localtime(invitation.expires_at), "DATE_FORMAT"),
        "url": invitation_url(invitation),
    }
    subject = _("Invitasjon til Ungkultur: %(role)s i %(target)s") % values
    if invitation.membership_role == Membership.Role.YOUTH_MEMBER:
        body = (
            _(
                "Hei!\n\n%(inviter)s har invitert deg til %(target)s i %(municipality)s.\n\n"
                "Logg inn på Ungkultur og svar på invitasjonen på Min side innen %(expires)s:\n"
                "%(url)s\n\nVenter du ikke denne invitasjonen, kan du se bort fra e-posten.\n"
            )
            % values
        )
    else:
        body = (
            _(
                "Hei!\n\n%(inviter)s har invitert deg til Ungkultur som %(role)s i %(target)s "
                "(%(municipality)s).\n\nGodta invitasjonen her innen %(expires)s:\n%(url)s\n\n"
                "Har du ikke konto, lager du den når du godtar. Venter du ikke denne "
                "invitasjonen, kan du se bort fra e-posten.\n"
            )
            % values
        )
    transaction.on_commit(
        partial(send_email.enqueue, subject=subject, body=body, to=[invitation.email])
    )


def _audit(action: str, *, actor, invitation: Invitation, now, **extra) -> None:
    audit_record(
        actor=actor,
        action=f"invitation.{action}",
        obj=invitation,
        at=now,
        changes={
            "municipality": invitation.municipality_id,
            "group": invitation.group_id,
            "unit": invitation.unit_id,
            "role": invitation.membership_role or invitation.unit_role,
            "send_count": invitation.send_count,
            **extra,
        },
    )


# --- Services ------------------------------------------------------------------------------------


def local_group(*, actor, municipality, kind: str) -> Group:
    """The municipality's group of ``kind``, made (and audited) the first time it is needed."""
    group, created = Group.objects.get_or_create(
        kind=kind,
        municipality=municipality,
        defaults={
            "name": GROUP_NAMES[kind] % {"name": municipality.name},
            "seats": RESOURCE_GROUP_SEATS if kind == Group.Kind.YOUTH_RESOURCE_GROUP else None,
        },
    )
    if created:
        audit_record(
            actor=actor,
            action="group.created",
            obj=group,
            changes={"kind": kind, "municipality": municipality.pk},
        )
    return group


def _check_invitee(
    *, email, group: Group | None, membership_role, unit: Unit | None, today
) -> None:
    """ValidationError (key ``email``) when the person cannot be given the seat or role."""
    user = User.objects.filter(email__iexact=email).first()
    if membership_role == Membership.Role.YOUTH_MEMBER and user is None:
        raise ValidationError(
            {
                "email": _(
                    "Ingen ungdom er registrert med denne e-postadressen. Ungdom registrerer seg "
                    "selv først (med samtykke fra foresatte under 15 år), så kan du invitere dem."
                )
            }
        )
    if user is None:
        return
    if not user.is_active:
        raise ValidationError({"email": _("Kontoen med denne e-postadressen er ikke aktiv.")})
    if group is not None:
        existing = list(Membership.objects.filter(group=group))
        try:
            membership_services._validate_new_membership(
                group=group,
                user=user,
                role=membership_role,
                start=today,
                end=None,
                existing=existing,
            )
        except ValidationError as error:
            raise ValidationError({"email": error.messages}) from error
    elif UnitStaff.objects.active_on(today).filter(unit=unit, user=user).exists():
        raise ValidationError(
            {"email": _("Personen har allerede en rolle i %(unit)s.") % {"unit": unit.name}}
        )


@transaction.atomic
def invitation_create(
    *,
    actor,
    municipality,
    email: str,
    now: datetime.datetime,
    first_name: str = "",
    last_name: str = "",
    group_kind: str | None = None,
    membership_role: str = "",
    unit: Unit | None = None,
    unit_role: str = "",
) -> Invitation:
    """Invite ``email`` to a role in the municipality's group of ``group_kind`` or in ``unit``,
    and send the link. Raises PermissionDenied (a role ``actor`` may not give, or an invitation
    to themself) or ValidationError keyed by ``email`` or ``unit``; then nothing is stored.
    """
    email = User.objects.normalize_email(email.strip()).lower()
    if actor is not None and actor.email.lower() == email:
        membership_services.refuse_self_grant(actor=actor, user=actor)
    if not municipality.kk_active:
        raise ValidationError(
            _("%(name)s er ikke med i koordinert kulturarbeid. Ta kommunen med først.")
            % {"name": municipality.name}
        )
    if unit is not None and unit.municipality_id != municipality.pk:
        raise ValidationError({"unit": _("Enheten hører til en annen kommune.")})
    if unit is not None and unit.closed_on is not None:
        raise ValidationError({"unit": _("Enheten er lagt ned.")})
    _check_may_invite(
        actor=actor,
        municipality=municipality,
        group_kind=group_kind,
        membership_role=membership_role,
        unit=unit,
        unit_role=unit_role,
    )
    group = None
    if unit is None:
        group = local_group(actor=actor, municipality=municipality, kind=group_kind)
    today = timezone.localdate(now)
    _check_invitee(
        email=email, group=group, membership_role=membership_role, unit=unit, today=today
    )
    if Invitation.objects.filter(
        email__iexact=email,
        group=group,
        unit=unit,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=now,
    ).exists():
        raise ValidationError(
            {
                "email": _(
                    "Denne e-postadressen har allerede en åpen invitasjon hit. "
                    "Send den på nytt fra listen over invitasjoner."
                )
            }
        )
    invitation = Invitation(
        municipality=municipality,
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        group=group,
        membership_role=membership_role if group else "",
        unit=unit,
        unit_role=unit_role if unit else "",
        invited_by=actor,
        created_at=now,
        sent_at=now,
        expires_at=now + INVITATION_VALID_FOR,
    )
    invitation.full_clean()
    invitation.save()
    _audit("created", actor=actor, invitation=invitation, now=now)
    _send(invitation)
    return invitation


def _lock(invitation: Invitation) -> Invitation:
    return (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("municipality", "group", "unit", "invited_by")
        .get(pk=invitation.pk)
    )


@transaction.atomic
def invitation_resend(*, actor, invitation: Invitation, now: datetime.datetime) -> Invitation:
    """Send a new link with a new expiry; the earlier links stop working."""
    invitation = _lock(invitation)
    if not invitation.is_open:
        raise ValidationError(_("Invitasjonen er allerede godtatt eller trukket tilbake."))
    invitation.send_count += 1
    invitation.sent_at = now
    invitation.expires_at = now + INVITATION_VALID_FOR
    invitation.save(update_fields=["send_count", "sent_at", "expires_at"])
    _audit("resent", actor=actor, invitation=invitation, now=now)
    _send(invitation)
    return invitation


@transaction.atomic
def invitation_revoke(*, actor, invitation: Invitation, now: datetime.datetime) -> Invitation:
    """Withdraw an open invitation: its link stops working."""
    invitation = _lock(invitation)
    if not invitation.is_open:
        raise ValidationError(_("Invitasjonen er allerede godtatt eller trukket tilbake."))
    invitation.revoked_at = now
    invitation.save(update_fields=["revoked_at"])
    _audit("revoked", actor=actor, invitation=invitation, now=now)
    return invitation


@transaction.atomic
def invitation_accept(
    *,
    invitation: Invitation,
    now: datetime.datetime,
    user=None,
    first_name: str = "",
    last_name: str = "",
    password: str | None = None,
):
    """Accept an invitation as ``user`` (logged in with the invited e-mail), or, without a user,
    make the account from ``first_name``, ``last_name`` and ``password``. Gives the seat or role
    from today. Returns the user. Raises InvitationError (no longer open), PermissionDenied
    (another person's invitation) or ValidationError (the seat or role cannot be given); then
    nothing is stored, not even the new account.
    """
    invitation = _lock(invitation)
    _check_open(invitation, now=now)
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(
                _("Det finnes allerede en konto med denne e-postadressen. Logg inn for å godta.")
            )
        if invitation.membership_role == Membership.Role.YOUTH_MEMBER:
            raise ValidationError(_("Ungdom registrerer seg selv før de godtar."))
        user = User.objects.create_user(
            invitation.email,
            password,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
        )
        audit_record(
            actor=user,
            action="user.created_by_invitation",
            obj=user,
            at=now,
            changes={"invitation": invitation.pk},
        )
    elif user.email.lower() != invitation.email.lower():
        raise PermissionDenied(_("Invitasjonen er sendt til en annen e-postadresse."))
    today = timezone.localdate(now)
    inviter = invitation.invited_by
    no_longer = _("Den som inviterte deg, kan ikke lenger gi denne rollen. Be om en ny invitasjon.")
    if inviter is None or not inviter.is_active:
        raise PermissionDenied(no_longer)
    if invitation.group_id:
        if invitation.membership_role not in group_roles_for(
            inviter, invitation.municipality, invitation.group.kind
        ):
            raise PermissionDenied(no_longer)
        membership_services.membership_create(
            actor=inviter,
            group=invitation.group,
            user=user,
            role=invitation.membership_role,
            start=today,
        )
    else:
        try:
            unit_staff_create(
                actor=user,
                granted_by=inviter,
                unit=invitation.unit,
                user=user,
                role=invitation.unit_role,
                start=today,
            )
        except PermissionDenied as error:
            raise PermissionDenied(no_longer) from error
    invitation.accepted_at = now
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    _audit("accepted", actor=user, invitation=invitation, now=now, user=user.pk)
    return user
