"""`make faults`: the production setup's answers to three faults, on this machine, no containers.

Two gunicorn app servers (deploy/gunicorn.conf.py) and two task workers (`manage.py
task_worker`) run against the local PostgreSQL and Redis, in a database of their own
(FAULTS_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/ungkultur_faults). Then:

1. worker: a research export (SPSS, 300,000 responses × 60 items) is ordered; the worker that
   takes it is killed (SIGKILL) while it runs; the other must finish it.
2. database: for two minutes, anonymous survey respondents (code, page, send) and youth
   supporting proposals, through both app servers; PostgreSQL restarts 40 s in. Clients send
   again on 503 or a lost connection, as a browser's user (or the proxy) would. Afterwards every
   code, response and support is counted in the database: none lost, none doubled, no code
   used twice.
3. cache: 30 s of browsing (catalogue, proposals, privacy page) while Redis restarts; every
   request must still be answered 200.

Restarting PostgreSQL and Redis disturbs everyone on the machine: the commands come from
FAULTS_PG_RESTART, FAULTS_REDIS_STOP and FAULTS_REDIS_START (defaults: this machine's main
cluster and Redis). All traffic goes to 127.0.0.1; every loop is bounded in time and tries.
"""

import argparse
import http.client
import json
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_URL = os.environ.get(
    "FAULTS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ungkultur_faults"
)
REDIS_PORT = int(os.environ.get("FAULTS_REDIS_PORT", "6379"))
PG_RESTART = os.environ.get(
    "FAULTS_PG_RESTART", "pg_ctlcluster --skip-systemctl-redirect 15 main restart"
)
REDIS_STOP = os.environ.get("FAULTS_REDIS_STOP", f"redis-cli -p {REDIS_PORT} shutdown nosave")
REDIS_START = os.environ.get(
    "FAULTS_REDIS_START",
    'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" '
    "--appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log",
)
FILES = ROOT / "bench" / "out" / "faults"
PORTS = (8771, 8772)
ENV = {
    **os.environ,
    "DATABASE_URL": DB_URL,
    "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/13",  # 14 and 15: tests, bench
    "DJANGO_SETTINGS_MODULE": "ungkultur.settings",
    "DJANGO_DEBUG": "0",
    "DJANGO_LOG_LEVEL": "WARNING",
    "UNGKULTUR_SURVEY_FILES_DIR": str(FILES / "surveys"),
}
EXPORT_RESPONSES = 300_000
YOUTH, PROPOSALS, CODES = 60, 20, 12_000
TASKS_TABLE = "django_tasks_database_dbtaskresult"


# --- Children: Django in a process of its own ---------------------------------------------------


def child(step: str, *args: str) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--child", step, *args],
        env=ENV,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        check=True,
    )
    return json.loads(result.stdout.decode().strip().splitlines()[-1])


def step_setup() -> dict:
    """Personas, a survey with a wave of 300,000 responses to export and an open wave to answer,
    youth with sessions (no password hashing) and proposals for them to support."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    import bench.surveys as bench_surveys
    from ungkultur.accounts.models import User
    from ungkultur.participation import services as participation
    from ungkultur.testing import make_personas

    personas = make_personas()
    bench_surveys.FILES = FILES / "bench-surveys"
    bench_surveys.FILES.mkdir(parents=True, exist_ok=True)
    bench_surveys.RESPONSES = EXPORT_RESPONSES
    state = bench_surveys.step_survey()
    bench_surveys.step_generate(str(state["big"]))
    sessions = []
    for i in range(YOUTH):
        youth = User.objects.create_user(
            f"ung{i}@faults.example.org",
            None,
            first_name=f"Ung{i}",
            birth_year=2011,
            municipality=personas.arendal,
        )
        session = SessionStore()
        session[SESSION_KEY] = str(youth.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = youth.get_session_auth_hash()
        session.create()
        sessions.append(session.session_key)
    proposals = [
        participation.proposal_create(
            actor=personas.youth_a,
            municipality=personas.arendal,
            title=f"Forslag {i}",
            text="Et lydstudio på klubben, åpent fredager.",
            category="music",
            services=["club"],
            now=timezone.now(),
        ).pk
        for i in range(PROPOSALS)
    ]
    return {
        **state,
        "sessions": sessions,
        "proposals": proposals,
        "municipality": personas.arendal.code,
    }


def step_reset(wave_id: str) -> dict:
    """Before each run: no supports, no responses or codes in the open wave, fresh codes."""
    import bench.surveys as bench_surveys
    from ungkultur.participation.models import ProposalSupport
    from ungkultur.surveys.models import AccessCodeBatch, PendingResponse, Response

    ProposalSupport.objects.all().delete()
    Response.objects.filter(wave_id=int(wave_id)).delete()
    PendingResponse.objects.filter(wave_id=int(wave_id)).delete()
    AccessCodeBatch.objects.filter(wave_id=int(wave_id)).delete()
    bench_surveys.FILES = FILES / "bench-surveys"
    return bench_surveys.step_codes(wave_id, str(CODES))


def step_count(wave_id: str, codes_file: str) -> dict:
    """What the database holds: responses, and which of the given codes are used."""
    from ungkultur.participation.models import ProposalSupport
    from ungkultur.surveys.models import AccessCode, PendingResponse, Response
    from ungkultur.surveys.services import code_hash

    codes = json.loads(Path(codes_file).read_text())
    used = set(
        AccessCode.objects.filter(batch__wave_id=int(wave_id), used=True).values_list(
            "code_hash", flat=True
        )
    )
    return {
        # A response waits as a PendingResponse until its group has n (surveys/services.py).
        "responses": Response.objects.filter(wave_id=int(wave_id)).count()
        + PendingResponse.objects.filter(wave_id=int(wave_id)).count(),
        "used_total": len(used),
        "used": [c for c in codes if code_hash(c) in used],
        "supports": [
            [str(s), p] for s, p in ProposalSupport.objects.values_list("user__email", "proposal")
        ],
    }


def step_export(wave_id: str) -> dict:
    from django.utils import timezone

    from ungkultur.accounts.models import User
    from ungkultur.surveys.exports import research_export_request
    from ungkultur.surveys.models import Wave

    export = research_export_request(
        actor=User.objects.get(email="bench-forsker@example.org"),
        wave=Wave.objects.get(pk=int(wave_id)),
        fmt="sav",
        now=timezone.now(),
    )
    return {"export": export.pk}


STEPS = {"setup": step_setup, "reset": step_reset, "count": step_count, "export": step_export}


# --- Processes -----------------------------------------------------------------------------------


def prepare(keep: bool) -> dict:
    import psycopg

    name = urllib.parse.urlparse(DB_URL).path.lstrip("/")
    admin_url = DB_URL.rsplit("/", 1)[0] + "/postgres"
    port = urllib.parse.urlparse(DB_URL).port or 5432
    state_file = FILES / f"state-{port}-{name}.json"  # sessions and ids of that database
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not (exists and keep and state_file.exists()):
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
            exists = None
    FILES.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"], env=ENV, cwd=ROOT, check=True
    )
    if exists:
        print(f"Reusing database {name}.")
        return json.loads(state_file.read_text())
    started = time.monotonic()
    state = child("setup")
    state_file.write_text(json.dumps(state))
    print(f"Set up in {time.monotonic() - started:.0f} s.")
    return state


class Site:
    """Two app servers and two task workers, with their logs in bench/out/faults/."""

    def __init__(self):
        self.apps = [self._app(port) for port in PORTS]
        self.workers = {f"faults-w{i}": self._worker(f"faults-w{i}") for i in (1, 2)}
        for port in PORTS:
            wait_for(port)

    def _spawn(self, name, args, env=None):
        log = open(FILES / f"{name}.log", "ab")  # noqa: SIM115 (the process keeps it)
        return subprocess.Popen(args, env=env or ENV, cwd=ROOT, stdout=log, stderr=log)

    def _app(self, port):
        env = {**ENV, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2"}
        args = [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"]
        return self._spawn(f"app-{port}", [*args, "ungkultur.wsgi"], env)

    def _worker(self, worker_id):
        args = [sys.executable, "manage.py", "task_worker", "--worker-id", worker_id]
        return self._spawn(worker_id, [*args, "--interval", "0.5", "--no-reload"])

    def kill_worker(self, worker_id):
        self.workers[worker_id].send_signal(signal.SIGKILL)
        self.workers[worker_id].wait()

    def restart_worker(self, worker_id):
        self.workers[worker_id] = self._worker(worker_id)

    def stop(self):
        for process in [*self.apps, *self.workers.values()]:
            process.terminate()
        for process in [*self.apps, *self.workers.values()]:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def wait_for(port, seconds=60):
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"the app server on {port} did not answer")


def shell(command: str) -> float:
    started = time.monotonic()
    subprocess.run(command, shell=True, check=True, capture_output=True)  # noqa: S602
    return time.monotonic() - started


# --- Clients -------------------------------------------------------------------------------------


class Client:
    """One browser: cookies, CSRF header, and sending again on 503 or a lost connection
    (at most 60 times, 0.5 s apart: 30 s, longer than a restart takes)."""

    LOST = (OSError, http.client.HTTPException)

    def __init__(self, port):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = None
        self.retries = 0

    def request(self, method, path, form=None):
        """(status, Location header, whether it was sent more than once)."""
        body = urllib.parse.urlencode(form, doseq=True) if form is not None else None
        for attempt in range(60):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
                if body is not None:
                    headers["Content-Type"] = "application/x-www-form-urlencoded"
                    headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                response.read()
            except self.LOST:
                self.conn = None
            else:
                self._keep_cookies(response)
                if response.status != 503:
                    return response.status, response.getheader("Location", ""), attempt > 0
            self.retries += 1
            time.sleep(0.5)
        raise RuntimeError(f"{method} {path}: no answer in 30 s")

    def _keep_cookies(self, response):
        for header in response.msg.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.accepted, self.unsure, self.refused, self.errors = [], [], [], []
        self.retries = 0

    def add(self, kind, item):
        with self.lock:
            getattr(self, kind).append(item)


def respondent(port, codes: queue.Queue, stop, tally, answers):
    """Answer with one code after another: the code, one page, send."""
    client = Client(port)
    client.request("GET", "/svar/")  # the CSRF cookie
    while time.monotonic() < stop:
        try:
            code = codes.get_nowait()
        except queue.Empty:
            break
        try:
            status, location, _again = client.request(
                "POST", "/svar/", {"code": code, "language": "nb"}
            )
            if status != 302 or not location.endswith("/svar/side/"):
                tally.add("errors", (code, "start", status))
                continue
            status, location, _again = client.request("POST", "/svar/side/", answers(code))
            if status != 302 or not location.endswith("/svar/send/"):
                tally.add("errors", (code, "page", status))
                continue
            status, location, again = client.request("POST", "/svar/send/", {})
            if status == 302 and location.endswith("/svar/takk/"):
                tally.add("accepted", code)
                client.request("GET", "/svar/takk/")
            elif again:
                # The first send may have been stored before its answer was lost: the
                # database tells (the code is used or not).
                tally.add("unsure", code)
            else:
                tally.add("refused", (code, status))
        except RuntimeError as error:
            tally.add("errors", (code, str(error)))
    with tally.lock:
        tally.retries += client.retries


def supporter(port, session, email, proposals, stop, tally):
    """Support each proposal once, one every few seconds."""
    client = Client(port)
    client.cookies["sessionid"] = session
    client.request("GET", f"/forslag/{proposals[0]}/")  # the CSRF cookie
    for pk in proposals:
        if time.monotonic() >= stop:
            break
        try:
            status, location, again = client.request("POST", f"/forslag/{pk}/stott/", {})
        except RuntimeError as error:
            tally.add("errors", ((email, pk), str(error)))
            continue
        if status == 302 and location.endswith(f"/forslag/{pk}/"):
            tally.add("accepted", (email, pk))
        elif again and status == 400:
            tally.add("unsure", (email, pk))  # "you already support it": the first was stored
        else:
            tally.add("refused", ((email, pk), status))
        time.sleep(random.uniform(3, 6))
    with tally.lock:
        tally.retries += client.retries


# --- The faults ----------------------------------------------------------------------------------


def tasks_row(conn, export_path="%make_research_export"):
    return conn.execute(
        f"SELECT status, worker_ids FROM {TASKS_TABLE} WHERE task_path LIKE %s "  # noqa: S608
        "ORDER BY enqueued_at DESC LIMIT 1",
        [export_path],
    ).fetchone()


def fault_worker(site, state) -> dict:
    import psycopg

    export = child("export", str(state["big"]))["export"]
    with psycopg.connect(DB_URL, autocommit=True) as conn:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            row = tasks_row(conn)
            if row and row[0] == "RUNNING":
                break
            time.sleep(0.02)
        else:
            raise SystemExit("no worker took the export")
        victim = row[1][-1].rsplit("-", 1)[0]  # task_worker adds a suffix per start
        site.kill_worker(victim)
        killed = time.monotonic()
        deadline = killed + 240
        while time.monotonic() < deadline:
            status, rows = conn.execute(
                "SELECT status, rows FROM surveys_researchexport WHERE id = %s", [export]
            ).fetchone()
            if status in ("done", "failed", "DONE", "FAILED"):
                break
            time.sleep(0.5)
        task_status, workers = tasks_row(conn)
    site.restart_worker(victim)
    return {
        "killed": victim,
        "export": status,
        "rows": rows,
        "task": task_status,
        "workers": workers,
        "finished_after_kill_s": round(time.monotonic() - killed, 1),
    }


def fault_database(state, seconds, restart_at) -> dict:
    codes_file = FILES / "bench-surveys" / "codes.txt"
    codes: queue.Queue = queue.Queue()
    for code in codes_file.read_text().split():
        codes.put(code)
    likert = [f"p{i:02d}" for i in range(1, 6)]

    def answers(code):
        rng = random.Random(code)
        return {name: str(rng.randint(1, 5)) for name in likert}

    surveys, supports = Tally(), Tally()
    stop = time.monotonic() + seconds
    threads = [
        threading.Thread(target=respondent, args=(PORTS[i % 2], codes, stop, surveys, answers))
        for i in range(12)
    ]
    for i, session in enumerate(state["sessions"]):
        mine = state["proposals"][:]
        random.Random(i).shuffle(mine)
        email = f"ung{i}@faults.example.org"
        args = (PORTS[i % 2], session, email, mine, stop, supports)
        threads.append(threading.Thread(target=supporter, args=args))
    for thread in threads:
        thread.start()
    time.sleep(restart_at)
    restart_seconds = shell(PG_RESTART)
    for thread in threads:
        thread.join()

    sent = [c for c in surveys.accepted] + [c for c in surveys.unsure]
    (FILES / "sent-codes.json").write_text(json.dumps(sent))
    found = child("count", str(state["submit"]), str(FILES / "sent-codes.json"))
    used = set(found["used"])
    stored = {tuple(s) for s in found["supports"]}
    supported = set(supports.accepted) | set(supports.unsure)
    return {
        "restart_s": round(restart_seconds, 1),
        "responses_accepted": len(surveys.accepted),
        "responses_unsure": len(surveys.unsure),
        "responses_stored": found["responses"],
        "responses_lost": len([c for c in sent if c not in used]),
        "responses_doubled": found["responses"] - found["used_total"],
        "codes_used_twice": len(sent) - len(set(sent)),
        "codes_used_not_sent": found["used_total"] - len(used),
        "supports_accepted": len(supports.accepted),
        "supports_unsure": len(supports.unsure),
        "supports_stored": len(found["supports"]),
        "supports_lost": len(supported - stored),
        "supports_unexpected": len(stored - supported),
        "retries": surveys.retries + supports.retries,
        "refused": surveys.refused[:5] + supports.refused[:5],
        "errors": surveys.errors[:5] + supports.errors[:5],
        "refused_count": len(surveys.refused) + len(supports.refused),
        "error_count": len(surveys.errors) + len(supports.errors),
    }


def fault_cache(state, seconds=30, restart_at=10) -> dict:
    paths = [
        f"/kommuner/{state['municipality']}/tilbud/",
        f"/kommuner/{state['municipality']}/tilbud/?age=15",
        f"/kommuner/{state['municipality']}/forslag/",
        f"/forslag/{state['proposals'][0]}/",
        "/personvern/",
    ]
    counts = {"ok": 0, "other": 0, "lost": 0}
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def browse(index):
        n = index
        conn = None
        while time.monotonic() < stop:
            try:
                conn = conn or http.client.HTTPConnection("127.0.0.1", PORTS[n % 2], timeout=30)
                conn.request("GET", paths[n % len(paths)])
                response = conn.getresponse()
                response.read()
                kind = "ok" if response.status == 200 else "other"
                with lock:
                    statuses[response.status] = statuses.get(response.status, 0) + 1
            except (OSError, http.client.HTTPException):
                conn, kind = None, "lost"
            with lock:
                counts[kind] += 1
            n += 8

    threads = [threading.Thread(target=browse, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    time.sleep(restart_at)
    down = time.monotonic()
    shell(REDIS_STOP)
    time.sleep(2)
    shell(REDIS_START)
    readyz = ready_again(down)
    for thread in threads:
        thread.join()
    return {**counts, "statuses": statuses, **readyz}


def ready_again(since) -> dict:
    """How long after the stop /readyz said ok again, and what it said meanwhile."""
    seen = set()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        conn = http.client.HTTPConnection("127.0.0.1", PORTS[0], timeout=5)
        conn.request("GET", "/readyz")
        response = conn.getresponse()
        body = json.loads(response.read())
        if response.status == 200:
            return {
                "readyz_ok_after_s": round(time.monotonic() - since, 1),
                "readyz_failed": sorted(seen),
            }
        seen.update(body["failed"])
        time.sleep(0.2)
    return {"readyz_ok_after_s": None, "readyz_failed": sorted(seen)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="reuse the database set up before")
    parser.add_argument("--seconds", type=float, default=120, help="length of the database fault")
    parser.add_argument("--restart-at", type=float, default=40)
    parser.add_argument(
        "--only", choices=["worker", "database", "cache"], action="append", help="run only these"
    )
    parser.add_argument(
        "--prepare-only", action="store_true", help="set up the database and stop (no faults)"
    )
    args = parser.parse_args()
    only = set(args.only or ["worker", "database", "cache"])
    state = prepare(args.keep)
    if args.prepare_only:
        return
    child("reset", str(state["submit"]))
    site = Site()
    results = {}
    try:
        if "worker" in only:
            results["worker"] = fault_worker(site, state)
            print("worker killed during an export:", json.dumps(results["worker"]), flush=True)
        if "database" in only:
            results["database"] = fault_database(state, args.seconds, args.restart_at)
            print("PostgreSQL restarted:", json.dumps(results["database"]), flush=True)
        if "cache" in only:
            results["cache"] = fault_cache(state)
            print("Redis restarted:", json.dumps(results["cache"]), flush=True)
    finally:
        site.stop()
    (FILES / "results.json").write_text(json.dumps(results, indent=1))
    failed = check(results)
    print("\n" + ("FAILED: " + "; ".join(failed) if failed else "All faults survived."))
    sys.exit(1 if failed else 0)


def check(results) -> list[str]:
    failed = []
    if w := results.get("worker"):
        if (
            w["export"].lower() != "done"
            or len(w["workers"]) < 2
            or w["workers"][-1].rsplit("-", 1)[0] == w["killed"]
        ):
            failed.append("the export was not finished by the other worker")
    if d := results.get("database"):
        for key in [
            "responses_lost", "responses_doubled", "codes_used_twice", "codes_used_not_sent",
            "supports_lost", "supports_unexpected", "refused_count", "error_count",
        ]:  # fmt: skip
            if d[key]:
                failed.append(f"{key} = {d[key]}")
    if c := results.get("cache"):
        if c["other"] or c["lost"]:
            failed.append(f"while Redis restarted: {c['other']} errors, {c['lost']} lost")
    return failed


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        print(json.dumps(STEPS[sys.argv[2]](*sys.argv[3:])))
    else:
        main()
