"""Background work of surveys: columnar snapshots of waves and research exports."""

from django_tasks import task

from ungkultur.surveys.models import Wave


@task()
def refresh_snapshot(*, wave_id: int) -> dict:
    """Rewrite a wave's columnar snapshot from the database (after responses change)."""
    from ungkultur.surveys.results import snapshot_write

    wave = Wave.objects.select_related("survey__questionnaire").get(pk=wave_id)
    return snapshot_write(wave)
