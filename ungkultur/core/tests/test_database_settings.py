"""SQLite as `make run` uses it: the web server and the task worker share one file."""

import pytest
from django.db import OperationalError, connection
from django.db.backends.sqlite3.base import DatabaseWrapper

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own settings")


@pytest.fixture(autouse=True)
def _files_allowed(django_db_blocker):
    """These connections are to files of the test's own, not to the test database."""
    with django_db_blocker.unblock():
        yield


def file_connection(path, **options):
    """A connection made from the project's settings to a database file (the test database
    lives in memory, where there is no journal to choose)."""
    settings_dict = dict(connection.settings_dict, NAME=str(path))
    settings_dict["OPTIONS"] = {**settings_dict["OPTIONS"], **options}
    return DatabaseWrapper(settings_dict, alias=f"file-{len(options)}")


def pragma(wrapper, name):
    with wrapper.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        return cursor.fetchone()[0]


def test_sqlite_runs_in_wal_mode_with_normal_sync_and_a_busy_timeout(tmp_path):
    db = file_connection(tmp_path / "db.sqlite3")
    try:
        assert pragma(db, "journal_mode") == "wal"
        assert pragma(db, "synchronous") == 1  # NORMAL
        assert pragma(db, "busy_timeout") == 20_000
    finally:
        db.close()


def test_a_transaction_takes_the_write_lock_when_it_begins(tmp_path):
    """Deferred, a transaction that has read and then wants to write fails at once with
    "database is locked" if another writer came first; immediate, it waits at its start."""
    first = file_connection(tmp_path / "db.sqlite3")
    second = file_connection(tmp_path / "db.sqlite3", timeout=0.1)
    try:
        for db in (first, second):
            db.ensure_connection()
        first._start_transaction_under_autocommit()  # what atomic() does on SQLite
        with pytest.raises(OperationalError, match="locked"):
            second._start_transaction_under_autocommit()
    finally:
        first.close()
        second.close()
