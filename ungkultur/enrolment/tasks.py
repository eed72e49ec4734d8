"""Background work of enrolment: large imports (``import_jobs``)."""

from django_tasks import task

from ungkultur.core.tasks import retry_transient


@task()
@retry_transient
def run_enrolment_import(*, job_id: int) -> str:
    """Import an uploaded file kept in an ImportJob; the file is deleted when it ends. A run
    stopped by a database lock has written nothing and is tried again with the file (the job
    counts its attempts); any other failure ends the job, and staff upload again."""
    from ungkultur.enrolment.import_jobs import import_job_run

    return import_job_run(job_id)
