"""The deployment files (Dockerfile, compose.yaml, deploy/), checked without Docker.

CI has no container engine; these tests read the files as the engine would and hold them to
the promises in docs/deployment.md. `deploy/check.sh` adds `nginx -t` where nginx is installed.
"""

import os
import re
import runpy
from unittest import mock

import yaml
from django.conf import settings

ROOT = settings.BASE_DIR


def _compose():
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_compose_runs_the_documented_services():
    services = _compose()["services"]
    assert set(services) == {
        "db", "redis", "migrate", "app1", "app2", "worker1", "worker2", "proxy"
    }  # fmt: skip


def test_only_the_proxy_is_reachable_from_outside():
    published = {name for name, s in _compose()["services"].items() if s.get("ports")}
    assert published == {"proxy"}


def test_app_servers_and_workers_wait_for_migrations_and_share_the_survey_files():
    services = _compose()["services"]
    for name in ["app1", "app2", "worker1", "worker2"]:
        service = services[name]
        assert service["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert "surveys:/data/surveys" in service["volumes"]
        assert service["environment"]["REDIS_URL"].startswith("redis://redis:")
        assert service["environment"]["DATABASE_URL"].startswith("postgres://")


def test_each_worker_has_its_own_id():
    services = _compose()["services"]
    ids = []
    for name in ["worker1", "worker2"]:
        command = services[name]["command"]
        assert command[:3] == ["python", "manage.py", "task_worker"]
        ids.append(command[command.index("--worker-id") + 1])
    assert len(set(ids)) == 2


def test_the_image_runs_as_an_unprivileged_user_with_pango_and_collected_static_files():
    dockerfile = (ROOT / "Dockerfile").read_text()
    users = re.findall(r"^USER\s+(\S+)", dockerfile, re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}
    assert "libpango-1.0-0" in dockerfile
    assert "collectstatic --noinput" in dockerfile
    assert "UNGKULTUR_ENV=production" in dockerfile


def test_the_image_leaves_out_local_state():
    ignored = (ROOT / ".dockerignore").read_text().split()
    for path in [".venv", "db.sqlite3*", "var", ".git", "deploy/*.env"]:
        assert path in ignored


def _gunicorn_conf():
    # The file sets PROMETHEUS_MULTIPROC_DIR for the server; keep it out of the test process.
    with mock.patch.dict(os.environ, {"GUNICORN_BIND": "127.0.0.1:8123"}):
        conf = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
        conf["environ"] = dict(os.environ)
    return conf


def test_the_app_servers_request_log_names_no_address_and_no_query_string():
    conf = _gunicorn_conf()
    fmt = conf["access_log_format"]
    # h: remote address, q: query string, r: request line, U: path only, a: user agent.
    for atom in ["%(h)s", "%(q)s", "%(r)s", "%(a)s", "%({x-forwarded-for}i)s"]:
        assert atom not in fmt
    assert "%(U)s" in fmt
    assert conf["control_socket_disable"] is True


def test_the_proxy_log_names_no_address_and_no_query_string():
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    log_format = re.search(r"log_format ungkultur[^;]*;", conf, re.DOTALL).group(0)
    for variable in ["$remote_addr", "$request_uri", "$args", "$query_string", '$request"']:
        assert variable not in log_format
    assert '"path":"$uri"' in log_format
    assert "$proxy_add_x_forwarded_for" in conf


def test_the_proxy_keeps_metrics_and_readiness_inside():
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "location = /metrics { return 404; }" in conf
    assert "location = /readyz { return 404; }" in conf


def test_each_app_server_counts_its_metrics_in_a_directory_of_its_own():
    conf = _gunicorn_conf()
    assert conf["environ"]["PROMETHEUS_MULTIPROC_DIR"].endswith("ungkultur-prometheus-8123")
    assert "PROMETHEUS_MULTIPROC_DIR" not in os.environ
    assert "PROMETHEUS_MULTIPROC_DIR" not in (ROOT / "Dockerfile").read_text()


def _dockerfile_env() -> dict:
    dockerfile = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    return dict(re.findall(r"\b(UNGKULTUR_[A-Z_]+)=(\S+)", dockerfile))


def test_every_app_service_keeps_the_uploaded_pictures_on_one_shared_volume():
    compose = _compose()
    assert "media" in compose["volumes"]
    for name in ["migrate", "app1", "app2", "worker1", "worker2"]:
        service = compose["services"][name]
        media_root = service["environment"].get("UNGKULTUR_MEDIA_ROOT")
        # The same path as the image's default, and a named volume mounted there.
        assert media_root == _dockerfile_env()["UNGKULTUR_MEDIA_ROOT"], name
        assert f"media:{media_root}" in service["volumes"], name
    # Not in the read-only code or the temporary file system.
    assert not media_root.startswith(("/app", "/tmp"))


def test_the_backup_and_restore_scripts_take_the_media_directory():
    backup = (ROOT / "deploy" / "backup.sh").read_text()
    assert 'media="${UNGKULTUR_MEDIA_ROOT:?' in backup
    assert 'tar -C "$media" -czf "$dest/media-$stamp.tar.gz" .' in backup
    assert '"media-$stamp.tar.gz" > "$stamp.sha256"' in backup
    restore = (ROOT / "deploy" / "restore.sh").read_text()
    assert 'media="${5:?' in restore
    assert 'tar -C "$media" -xzf "$backup/media-$stamp.tar.gz"' in restore
    docs = (ROOT / "docs" / "deployment.md").read_text()
    assert "does not copy it yet" not in docs
    assert "media-STAMP.tar.gz" in docs
