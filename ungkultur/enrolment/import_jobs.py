"""Imports that run as a task (issue 17): the upload is kept in an ``ImportJob`` row, the task
worker imports it (``tasks.run_enrolment_import``) and reports its progress on the row, and the
file is deleted from the row when the import ends, however it ends."""

import dataclasses
import datetime
import io
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ungkultur.core.services import audit_record
from ungkultur.core.tasks import RETRY_ATTEMPTS, is_transient
from ungkultur.enrolment.importers import (
    EnrolmentImportError,
    ImportNeedsColumns,
    ImportReport,
    enrolments_import,
)
from ungkultur.enrolment.models import ImportJob

logger = logging.getLogger(__name__)

# Finished jobs (their reports) are kept this long; a job the worker never took, too.
KEPT_FOR = datetime.timedelta(days=7)


def import_job_create(
    *, actor, unit, content: bytes, file_name: str, columns: dict, save_columns: bool, now
) -> ImportJob:
    """Keep an upload for the task worker and queue its import (after the commit)."""
    from ungkultur.enrolment.tasks import run_enrolment_import

    with transaction.atomic():
        # The unit's old reports go; an upload the worker never took goes with them.
        ImportJob.objects.filter(unit=unit, requested_at__lt=now - KEPT_FOR).delete()
        job = ImportJob.objects.create(
            unit=unit,
            requested_by=actor,
            requested_at=now,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            file_name=file_name[: ImportJob._meta.get_field("file_name").max_length],
            content=content,
            columns=columns,
            save_columns=save_columns,
        )
        audit_record(
            actor=actor,
            action="enrolment.import_queued",
            obj=unit,
            at=now,
            changes={"job": job.pk, "bytes": len(content)},
        )
        transaction.on_commit(lambda: run_enrolment_import.enqueue(job_id=job.pk))
    return job


def import_job_run(job_id: int) -> str:
    """Import a queued job's file; returns the job's status. All or nothing, as
    ``enrolments_import``: a file with errors leaves the job REJECTED with them."""
    from ungkultur.enrolment import services

    job = ImportJob.objects.select_related("unit__municipality", "requested_by").get(pk=job_id)
    jobs = ImportJob.objects.filter(pk=job.pk)
    # Taken in one statement: a task delivered twice at once imports the file once.
    taken = jobs.filter(status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, attempts=F("attempts") + 1
    )
    if not taken:
        return jobs.values_list("status", flat=True).get()  # taken already

    def progress(stage: str, done: int, total: int) -> None:
        # Outside the import's transaction (importers.enrolments_import): seen at once.
        jobs.update(stage=stage, rows_done=done, rows_total=total)

    outcome: dict | None = {"content": b"", "finished_at": None}
    try:
        with translation.override(job.language or settings.LANGUAGE_CODE):
            try:
                report = enrolments_import(
                    actor=job.requested_by,
                    unit=job.unit,
                    file=io.BytesIO(bytes(job.content)),
                    now=timezone.now(),
                    columns=job.columns,
                    progress=progress,
                )
            except EnrolmentImportError as error:
                if job.save_columns and not isinstance(error, ImportNeedsColumns):
                    # The columns were read as chosen: remembered, as on the upload page.
                    services.import_columns_save(
                        actor=job.requested_by, unit=job.unit, columns=job.columns
                    )
                outcome.update(
                    status=ImportJob.Status.REJECTED,
                    errors=error.errors,
                    errors_total=error.total,
                )
            else:
                if job.save_columns:
                    services.import_columns_save(
                        actor=job.requested_by, unit=job.unit, columns=job.columns
                    )
                outcome.update(
                    status=ImportJob.Status.DONE,
                    report=dataclasses.asdict(report),
                    rows_done=report.rows,
                    rows_total=report.rows,
                )
    except Exception as error:
        if is_transient(error) and job.attempts + 1 < RETRY_ATTEMPTS:
            # A lock (SQLite) or a lost connection: the task runs it again (retry_transient),
            # with the file; nothing was written (the import is one transaction).
            outcome = None
            jobs.update(status=ImportJob.Status.QUEUED, stage="", rows_done=0)
            raise
        logger.exception("Enrolment import job %s failed", job.pk)
        outcome.update(
            status=ImportJob.Status.FAILED,
            errors=[_("Importen stoppet uventet, og ingenting ble lagret. Prøv igjen.")],
            errors_total=1,
        )
        raise
    finally:
        if outcome is not None:
            # The file may name pupils: it is not kept once the import has ended.
            outcome["finished_at"] = timezone.now()
            outcome.setdefault("status", ImportJob.Status.FAILED)
            jobs.update(**outcome)
    return outcome["status"]


def job_report(job: ImportJob) -> ImportReport | None:
    """A finished job's report, to be shown as the upload page shows it."""
    if job.report is None:
        return None
    return ImportReport(**job.report)
