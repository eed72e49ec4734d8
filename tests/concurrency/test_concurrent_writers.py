"""Many writers at once against a real server and the task worker as `make run` starts it.

A file database (SQLite by default; PostgreSQL when the suite runs with DATABASE_URL=postgres://
…, in a database of its own made and dropped here), gunicorn and the task worker in processes of
their own, and at the same moment: youth joining an offer, pupils sending a survey, a project
leader answering proposals, guardians confirming (the password hashed for real) and
`indicators --all`. Nothing may answer 5xx, every row must be there exactly once, and the
worker must still be running the tasks afterwards.
"""

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests
from django.conf import settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
CSRF = "c" * 32  # any well-formed secret works, sent as cookie and header alike
LIMIT = 60  # seconds for any one step; a step that hangs fails the test
# Migrating a new database (the whole schema and the 357 municipalities) takes longer on a busy
# 2-core machine running the rest of the suite beside it.
MIGRATE_LIMIT = 300


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(tmp_path, database_url) -> dict:
    """The project's own settings, as `make run` has them, on the given database."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ungkultur.settings",
        "DATABASE_URL": database_url,
        "UNGKULTUR_SURVEY_FILES_DIR": str(tmp_path / "files"),
        "PYTHONUNBUFFERED": "1",
        # Mail to the worker's output, where it is counted.
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    }
    for shared in ("UNGKULTUR_ENV", "REDIS_URL"):  # development settings, a cache of its own
        env.pop(shared, None)
    return env


@pytest.fixture(scope="module")
def migrated_file(tmp_path_factory) -> Path:
    """A migrated SQLite file, made once for the tests here to copy."""
    path = tmp_path_factory.mktemp("migrated") / "db.sqlite3"
    done = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=_env(path.parent, f"sqlite:///{path}"),
        capture_output=True,
        text=True,
        timeout=MIGRATE_LIMIT,
    )
    assert done.returncode == 0, done.stderr
    return path


def _copy(migrated: Path, to: Path) -> str:
    # Through SQLite: committed pages may still be in the write-ahead log beside the file.
    with sqlite3.connect(migrated) as source, sqlite3.connect(to) as target:
        source.backup(target)
    return f"sqlite:///{to}"


@pytest.fixture
def database_url(request, tmp_path):
    """A database of this test's own: a file in its temporary folder, or a PostgreSQL database
    named after the process beside the suite's own."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield _copy(request.getfixturevalue("migrated_file"), tmp_path / "db.sqlite3")
        return
    import psycopg

    name = f"ungkultur_concurrency_{os.getpid()}"
    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def site(tmp_path, database_url):
    """Migrated and filled database, server and worker running; yields what the clients need."""
    env = _env(tmp_path, database_url)

    def manage(*args, timeout=LIMIT, **kwargs):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            **kwargs,
        )

    # PostgreSQL's database is new; a copy of the migrated file is up to date.
    migrated = manage("migrate", "--noinput", timeout=MIGRATE_LIMIT)
    assert migrated.returncode == 0, migrated.stderr
    data_file = tmp_path / "data.json"
    built = subprocess.run(
        [sys.executable, "-m", "tests.concurrency.scenario", "setup", str(data_file)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=LIMIT,
    )
    assert built.returncode == 0, built.stderr
    port = _free_port()
    logs = {name: open(tmp_path / f"{name}.log", "w+") for name in ("server", "worker")}
    base = f"http://127.0.0.1:{port}"
    started = []
    try:
        server = _start(
            # As in production (runserver's listen queue of ten drops a burst of connections).
            [sys.executable, "-m", "gunicorn", "ungkultur.wsgi", "--bind", f"127.0.0.1:{port}"]
            + ["--workers", "2", "--threads", "16", "--timeout", str(LIMIT)],
            env,
            logs["server"],
            started,
        )
        worker = _start(_worker_command(), env, logs["worker"], started)
        _wait_for(lambda: requests.get(f"{base}/healthz", timeout=5).ok)

        def check():
            done = subprocess.run(
                [sys.executable, "-m", "tests.concurrency.scenario", "check", str(data_file)],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=LIMIT,
            )
            assert done.returncode == 0, done.stderr
            return json.loads(done.stdout)

        yield {
            "base": base,
            "data": json.loads(data_file.read_text()),
            "manage": manage,
            "check": check,
            "server": server,
            "worker": worker,
            "logs": logs,
        }
    finally:
        for process in started:
            _stop(process)
        for log in logs.values():
            log.close()


def _start(command, env, log, started) -> subprocess.Popen:
    """A process in a session of its own, so that it ends with all it started."""
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    started.append(process)
    return process


def _stop(process: subprocess.Popen) -> None:
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, None)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _worker_command() -> list[str]:
    """The worker's command and options as `make run` starts it."""
    lines = (ROOT / "Makefile").read_text().splitlines()
    line = next(line for line in lines if line.startswith("WORKER ="))
    return [sys.executable, "manage.py", *line.split("manage.py")[1].split()]


def _wait_for(ready, timeout=LIMIT):
    deadline = time.monotonic() + timeout
    while True:
        try:
            if ready():
                return
        except requests.RequestException:
            pass  # not listening yet, or still loading
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.2)


def _client(session_key=None) -> requests.Session:
    client = requests.Session()
    client.cookies.set("csrftoken", CSRF)
    client.headers["X-CSRFToken"] = CSRF
    if session_key:
        client.cookies.set(settings.SESSION_COOKIE_NAME, session_key)
    return client


def _post(client, base, path, data) -> requests.Response:
    return client.post(base + path, data=data, allow_redirects=False, timeout=LIMIT)


def _flows(site) -> list:
    """One callable per person; each returns the statuses of the requests it made."""
    base, data = site["base"], site["data"]

    def join(joiner):
        path = reverse("enrolment:join", args=[data["offer"]])
        return [_post(_client(joiner["session"]), base, path, {"person": joiner["pk"]})]

    def respond(code):
        """Code, two pages (each posted where the last answer led), then send."""
        client = _client()
        pages = [
            {"kjonn": "1", "alder": "15", "kulturskole": "2"},
            {"fornoyd": "4", "moteplass_inne": "2", "onske": "Mer band"},
        ]
        start = {"code": code, "language": "nb"}
        responses = [_post(client, base, reverse("surveys:answer_start"), start)]
        for answers in pages:
            if responses[-1].status_code != 302:
                return responses
            responses.append(_post(client, base, responses[-1].headers["Location"], answers))
        if responses[-1].status_code == 302:
            responses.append(_post(client, base, reverse("surveys:answer_send"), {}))
        return responses

    def answer(pk):
        path = reverse("participation:proposal_answer", args=[pk])
        posted = {"status": "accepted", "answer": "Ja, vi åpner øvingsrommet på fredager."}
        return [_post(_client(data["leader_session"]), base, path, posted)]

    def confirm(token):
        path = reverse("accounts:guardian_confirm", args=[token])
        password = data["guardian_password"]
        posted = {"password1": password, "password2": password, "accept": "on"}
        return [_post(_client(), base, path, posted)]

    return (
        [lambda j=j: join(j) for j in data["joiners"]]
        + [lambda c=c: respond(c) for c in data["codes"]]
        + [lambda p=p: answer(p) for p in data["proposals"]]
        + [lambda t=t: confirm(t) for t in data["guardian_tokens"]]
    )


def _run_all(site):
    """Every flow and `indicators --all` at the same moment; returns (statuses, errors, rc)."""
    flows = _flows(site)
    start = threading.Barrier(len(flows) + 1)

    def run(flow):
        start.wait()
        try:
            return [r.status_code for r in flow()], None
        except requests.RequestException as error:
            return [], repr(error)

    def indicators():
        start.wait()
        return site["manage"]("indicators", "--all", "--format", "csv")

    with ThreadPoolExecutor(max_workers=len(flows) + 1) as pool:
        command = pool.submit(indicators)
        results = list(pool.map(run, flows))
        refresh = command.result()
    statuses = [status for found, _error in results for status in found]
    errors = [error for _found, error in results if error]
    return statuses, errors, refresh


def test_concurrent_writers_all_succeed_once_and_the_worker_keeps_running(site):
    began = time.monotonic()
    statuses, errors, refresh = _run_all(site)
    server_errors = [s for s in statuses if s >= 500]
    print(
        f"\n{len(statuses)} requests; 5xx: {len(server_errors)}; other failures: {errors}; "
        f"indicators --all: rc {refresh.returncode} {refresh.stderr[-300:]!r}; "
        f"{time.monotonic() - began:.1f} s"
    )
    # The tasks the writes enqueued (indicator refreshes, survey snapshot, e-mails) are done.
    _wait_for(lambda: not {"READY", "RUNNING"} & set(site["check"]()["task_statuses"]))
    found = site["check"]()
    print(found)
    assert server_errors == [] and errors == []
    assert refresh.returncode == 0, refresh.stderr
    data = site["data"]
    joiners, codes = len(data["joiners"]), len(data["codes"])
    proposals, guardians = len(data["proposals"]), len(data["guardian_tokens"])
    # Two places (the workshop's capacity), the others on the waiting list; nobody twice.
    assert found["enrolments"] == found["enrolled_people"] == joiners
    assert found["enrolment_statuses"] == {"active": 2, "waiting": joiners - 2}
    assert found["join_audit_rows"] == joiners
    assert found["responses"] == found["codes_used"] == codes
    assert found["proposal_statuses"] == {"accepted": proposals}
    assert found["answer_events"] == proposals
    assert found["confirmed_guardianships"] == found["guardian_consents"] == guardians
    assert found["guardians_with_password"] == guardians
    # The worker is alive and ran everything: the setup's and the confirmations' e-mails too.
    assert site["worker"].poll() is None
    assert found["task_errors"] == []
    assert set(found["task_statuses"]) == {"SUCCESSFUL"}
    # Per child: the guardian's request to confirm (setup) and the child's "account ready"
    # (confirmation); per proposal: "new proposal" to Arendal's project group, whose only
    # adult member in the personas is the project leader (participation.services._remind).
    assert found["emails_done"] == 2 * guardians + proposals
    site["logs"]["worker"].seek(0)
    assert site["logs"]["worker"].read().count("\nSubject: ") == found["emails_done"]


DYING_LOOP = """
import sys, time
_sleep = time.sleep
def sleep(seconds):
    if "django_tasks_db" in sys._getframe(1).f_code.co_filename:
        raise RuntimeError("the worker's loop dies")
    return _sleep(seconds)
time.sleep = sleep
"""


def test_the_worker_as_make_run_starts_it_exits_when_its_loop_dies(tmp_path, migrated_file):
    """A worker whose loop dies must end its process (so that `make run`'s loop or a supervisor
    starts it again), not live on as an idle reloader whose worker thread has died."""
    (tmp_path / "sitecustomize.py").write_text(DYING_LOOP)  # the loop dies at its first wait
    env = _env(tmp_path, _copy(migrated_file, tmp_path / "db.sqlite3"))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tmp_path), env.get("PYTHONPATH")]))
    with open(tmp_path / "worker.log", "w+") as log:
        worker = _start(_worker_command(), env, log, [])
        try:
            returncode = worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            returncode = None
        finally:
            _stop(worker)  # and a reloader's child, if one is left
        log.seek(0)
        output = log.read()
    assert returncode is not None, "the worker's process lived on after its loop died"
    assert returncode != 0
    assert "the worker's loop dies" in output
