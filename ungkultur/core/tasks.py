import datetime
import logging
import smtplib
import time
from functools import wraps

from django.conf import settings
from django.core.mail import send_mail
from django.db import InterfaceError, OperationalError, close_old_connections, connection
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

# A task tried this many times in all, waiting 0.5, 1, 2 and 4 s in between: longer than a
# write lock is held on SQLite or a PostgreSQL failover takes, short enough to hold the worker.
RETRY_ATTEMPTS = 5
RETRY_FIRST_WAIT = 0.5


def is_transient(error: BaseException) -> bool:
    """Whether trying the same work again a moment later may succeed."""
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    if connection.vendor == "sqlite":
        # Other SQLite errors (no such table, disk full) would fail again.
        return "locked" in str(error) or "busy" in str(error)
    # PostgreSQL: a lost connection, a deadlock or a serialization failure.
    return True


def retry_transient(func=None, *, also: tuple[type[BaseException], ...] = ()):
    """Run a task again after a transient database error (or one of ``also``), with a limit
    and a growing wait, instead of recording it as failed for good. Put it under ``@task()``.

    Inside a transaction (a caller's, or the immediate backend's) nothing is retried: the
    transaction is broken and only its owner can roll it back.
    """
    if func is None:
        return lambda f: retry_transient(f, also=also)

    @wraps(func)
    def run(*args, **kwargs):
        wait = RETRY_FIRST_WAIT
        for attempt in range(1, RETRY_ATTEMPTS + 1):
            try:
                return func(*args, **kwargs)
            except Exception as error:
                retry = is_transient(error) or isinstance(error, also)
                if not retry or attempt == RETRY_ATTEMPTS or connection.in_atomic_block:
                    raise
                logger.warning(
                    "Task %s failed (%s), attempt %s of %s; trying again in %s s",
                    func.__name__,
                    error,
                    attempt,
                    RETRY_ATTEMPTS,
                    wait,
                )
            time.sleep(wait)
            wait *= 2
            close_old_connections()  # a lost connection is opened anew

    run.retries_transient_errors = True
    return run


@task()
@retry_transient(
    also=(ConnectionError, TimeoutError, smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected)
)
def send_email(*, subject: str, body: str, to: list[str]) -> int:
    """Send one plain-text e-mail. Texts are rendered by the caller, in the user's language."""
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)


@task()
@retry_transient
def worker_heartbeat() -> None:
    """Show /readyz that a worker takes tasks from the queue.

    django_tasks_db records no polls of its own, only the tasks a worker starts; so this one
    queues its successor a few seconds ahead and a live worker starts one every interval.
    Finished heartbeats are deleted after ten minutes.
    """
    now = timezone.now()
    heartbeats = DBTaskResult.objects.filter(task_path=worker_heartbeat.module_path)
    # Two chains (two first probes at once) merge: the later one sees the other waiting.
    if not heartbeats.filter(status="READY").exists():
        interval = datetime.timedelta(seconds=settings.UNGKULTUR_WORKER_HEARTBEAT_INTERVAL)
        worker_heartbeat.using(run_after=now + interval).enqueue()
    heartbeats.filter(finished_at__lt=now - datetime.timedelta(minutes=10)).delete()
