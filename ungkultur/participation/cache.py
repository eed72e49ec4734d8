"""What participation keeps in the cache (Redis in production).

The public proposals page ("Hva skjedde med forslagene?") is public and read far more than
it changes: its list and figures are kept in the cache (Redis in production) per
municipality, language, query and day, for a minute.

Each municipality has a version number in the cache; every change to what the page shows (a
new proposal, a status change, a support) bumps it after commit, so a changed list is never
served from the cache. The day is in the key because a proposal becomes overdue at midnight.
"""

import hashlib
from urllib.parse import urlencode

from django.core.cache import cache
from django.db import transaction

LIST_SECONDS = 60


def _version_key(municipality_id: int) -> str:
    return f"participation:version:{municipality_id}"


def list_key(*, municipality_id: int, language: str, day, query) -> str:
    version = cache.get_or_set(_version_key(municipality_id), 1, None)
    normalised = urlencode(sorted((k, sorted(v)) for k, v in query.lists()), doseq=True)
    digest = hashlib.sha256(normalised.encode()).hexdigest()[:32]
    return f"participation:list:{municipality_id}:{version}:{language}:{day}:{digest}"


def _bump(municipality_id: int) -> None:
    try:
        cache.incr(_version_key(municipality_id))
    except ValueError:  # no version yet: nothing cached to invalidate
        cache.set(_version_key(municipality_id), 2, None)


def proposals_changed(municipality_id: int) -> None:
    """Call inside the transaction that changes what the public proposals page shows."""
    transaction.on_commit(lambda: _bump(municipality_id))


# --- Unread notices: the count beside "Min side" on every page ---------------------------------

# A count read just before another request adds a notice can be stored just after that request
# cleared it; it is then stale until it expires, so it expires soon.
UNREAD_SECONDS = 5 * 60


def _unread_key(user_id: int) -> str:
    return f"participation:unread:{user_id}"


def unread_count(user_id: int, count) -> int:
    """The person's number of unread notices, from the cache or ``count()`` (one query)."""
    return cache.get_or_set(_unread_key(user_id), count, UNREAD_SECONDS)


def notices_changed(user_ids) -> None:
    """Call inside the transaction that adds notices or marks them read."""
    keys = [_unread_key(pk) for pk in user_ids]
    if keys:
        transaction.on_commit(lambda: cache.delete_many(keys))
