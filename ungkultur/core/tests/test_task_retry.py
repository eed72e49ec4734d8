"""Tasks are tried again after a transient database error, a few times and ever more slowly,
and recorded as failed only then (a refresh that met a locked database was lost before)."""

import pytest
from django.db import OperationalError, ProgrammingError, connection, transaction

from ungkultur.core import tasks
from ungkultur.core.tasks import RETRY_ATTEMPTS, retry_transient


@pytest.fixture
def waits(monkeypatch):
    slept = []
    monkeypatch.setattr(tasks.time, "sleep", slept.append)
    return slept


def failing(times, error):
    calls = []

    @retry_transient
    def work(value):
        calls.append(value)
        if len(calls) <= times:
            raise error
        return value * 2

    return work, calls


@pytest.mark.django_db(transaction=True)  # outside any transaction, as in the worker
def test_a_locked_database_is_tried_again_with_growing_waits(waits):
    work, calls = failing(2, OperationalError("database is locked"))
    assert work(21) == 42
    assert calls == [21, 21, 21]
    assert waits == [0.5, 1.0]


@pytest.mark.django_db(transaction=True)  # outside any transaction, as in the worker
def test_it_gives_up_after_the_limit(waits):
    work, calls = failing(99, OperationalError("database is locked"))
    with pytest.raises(OperationalError):
        work(1)
    assert len(calls) == RETRY_ATTEMPTS == 5
    assert waits == [0.5, 1.0, 2.0, 4.0]


@pytest.mark.parametrize(
    "error", [ProgrammingError("relation x does not exist"), ValueError("bad")]
)
def test_other_errors_fail_at_once(waits, error):
    work, calls = failing(1, error)
    with pytest.raises(type(error)):
        work(1)
    assert calls == [1]
    assert waits == []


@pytest.mark.django_db
def test_nothing_is_retried_inside_a_callers_transaction(waits):
    work, calls = failing(1, OperationalError("database is locked"))
    with pytest.raises(OperationalError), transaction.atomic():
        work(1)
    assert calls == [1]


@pytest.mark.django_db(transaction=True)  # outside any transaction, as in the worker
def test_email_is_tried_again_when_the_mail_server_drops_the_connection(waits, monkeypatch):
    sent = []

    def send_mail(subject, body, sender, to):
        sent.append(to)
        if len(sent) == 1:
            raise ConnectionResetError("reset by peer")
        return 1

    monkeypatch.setattr(tasks, "send_mail", send_mail)
    assert tasks.send_email.call(subject="Hei", body="Tekst", to=["a@example.org"]) == 1
    assert sent == [["a@example.org"], ["a@example.org"]]


def test_every_task_of_the_project_is_retried():
    """A task added later without the decorator would lose its work to the first lock again."""
    from django.apps import apps
    from django.utils.module_loading import import_module
    from django_tasks.base import Task

    found = []
    for app in apps.get_app_configs():
        if not app.name.startswith("ungkultur."):
            continue
        try:
            module = import_module(f"{app.name}.tasks")
        except ModuleNotFoundError:
            continue
        found += [value for value in vars(module).values() if isinstance(value, Task)]
    assert len(found) >= 7
    for task in found:
        assert getattr(task.func, "retries_transient_errors", False), task.module_path


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own errors")
def test_sqlite_errors_other_than_a_lock_fail_at_once(waits):
    work, calls = failing(1, OperationalError("no such table: x"))
    with pytest.raises(OperationalError):
        work(1)
    assert calls == [1]
    assert waits == []
