"""/readyz, /metrics and the worker heartbeat (docs/deployment.md)."""

import datetime
import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ungkultur.core.tasks import worker_heartbeat

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
HEARTBEAT = worker_heartbeat.module_path


def _heartbeats(status):
    return DBTaskResult.objects.filter(task_path=HEARTBEAT, status=status)


@pytest.mark.django_db
def test_readyz_is_ok_with_database_and_cache_when_tasks_run_in_process(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "failed": [],
        "checks": {"database": "ok", "cache": "ok", "worker": "not used"},
    }
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_names_the_database_when_it_is_down(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise DatabaseError("down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["database", "worker"]
    assert response.json()["checks"]["worker"] == "not checked"


@pytest.mark.django_db
def test_readyz_names_the_cache_when_it_is_down(client, monkeypatch):
    from django.core.cache import cache

    def refuse(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379")

    monkeypatch.setattr(cache, "set", refuse)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["cache"]
    assert response.json()["checks"]["cache"] == "unavailable"


@pytest.mark.django_db
def test_readyz_refuses_post(client):
    assert client.post("/readyz").status_code == 405


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS)
def test_readyz_without_a_worker_is_503_and_queues_one_heartbeat(client):
    first = client.get("/readyz")
    second = client.get("/readyz")
    assert first.status_code == second.status_code == 503
    assert second.json()["failed"] == ["worker"]
    assert second.json()["checks"]["worker"] == "no task started in 60 s"
    # The second probe found the first one's heartbeat waiting and queued no other.
    assert _heartbeats("READY").count() == 1


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_readyz_is_ok_once_a_worker_has_run_the_heartbeat(client):
    assert client.get("/readyz").status_code == 503
    call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay", verbosity=0)
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()
    assert response.json()["checks"]["worker"] == "ok"
    # The heartbeat queued its successor a few seconds ahead (so --batch stopped).
    successor = _heartbeats("READY").get()
    assert successor.run_after > timezone.now()
    assert _heartbeats("SUCCESSFUL").count() == 1


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS)
def test_a_worker_that_started_nothing_for_a_minute_is_not_ready(client):
    worker_heartbeat.enqueue()
    DBTaskResult.objects.update(
        status="SUCCESSFUL", started_at=timezone.now() - datetime.timedelta(seconds=61)
    )
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["worker"]


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS)
def test_a_heartbeat_left_running_by_a_killed_worker_does_not_stop_a_new_one(client):
    worker_heartbeat.enqueue()
    DBTaskResult.objects.update(
        status="RUNNING", started_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    client.get("/readyz")
    assert _heartbeats("READY").count() == 1


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_the_heartbeat_deletes_old_heartbeats_and_keeps_one_waiting():
    old = timezone.now() - datetime.timedelta(minutes=11)
    worker_heartbeat.enqueue()
    DBTaskResult.objects.update(status="SUCCESSFUL", started_at=old, finished_at=old)
    worker_heartbeat.enqueue()
    worker_heartbeat.enqueue()  # a second chain, started by two probes at once
    call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay", verbosity=0)
    assert not DBTaskResult.objects.filter(task_path=HEARTBEAT, finished_at__lt=old).exists()
    assert _heartbeats("SUCCESSFUL").count() == 2
    assert _heartbeats("READY").count() == 1


@pytest.mark.django_db
def test_metrics_answer_loopback(client):
    client.get("/healthz")
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    assert "django_http_requests_total_by_view_transport_method_total" in response.text


@pytest.mark.django_db
def test_metrics_answer_a_private_address(client):
    assert client.get("/metrics", REMOTE_ADDR="172.18.0.4").status_code == 200


@pytest.mark.django_db
def test_metrics_refuse_a_public_address(client):
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 403
    assert "django_http" not in response.text


@pytest.mark.django_db
def test_metrics_refuse_what_the_proxy_forwarded(client):
    response = client.get("/metrics", REMOTE_ADDR="172.18.0.2", HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert response.status_code == 403


@pytest.mark.django_db
@override_settings(UNGKULTUR_METRICS_ALLOWED_NETWORKS=["203.0.113.0/24"])
def test_metrics_setting_chooses_who_may_scrape(client):
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403


@pytest.mark.django_db
def test_metrics_refuse_post(client):
    assert client.post("/metrics").status_code == 405


def _log_line(env_overrides, code=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("UNGKULTUR_", "DJANGO_"))}
    env.update(env_overrides, DJANGO_SETTINGS_MODULE="ungkultur.settings")
    code = code or "import logging; logging.getLogger('ungkultur.test').warning('fant %s', 'noe')"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stderr.strip().splitlines()[-1]


def test_production_logs_one_json_object_per_line():
    line = _log_line({"UNGKULTUR_ENV": "production", "DJANGO_SECRET_KEY": "x" * 50})
    record = json.loads(line)
    assert record["level"] == "WARNING"
    assert record["logger"] == "ungkultur.test"
    assert record["message"] == "fant noe"
    assert record["time"]


def test_production_logs_leave_out_the_request_and_its_query_string():
    code = (
        "import logging; from django.test import RequestFactory; "
        "request = RequestFactory().get('/svar/', {'kode': 'ABCDE-23456'}); "
        "logging.getLogger('django.request').warning('Not Found: %s', request.path, "
        "extra={'status_code': 404, 'request': request})"
    )
    line = _log_line({"UNGKULTUR_ENV": "production", "DJANGO_SECRET_KEY": "x" * 50}, code)
    record = json.loads(line)
    assert record["message"] == "Not Found: /svar/"
    assert record["status_code"] == 404
    assert "request" not in record
    assert "ABCDE" not in line


def test_development_logs_plain_text():
    assert _log_line({}) == "fant noe"


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True)
def test_health_checks_and_metrics_answer_over_plain_http_inside(client):
    """The container's health check and Prometheus do not come through the TLS proxy."""
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/metrics").status_code == 200
    assert client.get("/personvern/").status_code == 301


def test_the_example_environment_lets_the_health_check_and_prometheus_in():
    example = (settings.BASE_DIR / "deploy" / "production.env.example").read_text()
    hosts = next(line for line in example.splitlines() if line.startswith("DJANGO_ALLOWED_HOSTS="))
    assert {"127.0.0.1", "app1", "app2"} <= set(hosts.split("=", 1)[1].split(","))
