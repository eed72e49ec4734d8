import pytest
from django.core import mail
from django.core.checks import run_checks
from django.core.management import call_command
from django.test import override_settings

from ungkultur.core.models import AuditEntry
from ungkultur.core.selectors import audit_entries_for
from ungkultur.core.services import audit_record
from ungkultur.core.tasks import send_email


@override_settings(
    PRODUCTION=True, SECRET_KEY="development-only-secret-key-never-use-in-production", DEBUG=False
)
def test_production_refuses_the_development_secret_key():
    ids = [e.id for e in run_checks()]
    assert "ungkultur.E001" in ids


@override_settings(PRODUCTION=True, SECRET_KEY="x" * 50, DEBUG=True)
def test_production_refuses_debug():
    ids = [e.id for e in run_checks()]
    assert "ungkultur.E002" in ids
    assert "ungkultur.E001" not in ids


@override_settings(PRODUCTION=True, SECRET_KEY="x" * 50, DEBUG=False, UNGKULTUR_PERSON_REF_KEY="")
def test_production_refuses_a_missing_person_ref_key():
    ids = [e.id for e in run_checks()]
    assert ids.count("ungkultur.E003") == 1
    assert "ungkultur.E001" not in ids


@override_settings(PRODUCTION=False, DEBUG=True)
def test_development_may_run_with_debug():
    ids = [e.id for e in run_checks()]
    assert not {"ungkultur.E001", "ungkultur.E002"} & set(ids)


@pytest.mark.django_db
def test_audit_record_writes_one_row_for_the_object(personas):
    entry = audit_record(
        actor=personas.admin, action="test.changed", obj=personas.arendal, changes={"a": 1}
    )
    assert list(audit_entries_for(personas.arendal)) == [entry]
    assert entry.actor == personas.admin
    assert entry.object_repr == "Arendal"
    assert entry.changes == {"a": 1}


@pytest.mark.django_db(transaction=True)
@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
)
def test_the_database_worker_sends_queued_email():
    """The durable queue: enqueueing stores a row; the worker process picks it up."""
    from django_tasks_db.models import DBTaskResult

    result = send_email.enqueue(subject="Hei", body="Tekst", to=["ungdom@example.org"])
    assert DBTaskResult.objects.filter(id=result.id, status="READY").exists()
    assert mail.outbox == []
    call_command("db_worker", "--batch", "--interval", "0")
    assert DBTaskResult.objects.get(id=result.id).status == "SUCCESSFUL"
    assert [m.to for m in mail.outbox] == [["ungdom@example.org"]]
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_healthz_answers_ok_with_a_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_healthz_answers_503_without_a_database(client, monkeypatch):
    from django.db import DatabaseError, connection

    def broken_cursor(*args, **kwargs):
        raise DatabaseError("down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
