"""allauth's OpenID Connect provider, storing no national identity number (issue 19).

The subject (ID-porten's pairwise ``sub``; a national identity number where an issuer gives
one) is kept only as a keyed hash: HMAC-SHA256 under a key derived from SECRET_KEY, per
provider. The claims are read once at login for name, e-mail, birth year and municipality,
and not stored: the social account keeps only the names of the claims seen.
"""

from allauth.socialaccount.providers.openid_connect.provider import (
    OpenIDConnectProvider,
    _pick_data,
)
from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac

SUBJECT_SALT = "ungkultur.identity.subject"


def subject_hash(provider_id: str, subject: str) -> str:
    return salted_hmac(
        SUBJECT_SALT, f"{provider_id}:{subject}", secret=settings.SECRET_KEY, algorithm="sha256"
    ).hexdigest()


def birth_year_from_claims(claims: dict) -> int | None:
    """From ``birthdate`` (YYYY-MM-DD or YYYY, OpenID Connect) or ``birth_year``."""
    value = claims.get("birth_year") or claims.get("birthdate")
    if value in (None, ""):
        return None
    try:
        year = int(str(value)[:4])
    except ValueError:
        return None
    this_year = timezone.localdate().year
    return year if 1900 <= year <= this_year else None


def municipality_code_from_claims(claims: dict) -> str | None:
    """A four-digit municipality number in ``municipality`` (or ``kommunenummer``)."""
    value = str(claims.get("municipality") or claims.get("kommunenummer") or "").strip()
    return value if len(value) == 4 and value.isdigit() else None


class HashedSubjectProvider(OpenIDConnectProvider):
    # URLs and views are allauth's own openid_connect ones.
    package = "allauth.socialaccount.providers.openid_connect"

    def extract_uid(self, data):
        return subject_hash(self.app.provider_id, super().extract_uid(data))

    def extract_extra_data(self, data):
        claims = _pick_data(data)
        # ProviderAccount reads "userinfo"; keep it, without values.
        return {"userinfo": {}, "claims_seen": sorted(claims)}

    def extract_common_fields(self, data):
        claims = _pick_data(data)
        return {
            "email": claims.get("email") if claims.get("email_verified", True) else None,
            "first_name": claims.get("given_name") or "",
            "last_name": claims.get("family_name") or "",
            "birth_year": birth_year_from_claims(claims),
            "municipality_code": municipality_code_from_claims(claims),
        }
