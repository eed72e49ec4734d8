"""What /healthz and /readyz look at: the database, the shared cache and the task workers."""

import datetime

from django.core.cache import cache
from django.db import DatabaseError, connection
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from ungkultur.core.tasks import worker_heartbeat

OK = "ok"


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return "unavailable"
    return OK


def check_cache() -> str:
    # Any error counts: Redis' client raises its own ConnectionError, not Django's.
    try:
        cache.set("readyz:probe", OK, 10)
        return OK if cache.get("readyz:probe") == OK else "not storing"
    except Exception:
        return "unavailable"


def check_worker(*, now: datetime.datetime, max_age: int) -> str:
    """OK when a worker started a task within ``max_age`` seconds.

    When no heartbeat waits in the queue (the first probe after a deploy, or a chain broken by an
    outage) one is queued, so a live worker turns this OK within its polling interval.
    """
    if not isinstance(task_backends["default"], DatabaseBackend):
        return "not used"
    started = DBTaskResult.objects.filter(started_at__gte=now - datetime.timedelta(seconds=max_age))
    if started.exists():
        return OK
    # A heartbeat left RUNNING by a killed worker does not count as waiting.
    waiting = DBTaskResult.objects.filter(task_path=worker_heartbeat.module_path, status="READY")
    if not waiting.exists():
        worker_heartbeat.enqueue()
    return f"no task started in {max_age} s"


def readiness(*, now: datetime.datetime, max_age: int) -> dict[str, str]:
    checks = {"database": check_database(), "cache": check_cache()}
    checks["worker"] = "not checked"
    if checks["database"] == OK:
        try:
            checks["worker"] = check_worker(now=now, max_age=max_age)
        except DatabaseError:
            checks["worker"] = "unavailable"
    return checks
