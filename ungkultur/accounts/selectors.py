import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.utils import timezone

from ungkultur.accounts.models import ApiToken, Consent, Guardianship, User, consent_age_limit
from ungkultur.core.models import AuditEntry
from ungkultur.lib.tokens import token_hash

GUARDIAN_TOKEN_SALT = "ungkultur.accounts.guardian_confirm"
GUARDIAN_TOKEN_MAX_AGE = datetime.timedelta(days=7)
# A new confirmation link may be sent at most this often, so that the public resend page
# cannot be used to flood a guardian's inbox.
GUARDIAN_RESEND_INTERVAL = datetime.timedelta(minutes=10)
GUARDIAN_LINK_RESENT = "guardianship.link_resent"


class GuardianTokenError(Exception):
    """A guardian confirmation link that is tampered with (``expired`` False) or too old."""

    def __init__(self, *, expired: bool):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def age_at(user: User, now: datetime.datetime) -> int | None:
    """Age as docs/indicators.md counts it: the calendar year (in Oslo) minus the birth year."""
    return user.age_in(timezone.localtime(now).year)


def confirmed_child_ids(guardian: User) -> set[int]:
    return set(
        Guardianship.objects.filter(guardian=guardian, confirmed_at__isnull=False).values_list(
            "child_id", flat=True
        )
    )


def consent_acting_as(
    *,
    actor: User,
    subject: User,
    purpose: str,
    now: datetime.datetime,
    child_ids: set[int] | None = None,
) -> str | None:
    """Whether ``actor`` may give or withdraw ``subject``'s consent to ``purpose``, and as whom.

    From the age limit of the purpose a person decides alone (and a guardian no longer does);
    under it only a confirmed guardian decides. Returns ``Consent.GivenBy.SELF``,
    ``Consent.GivenBy.GUARDIAN`` or None. Pass ``child_ids`` to save the guardianship query.
    A person without a birth year (staff, guardians) counts as an adult.
    """
    age = age_at(subject, now)
    decides_alone = age is None or age >= consent_age_limit(purpose)
    if actor.pk == subject.pk:
        return Consent.GivenBy.SELF if decides_alone else None
    if decides_alone:
        return None
    if child_ids is None:
        child_ids = confirmed_child_ids(actor)
    return Consent.GivenBy.GUARDIAN if subject.pk in child_ids else None


def guardianship_token(*, guardianship: Guardianship, now: datetime.datetime) -> str:
    """A signed token naming the guardianship, with the time it was issued."""
    payload = {
        "g": guardianship.pk,
        "u": guardianship.guardian_id,
        "t": int(now.timestamp()),
    }
    return signing.dumps(payload, salt=GUARDIAN_TOKEN_SALT)


def guardianship_for_token(token: str, *, now: datetime.datetime) -> Guardianship:
    """The guardianship a confirmation link names; GuardianTokenError if tampered or too old."""
    try:
        payload = signing.loads(token, salt=GUARDIAN_TOKEN_SALT)
        issued = datetime.datetime.fromtimestamp(int(payload["t"]), tz=datetime.UTC)
        pk, guardian_id = int(payload["g"]), int(payload["u"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise GuardianTokenError(expired=False) from error
    if now - issued > GUARDIAN_TOKEN_MAX_AGE:
        raise GuardianTokenError(expired=True)
    guardianship = (
        Guardianship.objects.select_related("guardian", "child")
        .filter(pk=pk, guardian_id=guardian_id)
        .first()
    )
    if guardianship is None:
        raise GuardianTokenError(expired=False)
    return guardianship


def guardianship_awaiting_confirmation(*, child_email: str) -> Guardianship | None:
    """The newest unconfirmed guardianship of the inactive account with this e-mail, or None."""
    return (
        Guardianship.objects.select_related("guardian", "child")
        .filter(
            child__email__iexact=child_email.strip(),
            child__is_active=False,
            confirmed_at__isnull=True,
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def guardianship_is_awaiting(*, child: User) -> bool:
    return (
        not child.is_active
        and Guardianship.objects.filter(child=child, confirmed_at__isnull=True).exists()
    )


def guardianship_link_resent_since(*, guardianship: Guardianship, since: datetime.datetime) -> bool:
    """Whether a new confirmation link was sent for this guardianship after ``since``."""
    return AuditEntry.objects.filter(
        action=GUARDIAN_LINK_RESENT,
        content_type=ContentType.objects.get_for_model(Guardianship),
        object_id=str(guardianship.pk),
        at__gt=since,
    ).exists()


def is_youth(user: User, now: datetime.datetime) -> bool:
    """Of participation age or younger this calendar year (where a birth year is known)."""
    age = age_at(user, now)
    return age is not None and age <= settings.UNGKULTUR_PARTICIPATION_AGE_MAX


def user_for_api_token(raw: str, *, now: datetime.datetime) -> User | None:
    """The active owner of a live API token, or None. Records when the token was last used.
    An expired token is dead; so is a token of someone who is (again) of youth age."""
    if not raw:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=token_hash(raw), revoked_at__isnull=True, user__is_active=True)
        .exclude(expires_at__lte=now)
        .first()
    )
    if token is None or is_youth(token.user, now):
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# --- E-mail confirmation (issue 19) -------------------------------------------------------------
EMAIL_TOKEN_SALT = "ungkultur.accounts.email_confirm"
EMAIL_TOKEN_MAX_AGE = datetime.timedelta(days=7)


class EmailTokenError(Exception):
    """An e-mail confirmation link tampered with, too old, or for an address since changed."""


def email_confirm_token(user: User) -> str:
    """A signed link token for the user's current address: changing it voids the link."""
    return signing.dumps({"u": user.pk, "e": user.email}, salt=EMAIL_TOKEN_SALT)


def user_for_email_token(token: str) -> User:
    try:
        data = signing.loads(
            token, salt=EMAIL_TOKEN_SALT, max_age=EMAIL_TOKEN_MAX_AGE.total_seconds()
        )
    except signing.BadSignature as error:  # SignatureExpired is one
        raise EmailTokenError from error
    user = User.objects.filter(pk=data.get("u"), email=data.get("e")).first()
    if user is None:
        raise EmailTokenError
    return user
