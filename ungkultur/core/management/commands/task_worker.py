import logging
import time

from django.db import InterfaceError, OperationalError, connections
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from ungkultur.core.workers import BeatThread

logger = logging.getLogger(__name__)


class Command(DbWorkerCommand):
    help = (
        "Run a database task worker (db_worker's options) that records that it is alive, "
        "queues again the tasks of workers that died, and outlives a database restart "
        "(core/workers.py)."
    )

    def handle(self, *args, **options):
        # Each start is a worker of its own: a worker restarted under the same --worker-id
        # (compose restarts worker1 as worker1) must not keep its dead predecessor's task alive.
        options["worker_id"] = f"{options['worker_id'][:55]}-{get_random_string(8)}"
        beat = BeatThread(options["worker_id"])
        beat.beat_once()  # fails here, at once, if the database cannot be reached
        beat.start()
        try:
            while True:
                try:
                    return super().handle(*args, **options)
                except (OperationalError, InterfaceError) as error:
                    # db_worker stops on any database error while polling (a PostgreSQL
                    # restart); a task it was running has already been recorded.
                    logger.warning("Task worker lost the database (%s); polling again", error)
                    connections.close_all()
                    time.sleep(2)
        finally:
            beat.stop()
            beat.join(timeout=10)  # it closes its database connection as it ends
