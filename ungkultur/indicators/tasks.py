from django.utils import timezone
from django_tasks import task

from ungkultur.core.tasks import retry_transient
from ungkultur.municipalities.models import Municipality


@task()
@retry_transient
def refresh_indicators(municipality_id: int) -> str:
    """Recompute one municipality's indicators after a change (enqueued by signals.py)."""
    from ungkultur.indicators.models import RefreshRequest
    from ungkultur.indicators.services import indicators_refresh

    # Taken first, in the database the web processes share: a change made while this runs
    # finds no request waiting and enqueues another refresh.
    RefreshRequest.objects.filter(municipality_id=municipality_id).delete()
    municipality = Municipality.objects.filter(pk=municipality_id).first()
    if municipality is None:
        return "gone"
    run = indicators_refresh(municipality=municipality, now=timezone.now())
    return run.computed_at.isoformat()
