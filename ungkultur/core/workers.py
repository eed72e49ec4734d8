"""Task workers that say they are alive, and the tasks of a worker that died.

django_tasks_db marks a task RUNNING when a worker claims it and records nothing more until the
task ends; a worker killed in between (out of memory, a lost machine) leaves it RUNNING for
ever. ``manage.py task_worker`` is db_worker plus a thread that records a ``WorkerBeat`` every
few seconds and hands back to the queue the tasks of workers that have fallen silent. Workers
that never beat (plain ``db_worker``) are left alone: nobody can tell whether they are alive.
"""

import datetime
import logging
import threading

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ungkultur.core.models import WorkerBeat

logger = logging.getLogger(__name__)


def worker_beat(*, worker_id: str, now: datetime.datetime) -> None:
    WorkerBeat.objects.update_or_create(worker_id=worker_id, defaults={"seen_at": now})


def tasks_requeue_orphans(*, now: datetime.datetime) -> list[str]:
    """Put back as READY every RUNNING task whose worker beat once but not for
    ``UNGKULTUR_WORKER_LOST_AFTER`` seconds; returns their ids. Tasks are run again from the
    start, so they must be safe to repeat (ours are: they check what is already done)."""
    silent_since = now - datetime.timedelta(seconds=settings.UNGKULTUR_WORKER_LOST_AFTER)
    beats = dict(WorkerBeat.objects.values_list("worker_id", "seen_at"))
    requeued = []
    with transaction.atomic():
        running = DBTaskResult.objects.filter(status="RUNNING").select_for_update(skip_locked=True)
        for result in running:
            seen = beats.get(result.worker_ids[-1] if result.worker_ids else "")
            if seen is None or seen >= silent_since:
                continue
            result.status = "READY"
            result.started_at = None
            result.save(update_fields=["status", "started_at"])
            requeued.append(str(result.id))
    for task_id in requeued:
        logger.warning("Task %s of a silent worker is queued again", task_id)
    # Beats of workers gone for a day are of no more use.
    WorkerBeat.objects.filter(seen_at__lt=now - datetime.timedelta(days=1)).delete()
    return requeued


class BeatThread(threading.Thread):
    """Beats for ``worker_id`` every ``UNGKULTUR_WORKER_BEAT_SECONDS`` and looks for orphans."""

    def __init__(self, worker_id: str):
        super().__init__(name=f"beat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()
        self.healthy_since: datetime.datetime | None = None

    def beat_once(self) -> list[str]:
        """One beat. Orphans are looked for only once this worker has beaten without a break
        for ``UNGKULTUR_WORKER_LOST_AFTER`` seconds: after the database comes back, the other
        workers get as long to beat again before their tasks count as orphans."""
        now = timezone.now()
        worker_beat(worker_id=self.worker_id, now=now)
        self.healthy_since = self.healthy_since or now
        lost_after = datetime.timedelta(seconds=settings.UNGKULTUR_WORKER_LOST_AFTER)
        if now - self.healthy_since < lost_after:
            return []
        return tasks_requeue_orphans(now=now)

    def run(self):
        while not self.stopped.wait(settings.UNGKULTUR_WORKER_BEAT_SECONDS):
            try:
                self.beat_once()
            except DatabaseError as error:  # the database restarts: try again next time
                logger.warning("Worker beat failed: %s", error)
                self.healthy_since = None
                connection.close()
        connection.close()

    def stop(self):
        self.stopped.set()
