from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

from ungkultur.core.tasks import retry_transient
from ungkultur.municipalities.models import Municipality


def pending_key(municipality_id: int) -> str:
    return f"indicators:refresh-pending:{municipality_id}"


@task()
@retry_transient
def refresh_indicators(municipality_id: int) -> str:
    """Recompute one municipality's indicators after a change (enqueued by signals.py)."""
    from ungkultur.indicators.services import indicators_refresh

    # Cleared first: a change made while this runs enqueues another refresh.
    cache.delete(pending_key(municipality_id))
    municipality = Municipality.objects.filter(pk=municipality_id).first()
    if municipality is None:
        return "gone"
    run = indicators_refresh(municipality=municipality, now=timezone.now())
    return run.computed_at.isoformat()
