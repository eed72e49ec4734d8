from functools import partial

from ungkultur.participation import cache
from ungkultur.participation.selectors import unread_count


def notices(request):
    """The number of unread notices beside "Min side", worked out only when a page shows it
    (for someone logged in) and then usually from the cache."""
    user = request.user
    if not user.is_authenticated:
        return {"unread_notices": 0}
    return {"unread_notices": partial(cache.unread_count, user.pk, partial(unread_count, user))}
