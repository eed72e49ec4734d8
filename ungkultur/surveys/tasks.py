"""Background work of surveys: sent responses moved in groups, columnar snapshots of waves
and research exports."""

import logging

from django.utils import timezone
from django_tasks import task

from ungkultur.core.tasks import retry_transient
from ungkultur.surveys.models import ResearchExport, Wave

logger = logging.getLogger(__name__)


@task()
@retry_transient
def refresh_snapshot(*, wave_id: int) -> dict:
    """Bring a wave's columnar snapshot up to date (after responses change); once is enough.
    Then publish what may be published of it, so the next page need not."""
    from ungkultur.surveys.results import published_frame, snapshot_ensure, variables_for

    wave = Wave.objects.select_related("survey__questionnaire").get(pk=wave_id)
    stamp = snapshot_ensure(wave)
    published_frame(wave, variables_for(wave.survey.questionnaire))
    return stamp


@task()
@retry_transient
def move_pending_responses(*, wave_id: int, leftovers: bool = False) -> int:
    """Move a wave's waiting responses into Response (``services.pending_responses_move``)."""
    from ungkultur.surveys.services import pending_responses_move

    return pending_responses_move(wave_id=wave_id, leftovers=leftovers)


@task()
@retry_transient
def make_research_export(*, export_id: int) -> str:
    """Write a requested research export; a failure is recorded on the export, not lost."""
    from ungkultur.surveys.exports import research_export_write

    export = ResearchExport.objects.select_related("wave__survey__questionnaire").get(pk=export_id)
    if export.status == ResearchExport.Status.DONE:
        return export.status
    export.status = ResearchExport.Status.RUNNING
    export.save(update_fields=["status"])
    try:
        research_export_write(export, now=timezone.now())
    except Exception as error:
        logger.exception("Research export %s failed", export_id)
        export.status = ResearchExport.Status.FAILED
        export.error = f"{type(error).__name__}: {error}"[:2000]
        export.finished_at = timezone.now()
        export.save(update_fields=["status", "error", "finished_at"])
        raise
    return export.status
