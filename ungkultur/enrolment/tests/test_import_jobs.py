"""Large imports run as a task (issue 17): the upload is kept in an ImportJob, the task imports
it (at once in the tests: test_settings uses the immediate backend), its progress page shows how
far it has come and then the same report as the upload page, only to those who may import for
the unit, and the file is deleted from the job when the import ends."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ungkultur.core.models import AuditEntry
from ungkultur.enrolment import import_jobs, import_views, importers
from ungkultur.enrolment.models import Enrolment, ImportColumns, ImportJob, OfferRef, Participant

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def every_file_is_large(monkeypatch):
    """Every upload goes through the task, as a 75,000-row file does."""
    monkeypatch.setattr(import_views, "INLINE_BYTES", 0)


def upload(name="import_good_comma.csv", content=None):
    content = (DATA / name).read_bytes() if content is None else content
    return SimpleUploadedFile(name, content, content_type="text/csv")


def post(client, user, unit, capture, name="import_good_comma.csv", data=None, content=None):
    client.force_login(user)
    with capture(execute=True):
        return client.post(
            reverse("enrolment:import", args=[unit.pk]),
            {"file": upload(name, content), **(data or {})},
        )


def job_url(job):
    return reverse("enrolment:import_job", args=[job.unit_id, job.pk])


def stored():
    return (OfferRef.objects.count(), Participant.objects.count(), Enrolment.objects.count())


def test_the_tests_run_tasks_at_once():
    assert (
        settings.TASKS["default"]["BACKEND"] == "django_tasks.backends.immediate.ImmediateBackend"
    )


def test_an_upload_becomes_a_job_the_task_imports_and_the_file_is_deleted(
    client, personas, django_capture_on_commit_callbacks
):
    unit = personas.a.kulturskole
    response = post(client, personas.rector_a, unit, django_capture_on_commit_callbacks)

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job_url(job)
    assert job.unit == unit
    assert job.requested_by == personas.rector_a
    assert job.file_name == "import_good_comma.csv"
    assert job.status == ImportJob.Status.DONE
    assert job.finished_at is not None
    assert bytes(job.content) == b""  # the file is not kept once imported
    assert job.report["created"] == 7
    assert (job.rows_done, job.rows_total) == (7, 7)
    assert stored() == (3, 6, 7)
    assert AuditEntry.objects.get(action="enrolment.import_queued").actor == personas.rector_a
    assert AuditEntry.objects.get(action="enrolment.imported").actor == personas.rector_a

    page = client.get(job_url(job))
    assert page.status_code == 200
    assert "Importen er ferdig" in page.text
    assert "7 nye, 0 endret, 0 uendret; 6 nye deltakere; 3 nye tilbud" in page.text
    assert reverse("catalogue:unit_offers", args=[unit.pk]) in page.text
    assert 'hx-trigger="every 1s"' not in page.text
    assert 'http-equiv="refresh"' not in page.text


def test_the_same_file_twice_changes_nothing(client, personas, django_capture_on_commit_callbacks):
    unit = personas.a.kulturskole
    post(client, personas.rector_a, unit, django_capture_on_commit_callbacks)
    post(client, personas.rector_a, unit, django_capture_on_commit_callbacks)

    second = ImportJob.objects.order_by("pk").last()
    assert second.report["created"] == 0
    assert second.report["unchanged"] == 7
    assert "0 nye, 0 endret, 7 uendret." in client.get(job_url(second)).text
    assert stored() == (3, 6, 7)


def test_a_bad_file_imports_nothing_and_lists_every_bad_line(
    client, personas, django_capture_on_commit_callbacks
):
    unit = personas.a.kulturskole
    response = post(
        client, personas.rector_a, unit, django_capture_on_commit_callbacks, "import_bad.csv"
    )

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert job.status == ImportJob.Status.REJECTED
    assert job.errors_total == 15
    assert "Linje 3: person_ref mangler." in job.errors
    assert bytes(job.content) == b""
    assert stored() == (0, 0, 0)
    assert not AuditEntry.objects.filter(action="enrolment.imported").exists()

    page = client.get(job_url(job))
    assert "Ingenting ble importert" in page.text
    assert "Filen har 15 feil, så ingenting ble importert." in page.text
    assert "Linje 17: start_date er før fødselsåret." in page.text
    assert page.text.count("<li>Linje ") == 15
    assert reverse("enrolment:import", args=[unit.pk]) in page.text


def test_a_file_that_cannot_be_read_is_refused_before_it_is_queued(
    client, personas, django_capture_on_commit_callbacks
):
    response = post(
        client,
        personas.rector_a,
        personas.a.kulturskole,
        django_capture_on_commit_callbacks,
        content=b"\xd0\xcf\x11\xe0 old excel",
    )
    assert response.status_code == 400
    assert "Filen er en gammel Excel-fil (.xls)." in response.text
    assert not ImportJob.objects.exists()
    assert stored() == (0, 0, 0)


def test_the_column_step_comes_before_the_queue_and_is_remembered_after(
    client, personas, django_capture_on_commit_callbacks
):
    unit = personas.a.kulturskole
    content = "Nr;År;Gruppe;Dato\nA1;2011;G1;2026-08-20\n".encode()
    response = post(
        client, personas.rector_a, unit, django_capture_on_commit_callbacks, content=content
    )
    assert response.status_code == 400
    assert 'id="column-step"' in response.text
    assert not ImportJob.objects.exists()

    chosen = {
        "column_header": ["nr", "år", "gruppe", "dato"],
        "column_field": ["person_ref", "birth_year", "offer_ref", "start_date"],
    }
    response = post(
        client,
        personas.rector_a,
        unit,
        django_capture_on_commit_callbacks,
        content=content,
        data=chosen,
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert job.status == ImportJob.Status.DONE
    assert job.report["created"] == 1
    assert ImportColumns.objects.get(unit=unit).columns["gruppe"] == "offer_ref"


def test_the_progress_page_shows_the_lines_read_and_polls(client, personas):
    unit = personas.a.kulturskole
    job = ImportJob.objects.create(
        unit=unit,
        requested_by=personas.rector_a,
        requested_at="2026-09-01T10:00+02:00",
        file_name="stor.csv",
        content=b"...",
        status=ImportJob.Status.RUNNING,
        stage=importers.READING,
        rows_done=30000,
        rows_total=75001,
    )
    client.force_login(personas.rector_a)

    page = client.get(job_url(job))
    assert page.status_code == 200
    assert 'max="75001" value="30000"' in page.text
    assert "30000 av 75001 linjer er lest." in page.text
    assert 'hx-trigger="every 1s"' in page.text
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page.text

    part = client.get(job_url(job), headers={"HX-Request": "true"})
    assert part.status_code == 200
    assert part.text.lstrip().startswith('<div id="job-status"')
    assert "<html" not in part.text
    assert 'max="75001" value="30000"' in part.text

    ImportJob.objects.filter(pk=job.pk).update(
        stage=importers.SAVING, rows_done=75000, rows_total=75000
    )
    part = client.get(job_url(job), headers={"HX-Request": "true"})
    assert "Alle 75000 radene er lest og kontrollert." in part.text
    assert 'hx-trigger="every 1s"' in part.text


def test_the_import_tells_its_progress_outside_its_transaction(personas, monkeypatch):
    monkeypatch.setattr(importers, "PROGRESS_EVERY", 3)
    heard = []
    importers.enrolments_import(
        actor=None,
        unit=personas.a.kulturskole,
        file=(DATA / "import_good_comma.csv").open("rb"),
        now=importers.timezone.now(),
        progress=lambda stage, done, total: heard.append((stage, done, total)),
    )
    assert heard == [("reading", 3, 9), ("reading", 6, 9), ("reading", 9, 9), ("saving", 7, 7)]


@pytest.mark.parametrize("who", ["teacher_b", "leader_b", "researcher"])
def test_another_municipality_does_not_find_the_job(
    client, personas, who, django_capture_on_commit_callbacks
):
    post(client, personas.rector_a, personas.a.kulturskole, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    client.force_login(getattr(personas, who))
    assert client.get(job_url(job)).status_code == 404
    assert client.get(job_url(job), headers={"HX-Request": "true"}).status_code == 404


@pytest.mark.parametrize("who", ["youth_a", "coordinator", "guardian_a", "club_worker"])
def test_others_in_the_municipality_may_not_see_the_job(
    client, personas, who, django_capture_on_commit_callbacks
):
    post(client, personas.rector_a, personas.a.kulturskole, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    user = personas.a.club_worker if who == "club_worker" else getattr(personas, who)
    client.force_login(user)
    assert client.get(job_url(job)).status_code == 403


def test_a_job_is_not_found_under_another_unit(
    client, personas, django_capture_on_commit_callbacks
):
    post(client, personas.rector_a, personas.a.kulturskole, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    client.force_login(personas.admin)
    other = reverse("enrolment:import_job", args=[personas.a.club.pk, job.pk])
    assert client.get(other).status_code == 404
    assert client.get(job_url(job)).status_code == 200


def test_the_job_page_needs_a_login(client, personas):
    job = ImportJob.objects.create(
        unit=personas.a.kulturskole, requested_at="2026-09-01T10:00+02:00", content=b"x"
    )
    response = client.get(job_url(job))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_a_task_that_fails_keeps_nothing_and_deletes_the_file(
    client, personas, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(import_jobs, "enrolments_import", broken)
    post(client, personas.rector_a, personas.a.kulturskole, django_capture_on_commit_callbacks)

    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert bytes(job.content) == b""
    assert stored() == (0, 0, 0)
    page = client.get(job_url(job)).text
    assert "Importen stoppet uventet, og ingenting ble lagret. Prøv igjen." in page
    assert "Filen har 1 feil" not in page


def test_a_job_runs_once(personas, django_capture_on_commit_callbacks):
    job = ImportJob.objects.create(
        unit=personas.a.kulturskole,
        requested_at="2026-09-01T10:00+02:00",
        content=(DATA / "import_good_comma.csv").read_bytes(),
    )
    assert import_jobs.import_job_run(job.pk) == ImportJob.Status.DONE
    assert import_jobs.import_job_run(job.pk) == ImportJob.Status.DONE
    assert Enrolment.objects.count() == 7
    assert AuditEntry.objects.filter(action="enrolment.imported").count() == 1


def test_a_job_another_run_took_meanwhile_is_not_imported_again(personas, monkeypatch):
    """Two deliveries of the task read the job as queued; only the one that takes it imports."""
    from types import SimpleNamespace

    job = ImportJob.objects.create(
        unit=personas.a.kulturskole,
        requested_at="2026-09-01T10:00+02:00",
        content=(DATA / "import_good_comma.csv").read_bytes(),
    )
    stale = ImportJob.objects.select_related("unit__municipality", "requested_by").get(pk=job.pk)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)  # the other run
    monkeypatch.setattr(
        ImportJob.objects, "select_related", lambda *fields: SimpleNamespace(get=lambda pk: stale)
    )
    assert import_jobs.import_job_run(job.pk) == ImportJob.Status.RUNNING
    assert Enrolment.objects.count() == 0


def test_small_files_are_still_imported_at_once(client, personas, monkeypatch):
    monkeypatch.setattr(import_views, "INLINE_BYTES", 200 * 1024)
    client.force_login(personas.rector_a)
    response = client.post(
        reverse("enrolment:import", args=[personas.a.kulturskole.pk]), {"file": upload()}
    )
    assert response.status_code == 200
    assert "Importen er ferdig" in response.text
    assert not ImportJob.objects.exists()


@pytest.mark.django_db(transaction=True)  # outside any transaction, as in the worker
def test_a_database_lock_is_tried_again_with_the_file(personas, monkeypatch):
    """The embedded SQLite may be locked for a moment by a request: the import is run again,
    not lost with its file (every task of the project retries transient errors)."""
    from django.db import OperationalError

    from ungkultur.core import tasks as core_tasks
    from ungkultur.enrolment.tasks import run_enrolment_import

    monkeypatch.setattr(core_tasks.time, "sleep", lambda seconds: None)
    real, calls = import_jobs.enrolments_import, []

    def locked_once(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return real(**kwargs)

    monkeypatch.setattr(import_jobs, "enrolments_import", locked_once)
    job = ImportJob.objects.create(
        unit=personas.a.kulturskole,
        requested_at="2026-09-01T10:00+02:00",
        content=(DATA / "import_good_comma.csv").read_bytes(),
    )
    assert run_enrolment_import.call(job_id=job.pk) == ImportJob.Status.DONE
    job.refresh_from_db()
    assert (len(calls), job.attempts, bytes(job.content)) == (2, 2, b"")
    assert Enrolment.objects.count() == 7


@pytest.mark.django_db(transaction=True)
def test_a_lock_that_does_not_go_away_ends_the_job_and_deletes_the_file(personas, monkeypatch):
    from django.db import OperationalError

    from ungkultur.core import tasks as core_tasks
    from ungkultur.enrolment.tasks import run_enrolment_import

    monkeypatch.setattr(core_tasks.time, "sleep", lambda seconds: None)

    def locked(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(import_jobs, "enrolments_import", locked)
    job = ImportJob.objects.create(
        unit=personas.a.kulturskole, requested_at="2026-09-01T10:00+02:00", content=b"a;b\n1;2\n"
    )
    with pytest.raises(OperationalError):
        run_enrolment_import.call(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.attempts, bytes(job.content)) == (
        ImportJob.Status.FAILED,
        core_tasks.RETRY_ATTEMPTS,
        b"",
    )
