"""A killed task worker's task is taken over by a live one (core/workers.py)."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import OperationalError
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ungkultur.core.models import WorkerBeat
from ungkultur.core.tasks import send_email
from ungkultur.core.workers import BeatThread, tasks_requeue_orphans

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _running_task(worker_id, *, seen_seconds_ago=None):
    """A task that ``worker_id`` claimed; its last beat so many seconds ago (None: never)."""
    now = timezone.now()
    result = send_email.enqueue(subject="Hei", body="Tekst", to=[f"{worker_id}@example.org"])
    row = DBTaskResult.objects.get(id=result.id)
    row.claim(worker_id)
    if seen_seconds_ago is not None:
        WorkerBeat.objects.update_or_create(
            worker_id=worker_id,
            defaults={"seen_at": now - datetime.timedelta(seconds=seen_seconds_ago)},
        )
    return row


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS)
def test_a_silent_workers_task_is_queued_again_and_others_are_left_alone():
    dead = _running_task("dead", seen_seconds_ago=31)
    alive = _running_task("alive", seen_seconds_ago=5)
    plain = _running_task("plain-db-worker")  # never beat: nobody knows; leave it

    assert tasks_requeue_orphans(now=timezone.now()) == [str(dead.id)]

    dead.refresh_from_db()
    assert (dead.status, dead.started_at, dead.worker_ids) == ("READY", None, ["dead"])
    assert DBTaskResult.objects.get(id=alive.id).status == "RUNNING"
    assert DBTaskResult.objects.get(id=plain.id).status == "RUNNING"


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_the_other_worker_finishes_a_killed_workers_task():
    task = _running_task("worker1", seen_seconds_ago=120)
    beat = BeatThread("worker2")
    beat.healthy_since = timezone.now() - datetime.timedelta(seconds=31)
    assert beat.beat_once() == [str(task.id)]

    call_command("task_worker", "--batch", "--interval", "0", "--no-startup-delay", verbosity=0)

    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert task.worker_ids[0] == "worker1" and len(task.worker_ids) == 2
    assert [m.to for m in mail.outbox] == [["worker1@example.org"]]


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS)
def test_a_worker_that_just_came_back_waits_before_taking_over():
    """After a database restart every worker's beat is old; the first one back must give the
    others time to beat before it calls their tasks orphans."""
    task = _running_task("worker1", seen_seconds_ago=40)
    beat = BeatThread("worker2")
    assert beat.beat_once() == []
    assert DBTaskResult.objects.get(id=task.id).status == "RUNNING"
    assert WorkerBeat.objects.filter(worker_id="worker2").exists()


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_the_task_worker_keeps_polling_after_losing_the_database(monkeypatch):
    from django_tasks_db.management.commands import db_worker

    calls = []
    original = db_worker.Worker.run

    def run_once_broken(self):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return original(self)

    monkeypatch.setattr(db_worker.Worker, "run", run_once_broken)
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    send_email.enqueue(subject="Hei", body="Tekst", to=["a@example.org"])
    call_command(
        "task_worker", "--batch", "--interval", "0", "--no-startup-delay", "--worker-id", "w1",
        verbosity=0,
    )  # fmt: skip
    assert len(calls) == 2
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert WorkerBeat.objects.filter(worker_id__startswith="w1-").exists()


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_a_worker_restarted_under_the_same_id_does_not_keep_its_predecessors_task():
    """compose restarts a killed worker1 as worker1: its beats must not make the task it
    left RUNNING look alive."""
    args = ["--batch", "--interval", "0", "--no-startup-delay", "--worker-id", "worker1"]
    call_command("task_worker", *args, verbosity=0)
    first = WorkerBeat.objects.get().worker_id
    orphan = _running_task(first, seen_seconds_ago=60)
    call_command("task_worker", *args, verbosity=0)  # the restart; runs nothing (none READY)

    ids = set(WorkerBeat.objects.values_list("worker_id", flat=True))
    assert len(ids) == 2 and all(i.startswith("worker1-") for i in ids)
    assert tasks_requeue_orphans(now=timezone.now()) == [str(orphan.id)]
