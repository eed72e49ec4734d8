"""Personal API tokens: made at random, stored only as a SHA-256 hash."""

import hashlib
import secrets

PREFIX_LENGTH = 8


def token_new() -> str:
    """A fresh random token (43 URL-safe characters, 256 bits)."""
    return secrets.token_urlsafe(32)


def token_hash(raw: str) -> str:
    """The hex SHA-256 of a token: what the database keeps instead of the token."""
    return hashlib.sha256(raw.encode()).hexdigest()


def token_prefix(raw: str) -> str:
    """The first characters, kept in clear so a person can tell their tokens apart."""
    return raw[:PREFIX_LENGTH]
