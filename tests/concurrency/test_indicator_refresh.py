"""A change shows on the dashboard within a minute with the web process and the task worker
in processes of their own, as `make run` starts them (each with its own memory cache): the
refresh debounce lives in the database both see (indicators/signals.py)."""

import json
import subprocess
import sys

from tests.concurrency.test_concurrent_writers import (  # noqa: F401 (fixtures)
    LIMIT,
    MIGRATE_LIMIT,
    ROOT,
    _env,
    _start,
    _stop,
    _worker_command,
    database_url,
    migrated_file,
)

# The promise: a change shows within a minute. The web process waits a little less.
SHOWN_WITHIN = 50


def test_a_second_change_soon_after_the_first_is_refreshed_by_a_separate_worker(
    tmp_path,
    database_url,  # noqa: F811
):
    env = _env(tmp_path, database_url)
    migrated = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=MIGRATE_LIMIT,
    )
    assert migrated.returncode == 0, migrated.stderr
    started = []
    with open(tmp_path / "worker.log", "w+") as log:
        try:
            _start(_worker_command(), env, log, started)
            web = subprocess.run(
                [sys.executable, "-m", "tests.concurrency.refresh_web", str(SHOWN_WITHIN)],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=3 * SHOWN_WITHIN + LIMIT,
            )
        finally:
            for process in started:
                _stop(process)
        log.seek(0)
        assert web.returncode == 0, (web.stdout, web.stderr[-3000:], log.read()[-3000:])
    waited = json.loads(web.stdout.strip().splitlines()[-1])["waited"]
    assert len(waited) == 2 and max(waited) < SHOWN_WITHIN
