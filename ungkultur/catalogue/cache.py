"""The catalogue search is the busiest page there is, and public: its content is kept in the
cache (Redis in production) per municipality, language and query for a minute.

Each municipality has a version number in the cache; every change to what the catalogue shows
(offers, schedules, sessions, cancellations) bumps it after commit, so a changed catalogue is
never served from the cache. The minute covers what changes by itself (the next session).
"""

import hashlib
from urllib.parse import urlencode

from django.core.cache import cache
from django.db import transaction

SEARCH_SECONDS = 60


def cached_municipality(code: str, load):
    """The municipality under its current number ``code``, kept beside the search content.

    A renamed municipality or a new accessibility statement shows after at most a minute;
    an old number is never kept here (it redirects, and ``load`` answers it).
    """
    key = f"catalogue:municipality:{code}"
    municipality = cache.get(key)
    if municipality is None:
        municipality = load(code)
        if municipality.code == code:
            cache.set(key, municipality, SEARCH_SECONDS)
    return municipality


def _version_key(municipality_id: int) -> str:
    return f"catalogue:version:{municipality_id}"


def search_key(*, municipality_id: int, language: str, fragment: bool, query) -> str:
    version = cache.get_or_set(_version_key(municipality_id), 1, None)
    normalised = urlencode(sorted((k, sorted(v)) for k, v in query.lists()), doseq=True)
    digest = hashlib.sha256(normalised.encode()).hexdigest()[:32]
    return f"catalogue:search:{municipality_id}:{version}:{language}:{int(fragment)}:{digest}"


def _bump(municipality_id: int) -> None:
    try:
        cache.incr(_version_key(municipality_id))
    except ValueError:  # no version yet: nothing cached to invalidate
        cache.set(_version_key(municipality_id), 2, None)


def catalogue_changed(municipality_id: int) -> None:
    """Call inside the transaction that changes what a municipality's catalogue shows."""
    transaction.on_commit(lambda: _bump(municipality_id))
