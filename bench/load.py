"""`make load`: 200 concurrent mixed users for five minutes (locust, bench/locustfile.py) against
the demo data in a PostgreSQL database of its own, beside the reference view in the same run.

Reports each kind of request's count, failures and p95, the error rate (target 0) and the p95
of all requests (target ≤ 1 s). The database is LOAD_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/ungkultur_load); --keep reuses it. Locust lives in its own
virtualenv (.venv-load, bench/requirements-load.txt). Client and server share this machine.
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_URL = os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ungkultur_load")
OUT = ROOT / "bench" / "out" / "load"
PORT = 8781
LOCUST = ROOT / ".venv-load" / "bin" / "locust"
ENV = {
    **os.environ,
    "DATABASE_URL": DB_URL,
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DJANGO_DEBUG": "0",
    "UNGKULTUR_SURVEY_FILES_DIR": str(OUT / "surveys"),
}
SESSIONS, CODES = 100, 6000


def step_state() -> dict:
    """What the users need: municipalities, offers, youth sessions, proposals, codes."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db.models import Count
    from django.utils import timezone

    from ungkultur.accounts.models import User
    from ungkultur.catalogue.models import Offer
    from ungkultur.municipalities.models import Municipality
    from ungkultur.participation.models import Proposal
    from ungkultur.participation.rules import SUPPORTABLE
    from ungkultur.surveys import services
    from ungkultur.surveys.models import Wave
    from ungkultur.surveys.results import variables_for

    home = (
        Municipality.objects.filter(proposals__status__in=SUPPORTABLE)
        .annotate(n=Count("proposals"))
        .order_by("-n")
        .first()
    )
    sessions = []
    for i in range(SESSIONS):
        email = f"last{i}@load.example.org"  # kept from an earlier run with --keep
        youth = User.objects.filter(email=email).first() or User.objects.create_user(
            email, None, first_name=f"Last{i}", birth_year=2011, municipality=home
        )
        session = SessionStore()
        session[SESSION_KEY] = str(youth.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = youth.get_session_auth_hash()
        session.create()
        sessions.append(session.session_key)
    wave = next(w for w in Wave.objects.all() if w.takes_responses_on(timezone.localdate()))
    codes = []
    while len(codes) < CODES:
        _batch, made = services.code_batch_create(
            actor=None, wave=wave, municipality=home, count=services.MAX_BATCH, now=timezone.now()
        )
        codes += made
    answers = {
        v.name: list(v.codes)
        for v in variables_for(wave.survey.questionnaire)
        if v.kind == "choice"
    }
    offers = Offer.objects.filter(status="published")
    return {
        "municipalities": sorted(set(offers.values_list("unit__municipality__code", flat=True))),
        "offers": list(offers.values_list("pk", flat=True)),
        "sessions": sessions,
        "proposals": list(
            Proposal.objects.filter(municipality=home, status__in=SUPPORTABLE).values_list(
                "pk", flat=True
            )
        ),
        "codes": codes,
        "answers": answers,
    }


def prepare(keep: bool) -> None:
    import psycopg

    name = urllib.parse.urlparse(DB_URL).path.lstrip("/")
    admin_url = DB_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not (exists and keep):
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    OUT.mkdir(parents=True, exist_ok=True)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--verbosity", "0"], env=ENV, cwd=ROOT, check=True)
    if not (exists and keep):
        started = time.monotonic()
        subprocess.run([*manage, "seed_demo"], env=ENV, cwd=ROOT, check=True, capture_output=True)
        print(f"Demo data loaded in {time.monotonic() - started:.0f} s.")
    state = subprocess.run(
        [sys.executable, __file__, "--child"], env=ENV, cwd=ROOT, check=True, capture_output=True
    )
    (OUT / "state.json").write_text(state.stdout.decode().strip().splitlines()[-1])


def serve() -> subprocess.Popen:
    env = {
        **ENV,
        "GUNICORN_BIND": f"127.0.0.1:{PORT}",
        "GUNICORN_WORKERS": "4",
        "GUNICORN_THREADS": "8",
    }
    log = open(OUT / "gunicorn.log", "wb")  # noqa: SIM115 (the process keeps it)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "ungkultur.wsgi"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=log,
    )
    import http.client

    for _ in range(200):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            conn.request("GET", "/bench/reference/")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("gunicorn did not answer")


def report(prefix: Path, users: int, minutes: float) -> bool:
    rows = list(csv.DictReader(open(f"{prefix}_stats.csv")))
    print(f"\n{'request':<16}{'count':>8}{'failed':>8}{'p50 ms':>8}{'p95 ms':>8}{'req/s':>8}")
    for row in rows:
        print(
            f"{row['Name'][:16]:<16}{row['Request Count']:>8}{row['Failure Count']:>8}"
            f"{row['50%']:>8}{row['95%']:>8}{float(row['Requests/s']):>8.1f}"
        )
    total = next(r for r in rows if r["Name"] == "Aggregated")
    reference = next(r for r in rows if r["Name"] == "reference")
    errors = int(total["Failure Count"]) / max(1, int(total["Request Count"]))
    p95 = int(total["95%"])
    print(
        f"\n{users} users for {minutes:g} min: error rate {errors:.2%} (target 0), p95 of all "
        f"requests {p95} ms (target ≤ 1000 ms); the reference view's p95 {reference['95%']} ms "
        "in the same run."
    )
    return errors == 0 and p95 <= 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="reuse the database")
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--minutes", type=float, default=5)
    args = parser.parse_args()
    if not LOCUST.exists():
        raise SystemExit("locust is not installed: make load installs it in .venv-load")
    prepare(args.keep)
    server = serve()
    prefix = OUT / "locust"
    try:
        subprocess.run(
            [
                str(LOCUST),
                "-f",
                "bench/locustfile.py",
                "--headless",
                "--only-summary",
                "-u",
                str(args.users),
                "-r",
                "10",
                "-t",
                f"{int(args.minutes * 60)}s",
                "--host",
                f"http://127.0.0.1:{PORT}",
                "--csv",
                str(prefix),
                "--loglevel",
                "WARNING",
            ],  # fmt: skip
            cwd=ROOT,
            check=False,
            timeout=args.minutes * 60 + 120,
        )
    finally:
        server.terminate()
        server.wait()
    sys.exit(0 if report(prefix, args.users, args.minutes) else 1)


if __name__ == "__main__":
    if sys.argv[1:] == ["--child"]:
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        print(json.dumps(step_state()))
    else:
        main()
