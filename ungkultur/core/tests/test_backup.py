"""deploy/backup.sh and deploy/restore.sh round-trip (docs/deployment.md, "Backups").

PostgreSQL only: run with DATABASE_URL=postgres://… (CI's second pass does).
"""

import json
import subprocess
import uuid
from io import StringIO
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from ungkultur.core.backup import database_fingerprint, directory_fingerprint

pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="backup and restore are PostgreSQL's tools: run with DATABASE_URL=postgres://…",
    ),
    pytest.mark.django_db(transaction=True),
]

DEPLOY = settings.BASE_DIR / "deploy"


def _url(name):
    s = connection.settings_dict
    auth = quote(s["USER"] or "") + (":" + quote(s["PASSWORD"]) if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def _run(*args, env=None):
    return subprocess.run(
        [str(a) for a in args], env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def new_database():
    name = f"ungkultur_restore_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def survey_files(tmp_path):
    root = tmp_path / "surveys"
    (root / "exports").mkdir(parents=True)
    (root / "exports" / "wave-1.parquet").write_bytes(bytes(range(256)) * 40)
    (root / "snapshot.arrow").write_bytes(b"ARROW1" + b"\x00" * 100)
    return root


@pytest.fixture
def media_files(tmp_path):
    """MEDIA_ROOT with a success story's picture (docs/deployment.md, "Uploaded pictures")."""
    root = tmp_path / "media"
    (root / "stories").mkdir(parents=True)
    (root / "stories" / "3f9c0d.webp").write_bytes(b"RIFF" + bytes(range(256)) * 8)
    return root


def _backup(tmp_path, survey_files, media_files=None):
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": _url(connection.settings_dict["NAME"]),
        "UNGKULTUR_SURVEY_FILES_DIR": str(survey_files),
        "UNGKULTUR_MEDIA_ROOT": str(media_files or tmp_path / "no-media"),
    }
    result = _run(DEPLOY / "backup.sh", tmp_path / "backup", env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_a_backup_restores_into_a_new_database_with_every_table_equal(
    personas, tmp_path, survey_files, media_files, new_database
):
    stamp = _backup(tmp_path, survey_files, media_files)
    restored_files = tmp_path / "restored-surveys"
    restored_media = tmp_path / "restored-media"
    result = _run(
        DEPLOY / "restore.sh",
        tmp_path / "backup",
        stamp,
        _url(new_database),
        restored_files,
        restored_media,
    )
    assert result.returncode == 0, result.stderr

    with connection.cursor() as cursor:
        source = database_fingerprint(cursor)
    with psycopg.connect(_url(new_database)) as restored, restored.cursor() as cursor:
        copy = database_fingerprint(cursor)
    assert copy == source
    assert source["accounts_user"][0] > 5
    assert source["municipalities_municipality"][0] >= 357
    assert directory_fingerprint(restored_files) == directory_fingerprint(survey_files)
    assert len(directory_fingerprint(survey_files)) == 2
    # The uploaded pictures too, byte for byte.
    assert directory_fingerprint(restored_media) == directory_fingerprint(media_files)
    assert len(directory_fingerprint(media_files)) == 1


def test_restore_refuses_a_database_that_has_tables(personas, tmp_path, survey_files):
    stamp = _backup(tmp_path, survey_files)
    with connection.cursor() as cursor:
        before = database_fingerprint(cursor)
    result = _run(
        DEPLOY / "restore.sh",
        tmp_path / "backup",
        stamp,
        _url(connection.settings_dict["NAME"]),
        tmp_path / "elsewhere",
        tmp_path / "elsewhere-media",
    )
    assert result.returncode == 1
    assert "already has" in result.stderr
    with connection.cursor() as cursor:
        assert database_fingerprint(cursor) == before


def test_restore_refuses_a_damaged_backup(tmp_path, survey_files, new_database):
    stamp = _backup(tmp_path, survey_files)
    with open(tmp_path / "backup" / f"surveys-{stamp}.tar.gz", "ab") as f:
        f.write(b"x")
    result = _run(
        DEPLOY / "restore.sh",
        tmp_path / "backup",
        stamp,
        _url(new_database),
        tmp_path / "r",
        tmp_path / "rm",
    )
    assert result.returncode != 0
    with psycopg.connect(_url(new_database)) as restored, restored.cursor() as cursor:
        assert database_fingerprint(cursor) == {}


def test_the_fingerprint_tells_a_changed_row(personas):
    with connection.cursor() as cursor:
        before = database_fingerprint(cursor)
        cursor.execute(
            "UPDATE municipalities_municipality SET name = name || '.' WHERE id = %s",
            [personas.arendal.pk],
        )
        after = database_fingerprint(cursor)
    changed = {t for t in before if before[t] != after[t]}
    assert changed == {"municipalities_municipality"}


def test_db_fingerprint_prints_json(personas):
    out = StringIO()
    call_command("db_fingerprint", stdout=out)
    assert json.loads(out.getvalue())["municipalities_municipality"][0] >= 357
