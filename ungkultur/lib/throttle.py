"""Counting failed attempts in the cache (shared by every app server when it is Redis)."""

import hashlib

from django.core.cache import cache


def _key(scope: str, subject: str) -> str:
    digest = hashlib.sha256(subject.encode()).hexdigest()[:32]
    return f"throttle:{scope}:{digest}"


def is_blocked(scope: str, subject: str, *, limit: int) -> bool:
    return cache.get(_key(scope, subject), 0) >= limit


def record_failure(scope: str, subject: str, *, window_seconds: int) -> None:
    """Count one failure; the count is forgotten ``window_seconds`` after the first one."""
    key = _key(scope, subject)
    cache.add(key, 0, window_seconds)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window_seconds)


def forget(scope: str, subject: str) -> None:
    cache.delete(_key(scope, subject))
