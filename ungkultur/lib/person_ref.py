"""Keyed hashes of other systems' person references.

An import names a person by the other system's identifier (a pupil number, a member id). We
keep only HMAC-SHA256 of it under a secret key, scoped to the municipality: the same youth links
across imports and services of one municipality, the identifier itself is never stored, and
without the key nobody can test a guessed identifier against the hash.
"""

import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def person_ref_hash(municipality_code: str, person_ref: str, *, key: str | None = None) -> str:
    """Hex HMAC-SHA256 of ``"<municipality code>:<person_ref>"`` under the person-reference key.

    ``key`` defaults to ``settings.UNGKULTUR_PERSON_REF_KEY``. Changing the key (or a
    municipality's number) breaks the links to earlier imports: keep it stable.
    """
    if key is None:
        key = settings.UNGKULTUR_PERSON_REF_KEY
    if not key:
        raise ImproperlyConfigured("UNGKULTUR_PERSON_REF_KEY is not set.")
    message = f"{municipality_code}:{person_ref}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def person_ref_hasher(municipality_code: str, *, key: str | None = None):
    """``person_ref_hash`` for many references of one municipality: the key is prepared once
    (for an import of tens of thousands of rows). Gives the same hashes."""
    if key is None:
        key = settings.UNGKULTUR_PERSON_REF_KEY
    if not key:
        raise ImproperlyConfigured("UNGKULTUR_PERSON_REF_KEY is not set.")
    keyed = hmac.new(key.encode(), f"{municipality_code}:".encode(), hashlib.sha256)

    def hash_one(person_ref: str) -> str:
        digest = keyed.copy()
        digest.update(person_ref.encode())
        return digest.hexdigest()

    return hash_one
