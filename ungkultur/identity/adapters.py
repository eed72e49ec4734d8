"""django-allauth's hooks (issue 19): ID-porten and Feide log in or sign up; local sign-up and
password login stay the project's own (ungkultur/accounts), with its limiter."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base.constants import AuthError
from allauth.socialaccount.signals import social_account_added, social_account_removed
from django.conf import settings
from django.dispatch import receiver
from django.shortcuts import render
from django.utils import timezone

from ungkultur.core.services import audit_record
from ungkultur.municipalities.selectors import municipality_by_any_code

CLAIMS = "_ungkultur_claims"


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Local accounts are made at /konto/registrer/ (consent, guardian, e-mail confirmation).
        return False


def apply_claims(user, provider_id: str, claims: dict | None) -> list[str]:
    """Birth year and municipality from the provider's claims, marked verified. Returns the
    fields changed (not saved)."""
    changed = ["identity_provider"]
    user.identity_provider = provider_id
    if not claims:
        return changed
    if claims.get("birth_year"):
        user.birth_year = claims["birth_year"]
        user.birth_year_verified = True
        changed += ["birth_year", "birth_year_verified"]
    municipality = (
        municipality_by_any_code(claims["municipality_code"])
        if claims.get("municipality_code")
        else None
    )
    if municipality is not None:
        user.municipality = municipality
        user.municipality_verified = True
        changed += ["municipality", "municipality_verified"]
    return changed


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        return True

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        """Our own page, in Norwegian: cancelled (200), or failed: a tampered or expired state,
        an unknown issuer, an issuer that does not answer (401). Nobody is logged in."""
        cancelled = error == AuthError.CANCELLED
        raise ImmediateHttpResponse(
            render(
                request,
                "identity/login_failed.html",
                {"cancelled": cancelled, "provider": provider},
                status=200 if cancelled else 401,
            )
        )

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        setattr(sociallogin, CLAIMS, data)
        user.first_name = data.get("first_name") or ""
        user.last_name = data.get("last_name") or ""
        apply_claims(user, sociallogin.account.provider, data)
        year = data.get("birth_year")
        if (
            year
            and timezone.localdate().year - year < settings.UNGKULTUR_AGE_ONLINE_CONSENT
            and not sociallogin.is_existing
        ):
            # Under the age of online consent a guardian confirms (the local registration).
            raise ImmediateHttpResponse(render(request, "identity/too_young.html", status=403))
        return user

    def pre_social_login(self, request, sociallogin):
        if sociallogin.is_existing:
            user = sociallogin.user
            changed = apply_claims(
                user, sociallogin.account.provider, getattr(sociallogin, CLAIMS, None)
            )
            user.save(update_fields=changed)

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form)
        audit_record(
            actor=user,
            action="user.registered",
            obj=user,
            changes={"as": "oidc", "provider": sociallogin.account.provider},
        )
        audit_record(
            actor=user,
            action="identity.linked",
            obj=user,
            changes={"provider": sociallogin.account.provider},
        )
        return user


@receiver(social_account_added)
def identity_connected(sender, request, sociallogin, **kwargs):
    """A logged-in person linked an ID-porten/Feide identity (an explicit step, allauth's
    connect). The provider's claims now stand for birth year and municipality."""
    user = sociallogin.user
    changed = apply_claims(user, sociallogin.account.provider, getattr(sociallogin, CLAIMS, None))
    user.save(update_fields=changed)
    audit_record(
        actor=user,
        action="identity.linked",
        obj=user,
        changes={"provider": sociallogin.account.provider},
    )


@receiver(social_account_removed)
def identity_unlinked(sender, request, socialaccount, **kwargs):
    user = socialaccount.user
    remaining = user.socialaccount_set.exclude(pk=socialaccount.pk).first()
    user.identity_provider = remaining.provider if remaining else ""
    if remaining is None:
        user.birth_year_verified = False
        user.municipality_verified = False
    user.save(update_fields=["identity_provider", "birth_year_verified", "municipality_verified"])
    audit_record(
        actor=request.user if request is not None else user,
        action="identity.unlinked",
        obj=user,
        changes={"provider": socialaccount.provider},
    )
