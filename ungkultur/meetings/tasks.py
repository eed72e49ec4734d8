from django.utils import timezone
from django_tasks import task

from ungkultur.core.tasks import retry_transient
from ungkultur.meetings.services import event_answers_purge


@task()
@retry_transient
def purge_event_answers() -> int:
    """Delete sensitive registration answers of ended events (store the minimum)."""
    return event_answers_purge(now=timezone.now())
