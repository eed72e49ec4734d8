"""A cache whose Redis is away reads as empty instead of failing the page (core/cache.py)."""

import pytest
from django.core.cache import caches
from django.test import override_settings

from ungkultur.lib import throttle

# Nothing listens on port 1: every connection is refused at once, as while Redis restarts.
AWAY = {
    "default": {
        "BACKEND": "ungkultur.core.cache.TolerantRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}
PLAIN = {
    **AWAY,
    "default": {**AWAY["default"], "BACKEND": "django.core.cache.backends.redis.RedisCache"},
}


@pytest.fixture
def _empty_cache():
    """Overrides conftest's autouse fixture: it would clear the default cache."""
    yield


@override_settings(CACHES=AWAY)
def test_reads_miss_and_writes_are_dropped_while_redis_is_away():
    cache = caches["default"]
    assert cache.get("k", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.get_or_set("k", 42) == 42
    assert cache.set("k", 1) is None
    assert cache.add("k", 1) is False
    assert cache.has_key("k") is False
    cache.delete("k")
    cache.delete_many(["a"])
    with pytest.raises(ValueError):
        cache.incr("k")


@override_settings(CACHES=AWAY)
def test_login_throttling_does_not_fail_while_redis_is_away():
    throttle.record_failure("login", "a@example.org", window_seconds=60)
    assert throttle.is_blocked("login", "a@example.org", limit=1) is False


@override_settings(CACHES=PLAIN)
def test_django_s_own_redis_cache_would_fail_the_page():
    from redis.exceptions import ConnectionError

    with pytest.raises(ConnectionError):
        caches["default"].get("k")


@pytest.mark.django_db
@override_settings(CACHES=AWAY)
def test_readyz_names_the_cache_while_redis_is_away(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["cache"]
