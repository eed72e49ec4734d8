"""The version bump works on the cache production uses: the real Redis server."""

import pytest
import redis
from django.core.cache import caches
from django.http import QueryDict
from django.test import override_settings

from ungkultur.catalogue import cache as catalogue_cache

REDIS_URL = "redis://127.0.0.1:6379/14"


def redis_is_running():
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


@pytest.mark.skipif(not redis_is_running(), reason="needs the Redis server on 127.0.0.1:6379")
@override_settings(
    CACHES={
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
)
def test_a_change_gives_new_keys_in_redis(monkeypatch):
    monkeypatch.setattr(catalogue_cache, "cache", caches["default"])
    caches["default"].clear()
    query = QueryDict("age=13&category=music&category=dance")
    same_query_reordered = QueryDict("category=dance&age=13&category=music")
    key = catalogue_cache.search_key(municipality_id=1, language="nb", fragment=False, query=query)
    assert key == catalogue_cache.search_key(
        municipality_id=1, language="nb", fragment=False, query=same_query_reordered
    )
    catalogue_cache._bump(1)
    assert key != catalogue_cache.search_key(
        municipality_id=1, language="nb", fragment=False, query=query
    )
    other = catalogue_cache.search_key(
        municipality_id=2, language="nb", fragment=False, query=query
    )
    catalogue_cache._bump(1)
    assert other == catalogue_cache.search_key(
        municipality_id=2, language="nb", fragment=False, query=query
    )
    caches["default"].clear()
