import datetime
from functools import partial

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ungkultur.accounts.models import ApiToken, Consent, Guardianship, User
from ungkultur.accounts.selectors import (
    EMAIL_TOKEN_MAX_AGE,
    GUARDIAN_LINK_RESENT,
    GUARDIAN_RESEND_INTERVAL,
    GUARDIAN_TOKEN_MAX_AGE,
    age_at,
    consent_acting_as,
    email_confirm_token,
    guardianship_awaiting_confirmation,
    guardianship_link_resent_since,
    guardianship_token,
    is_youth,
)
from ungkultur.core.services import audit_record
from ungkultur.core.tasks import send_email
from ungkultur.lib.tokens import token_hash, token_new, token_prefix


def _send_later(*, subject: str, template: str, context: dict, to: str) -> None:
    body = render_to_string(template, {**context, "site_url": settings.SITE_URL})
    transaction.on_commit(partial(send_email.enqueue, subject=subject, body=body, to=[to]))


def _split_name(name: str) -> tuple[str, str]:
    parts = name.split()
    if len(parts) < 2:
        return name.strip(), ""
    return " ".join(parts[:-1]), parts[-1]


def _consent_record(
    *, actor: User, subject: User, purpose: str, given_by: str, now: datetime.datetime
) -> Consent:
    consent = Consent(
        subject=subject,
        purpose=purpose,
        given_by=given_by,
        grantor=actor,
        age_at_time=age_at(subject, now),
        text_version=settings.UNGKULTUR_CONSENT_TEXT_VERSION,
        given_at=now,
        status=Consent.Status.GIVEN,
    )
    consent.full_clean()
    try:
        with transaction.atomic():
            consent.save()
    except IntegrityError as error:
        raise ValidationError(_("Dette samtykket er allerede gitt.")) from error
    audit_record(
        actor=actor,
        action="consent.given",
        obj=consent,
        changes={"purpose": purpose, "subject": subject.pk, "given_by": given_by},
    )
    return consent


def _user_set_active(*, actor: User | None, user: User, active: bool) -> None:
    if user.is_active == active:
        return
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_record(actor=actor, action="user.activated" if active else "user.deactivated", obj=user)


def _guardian_for_email(*, email: str, name: str, now: datetime.datetime) -> User:
    guardian = User.objects.filter(email__iexact=email).first()
    if guardian is not None:
        return guardian
    first_name, last_name = _split_name(name)
    guardian = User(
        email=User.objects.normalize_email(email).lower(),
        first_name=first_name,
        last_name=last_name,
        is_active=False,
        date_joined=now,
    )
    # The guardian chooses a password on the confirmation page.
    guardian.set_unusable_password()
    guardian.full_clean()
    guardian.save()
    audit_record(actor=None, action="user.registered", obj=guardian, changes={"as": "guardian"})
    return guardian


def youth_register(
    *,
    first_name: str,
    email: str,
    password: str,
    birth_year: int,
    gender: str,
    municipality,
    nickname: str = "",
    guardian_name: str = "",
    guardian_email: str = "",
    now: datetime.datetime,
) -> User:
    """Create a youth account.

    From the age of online consent the youth consents alone and the account is active at once.
    Younger youth get an inactive account, and a guardian (a new inactive account, or the
    existing user with that e-mail) is asked by e-mail to confirm it.
    """
    age = timezone.localtime(now).year - birth_year
    needs_guardian = age < settings.UNGKULTUR_AGE_ONLINE_CONSENT
    if needs_guardian and not (guardian_name.strip() and guardian_email.strip()):
        raise ValidationError(
            _("Under %(age)s år må du oppgi navn og e-post til en foresatt.")
            % {"age": settings.UNGKULTUR_AGE_ONLINE_CONSENT}
        )
    user = User(
        email=User.objects.normalize_email(email).lower(),
        first_name=first_name,
        nickname=nickname,
        birth_year=birth_year,
        gender=gender,
        municipality=municipality,
        is_active=not needs_guardian,
        date_joined=now,
    )
    # Hashing takes most of a second on purpose: done before the transaction, so that the
    # database is not held for it (SQLite has one writer at a time).
    user.set_password(password)
    with transaction.atomic():
        user.full_clean()
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError as error:
            raise ValidationError(
                _("Det finnes allerede en konto med denne e-postadressen.")
            ) from error
        audit_record(
            actor=user, action="user.registered", obj=user, changes={"age": age, "as": "youth"}
        )
        if not needs_guardian:
            _consent_record(
                actor=user,
                subject=user,
                purpose=Consent.Purpose.REGISTRATION,
                given_by=Consent.GivenBy.SELF,
                now=now,
            )
            email_confirmation_send(user=user)
            return user
        guardian = _guardian_for_email(email=guardian_email, name=guardian_name, now=now)
        guardianship = Guardianship(guardian=guardian, child=user, created_at=now)
        guardianship.full_clean()
        guardianship.save()
        audit_record(actor=user, action="guardianship.requested", obj=guardianship)
        _guardian_link_send(guardianship=guardianship, guardian_name=guardian_name, now=now)
    return user


def adult_register(
    *,
    first_name: str,
    last_name: str,
    email: str,
    password: str,
    municipality,
    now: datetime.datetime,
) -> User:
    """Create an adult's (a parent's or guardian's) account: active, no birth year, the
    registration consent given by themselves, and a link sent to confirm the e-mail. Children
    are added from Min side once the address is confirmed (accounts.family)."""
    user = User(
        email=User.objects.normalize_email(email).lower(),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        municipality=municipality,
        is_active=True,
        date_joined=now,
    )
    user.set_password(password)  # before the transaction, as in youth_register
    with transaction.atomic():
        user.full_clean()
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError as error:
            raise ValidationError(
                _("Det finnes allerede en konto med denne e-postadressen.")
            ) from error
        audit_record(actor=user, action="user.registered", obj=user, changes={"as": "adult"})
        _consent_record(
            actor=user,
            subject=user,
            purpose=Consent.Purpose.REGISTRATION,
            given_by=Consent.GivenBy.SELF,
            now=now,
        )
        email_confirmation_send(user=user)
    return user


def _guardian_link_send(
    *, guardianship: Guardianship, guardian_name: str, now: datetime.datetime
) -> None:
    child = guardianship.child
    token = guardianship_token(guardianship=guardianship, now=now)
    _send_later(
        subject=_("Bekreft at %(name)s kan bruke Ungkultur") % {"name": child.first_name},
        template="accounts/email/guardian_confirm.txt",
        context={
            "child": child,
            "guardian_name": guardian_name.strip(),
            "link": reverse("accounts:guardian_confirm", args=[token]),
            "days": GUARDIAN_TOKEN_MAX_AGE.days,
        },
        to=guardianship.guardian.email,
    )


def guardianship_resend_link(*, email: str, now: datetime.datetime) -> bool:
    """Send the guardian a new confirmation link for the child registered with ``email``.

    Only an inactive account with an unconfirmed guardianship gets one, and at most one per
    GUARDIAN_RESEND_INTERVAL. Returns whether a link was sent; callers must not tell the user,
    so that the answer does not reveal who is registered.
    """
    guardianship = guardianship_awaiting_confirmation(child_email=email)
    if guardianship is None:
        return False
    with transaction.atomic():
        # The row lock makes two simultaneous requests see each other's audit row.
        guardianship = (
            Guardianship.objects.select_for_update(of=("self",))
            .select_related("guardian", "child")
            .filter(pk=guardianship.pk, child__is_active=False, confirmed_at__isnull=True)
            .first()
        )
        if guardianship is None or guardianship_link_resent_since(
            guardianship=guardianship, since=now - GUARDIAN_RESEND_INTERVAL
        ):
            return False
        audit_record(actor=None, action=GUARDIAN_LINK_RESENT, obj=guardianship, at=now)
        _guardian_link_send(
            guardianship=guardianship,
            guardian_name=guardianship.guardian.full_name,
            now=now,
        )
    return True


def guardian_confirm(
    *, guardianship: Guardianship, password: str | None = None, now: datetime.datetime
) -> Guardianship:
    """A guardian confirms a child's registration: consent on the child's behalf, both active.

    A guardian without a usable password (new from the child's sign-up) must set one here.
    """
    # Hashed before the transaction: it takes most of a second, and the database waits meanwhile.
    hashed = make_password(password) if password else None
    with transaction.atomic():
        guardianship = (
            Guardianship.objects.select_for_update()
            .select_related("guardian", "child")
            .get(pk=guardianship.pk)
        )
        if guardianship.confirmed_at is not None:
            raise ValidationError(_("Registreringen er allerede bekreftet."))
        guardian, child = guardianship.guardian, guardianship.child
        if hashed:
            guardian.password = hashed
            guardian.save(update_fields=["password"])
        elif not guardian.has_usable_password():
            raise ValidationError(_("Du må velge et passord."))
        _user_set_active(actor=guardian, user=guardian, active=True)
        if guardian.municipality_id is None and child.municipality_id is not None:
            # Min side shows the guardian where the family lives, not "Ikke oppgitt".
            guardian.municipality_id = child.municipality_id
            guardian.save(update_fields=["municipality"])
            audit_record(
                actor=guardian,
                action="user.municipality_set",
                obj=guardian,
                changes={"municipality": child.municipality_id, "from": "child"},
            )
        guardianship.confirmed_at = now
        guardianship.full_clean()
        guardianship.save(update_fields=["confirmed_at"])
        audit_record(actor=guardian, action="guardianship.confirmed", obj=guardianship)
        if not child.consents.filter(
            purpose=Consent.Purpose.REGISTRATION, status=Consent.Status.GIVEN
        ).exists():
            _consent_record(
                actor=guardian,
                subject=child,
                purpose=Consent.Purpose.REGISTRATION,
                given_by=Consent.GivenBy.GUARDIAN,
                now=now,
            )
        _user_set_active(actor=guardian, user=child, active=True)
        _send_later(
            subject=_("Kontoen din i Ungkultur er klar"),
            template="accounts/email/account_ready.txt",
            context={
                "child": child,
                "login": reverse("accounts:login"),
                "confirm": reverse("accounts:email_confirm", args=[email_confirm_token(child)]),
            },
            to=child.email,
        )
    return guardianship


def email_confirmation_send(*, user: User) -> None:
    """Send the link that confirms the account's e-mail (after commit, through the task queue)."""
    _send_later(
        subject=_("Bekreft e-postadressen din i Ungkultur"),
        template="accounts/email/email_confirm.txt",
        context={
            "user": user,
            "link": reverse("accounts:email_confirm", args=[email_confirm_token(user)]),
            "days": EMAIL_TOKEN_MAX_AGE.days,
        },
        to=user.email,
    )


def email_confirm(*, user: User, now: datetime.datetime) -> bool:
    """Mark the account's e-mail confirmed (once). Returns whether it was confirmed now."""
    with transaction.atomic():
        updated = User.objects.filter(pk=user.pk, email_confirmed_at__isnull=True).update(
            email_confirmed_at=now
        )
        if updated:
            user.email_confirmed_at = now
            audit_record(actor=user, action="user.email_confirmed", obj=user, at=now)
    return bool(updated)


def registration_taken_notice(*, email: str, now: datetime.datetime | None = None) -> None:
    """Someone tried to register with an address that has an account: tell its owner, not them.

    An account a child's sign-up made for its guardian (inactive, no password) can neither log
    in nor reset its password; its owner gets the guardian confirmation link instead, to the
    same address, where they choose a password and take the account over.
    """
    if placeholder_guardian_links_send(email=email, now=now or timezone.now()):
        return
    _send_later(
        subject=_("Noen prøvde å registrere seg med e-postadressen din"),
        template="accounts/email/registration_taken.txt",
        context={
            "login": reverse("accounts:login"),
            "reset": reverse("accounts:password_reset"),
        },
        to=email,
    )


def placeholder_guardian_links_send(*, email: str, now: datetime.datetime) -> bool:
    """Send the confirmation link of each child waiting for the guardian whose account, made
    by a child's sign-up, is inactive without a password. Returns whether any went out."""
    guardian = User.objects.filter(email__iexact=email, is_active=False).first()
    if guardian is None or guardian.has_usable_password():
        return False
    waiting = list(
        Guardianship.objects.filter(guardian=guardian, confirmed_at__isnull=True)
        .select_related("guardian", "child")
        .order_by("pk")
    )
    for guardianship in waiting:
        audit_record(actor=None, action=GUARDIAN_LINK_RESENT, obj=guardianship, at=now)
        _guardian_link_send(guardianship=guardianship, guardian_name=guardian.full_name, now=now)
    return bool(waiting)


def consent_give(*, actor: User, subject: User, purpose: str, now: datetime.datetime) -> Consent:
    """Give a consent for oneself, or for a child as a confirmed guardian (see the age limits)."""
    given_by = consent_acting_as(actor=actor, subject=subject, purpose=purpose, now=now)
    if given_by is None:
        raise PermissionDenied
    with transaction.atomic():
        consent = _consent_record(
            actor=actor, subject=subject, purpose=purpose, given_by=given_by, now=now
        )
        if purpose == Consent.Purpose.REGISTRATION:
            _user_set_active(actor=actor, user=subject, active=True)
    return consent


def consent_withdraw(*, actor: User, consent: Consent, now: datetime.datetime) -> Consent:
    """Withdraw a consent. Withdrawing the registration consent deactivates the account."""
    subject = consent.subject
    if consent_acting_as(actor=actor, subject=subject, purpose=consent.purpose, now=now) is None:
        raise PermissionDenied
    with transaction.atomic():
        consent = Consent.objects.select_for_update().get(pk=consent.pk)
        if consent.status != Consent.Status.GIVEN:
            raise ValidationError(_("Dette samtykket er allerede trukket tilbake."))
        consent.status = Consent.Status.WITHDRAWN
        consent.withdrawn_at = now
        consent.full_clean()
        consent.save(update_fields=["status", "withdrawn_at"])
        audit_record(
            actor=actor,
            action="consent.withdrawn",
            obj=consent,
            changes={"purpose": consent.purpose, "subject": subject.pk},
        )
        if consent.purpose == Consent.Purpose.REGISTRATION:
            _user_set_active(actor=actor, user=subject, active=False)
    return consent


API_TOKEN_DAYS = (30, 90, 365)


def api_token_create(
    *, user: User, name: str, now: datetime.datetime, days: int = 90
) -> tuple[ApiToken, str]:
    """A new personal API token, valid ``days`` days (one of API_TOKEN_DAYS). The raw token is
    returned once and never stored. Not issued to youth (issue 19)."""
    if is_youth(user, now):
        raise PermissionDenied
    if days not in API_TOKEN_DAYS:
        raise ValidationError(_("Velg hvor lenge nøkkelen skal virke."))
    raw = token_new()
    with transaction.atomic():
        token = ApiToken(
            user=user,
            name=name.strip(),
            prefix=token_prefix(raw),
            key_hash=token_hash(raw),
            created_at=now,
            expires_at=now + datetime.timedelta(days=days),
        )
        token.full_clean()
        token.save()
        audit_record(
            actor=user,
            action="api_token.created",
            obj=token,
            changes={"expires_at": token.expires_at.isoformat()},
        )
    return token, raw


def api_token_revoke(*, actor: User, token: ApiToken, now: datetime.datetime) -> ApiToken:
    if token.user_id != actor.pk:
        raise PermissionDenied
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            raise ValidationError(_("Nøkkelen er allerede trukket tilbake."))
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="api_token.revoked", obj=token)
    return token
