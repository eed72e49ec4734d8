"""Family accounts: a guardian adds a child from their own account, and may later give the child
a login of its own.

A child added by a guardian has no e-mail address of its own yet: the account gets an address
under the reserved ``.invalid`` domain (never delivered), no usable password and stays inactive,
so nobody logs in as it and no e-mail is sent to it. The guardianship is confirmed at once (the
guardian is the one logged in) and the guardian's consent to registration is recorded for the
child. When the child gets a login, its own address replaces the placeholder and it chooses a
password through a link sent there.
"""

import datetime
import secrets

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from ungkultur.accounts.models import Consent, Gender, Guardianship, User
from ungkultur.accounts.selectors import age_at, confirmed_child_ids
from ungkultur.accounts.services import _consent_record, _send_later
from ungkultur.core.services import audit_record

NO_EMAIL_DOMAIN = "barn.ungkultur.invalid"
ADULT_AGE = 18


def has_own_email(user: User) -> bool:
    return not user.email.endswith(f"@{NO_EMAIL_DOMAIN}")


def may_add_children(user: User, *, now: datetime.datetime) -> bool:
    """An adult with a confirmed e-mail (a person without a birth year counts as an adult)."""
    age = age_at(user, now)
    return (
        user.is_authenticated
        and (age is None or age >= ADULT_AGE)
        and (user.email_confirmed_at is not None or bool(user.identity_provider))
    )


@transaction.atomic
def child_add(
    *,
    actor: User,
    first_name: str,
    birth_year: int,
    municipality,
    now: datetime.datetime,
) -> User:
    """Add a child to the guardian's account: name, birth year and municipality, no e-mail.

    The guardian's own municipality, when they have none, becomes the child's (shown on Min
    side, and what the front door leads them to).
    """
    if not may_add_children(actor, now=now):
        raise PermissionDenied
    year = now.year
    first_name = first_name.strip()
    if not first_name:
        raise ValidationError({"first_name": [_("Skriv fornavnet til barnet.")]})
    age = year - birth_year
    if not settings.UNGKULTUR_MIN_AGE <= age < ADULT_AGE:
        raise ValidationError(
            {
                "birth_year": [
                    _("Barnet må være født mellom %(oldest)s og %(youngest)s.")
                    % {
                        "oldest": year - ADULT_AGE + 1,
                        "youngest": year - settings.UNGKULTUR_MIN_AGE,
                    }
                ]
            }
        )
    child = User(
        email=f"barn-{secrets.token_hex(8)}@{NO_EMAIL_DOMAIN}",
        first_name=first_name,
        last_name=actor.last_name,
        birth_year=birth_year,
        gender=Gender.UNDISCLOSED,
        municipality=municipality,
        is_active=False,
        date_joined=now,
    )
    child.set_unusable_password()
    child.full_clean()
    child.save()
    audit_record(
        actor=actor, action="user.registered", obj=child, changes={"age": age, "as": "child"}
    )
    guardianship = Guardianship(guardian=actor, child=child, created_at=now, confirmed_at=now)
    guardianship.full_clean()
    guardianship.save()
    audit_record(actor=actor, action="guardianship.confirmed", obj=guardianship)
    _consent_record(
        actor=actor,
        subject=child,
        purpose=Consent.Purpose.REGISTRATION,
        given_by=Consent.GivenBy.GUARDIAN,
        now=now,
    )
    if actor.municipality_id is None:
        actor.municipality = municipality
        actor.save(update_fields=["municipality"])
        audit_record(
            actor=actor,
            action="user.municipality_set",
            obj=actor,
            changes={"municipality": municipality.pk, "from": "child"},
        )
    return child


@transaction.atomic
def child_login_give(*, actor: User, child: User, email: str, now: datetime.datetime) -> User:
    """Give a child added without e-mail a login of its own: its own address, a link to choose a
    password sent there. Only the child's confirmed guardian may, and only once."""
    if child.pk not in confirmed_child_ids(actor):
        raise PermissionDenied
    if has_own_email(child):
        raise ValidationError(
            _("%(name)s har allerede egen innlogging.") % {"name": child.first_name}
        )
    email = User.objects.normalize_email(email.strip()).lower()
    if email == actor.email.lower():
        raise ValidationError({"email": [_("Barnet må ha sin egen e-postadresse, ikke din.")]})
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {"email": [_("Denne e-postadressen er allerede i bruk. Bruk en annen.")]}
        )
    child = User.objects.select_for_update().get(pk=child.pk)
    child.email = email
    child.is_active = True
    child.full_clean()
    child.save(update_fields=["email", "is_active"])
    audit_record(actor=actor, action="user.login_given", obj=child, changes={"by": "guardian"})
    uid = urlsafe_base64_encode(force_bytes(child.pk))
    token = default_token_generator.make_token(child)
    _send_later(
        subject=_("Din egen innlogging i Ungkultur"),
        template="accounts/email/child_login.txt",
        context={
            "child": child,
            "guardian": actor,
            "path": reverse("accounts:password_reset_confirm", args=[uid, token]),
        },
        to=email,
    )
    return child
