"""Background work of enrolment: large imports (``import_jobs``)."""

from django_tasks import task


@task()
def run_enrolment_import(*, job_id: int) -> str:
    """Import an uploaded file kept in an ImportJob; the file is deleted when it ends. Not
    retried on its own: an import that fails has written nothing, and staff upload again."""
    from ungkultur.enrolment.import_jobs import import_job_run

    return import_job_run(job_id)
