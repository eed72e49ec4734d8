"""A municipality's public proposals page ("Hva skjedde med forslagene?") with 900 proposals,
paginated, beside the reference view (one 50-row query and a template) in the same run
(the README's benchmarks: target ≥ 0.4 × the reference's requests per second).

It builds its own database (BENCH_PARTICIPATION_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/ungkultur_bench_participation): a small catalogue for the
reference and 900 proposals with supports in one municipality. --keep reuses the data.
Client and server share this machine, so read the ratio, not the absolute figures.
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["BENCH_DATABASE_URL"] = os.environ.get(
    "BENCH_PARTICIPATION_DATABASE_URL",
    "postgres://postgres@127.0.0.1:5432/ungkultur_bench_participation",
)

from bench import run  # noqa: E402 - run.py reads BENCH_DATABASE_URL when imported

MUNICIPALITY = "4203"
PROPOSALS = 900

SEED = f"""
import datetime
from django.db import transaction
from django.utils import timezone
from bench.generate import generate
from ungkultur.accounts.models import User
from ungkultur.catalogue.models import Offer
from ungkultur.municipalities.models import Municipality
from ungkultur.participation.models import Proposal, ProposalSupport

if not Offer.objects.exists():
    generate(offers_total=2000, sessions_per_offer=2)
municipality = Municipality.objects.get(code="{MUNICIPALITY}")
with transaction.atomic():
    Proposal.objects.filter(municipality=municipality).delete()
    youth = [
        User.objects.get_or_create(
            email=f"bench{{n}}@ungkultur.test",
            defaults={{
                "first_name": f"Ung{{n}}", "birth_year": 2010, "municipality": municipality
            }},
        )[0]
        for n in range(20)
    ]
    now = timezone.now()
    statuses = ["submitted", "considering", "accepted", "partly_accepted", "rejected",
                "in_progress", "implemented"]
    rows = []
    for n in range({PROPOSALS}):
        submitted = now - datetime.timedelta(hours=7 * n + 1)
        status = statuses[n % len(statuses)]
        answered = None
        if status not in statuses[:2]:
            answered = submitted + datetime.timedelta(days=5 + n % 40)
        rows.append(Proposal(
            municipality=municipality, author=youth[n % 20], author_name=youth[n % 20].first_name,
            title=f"Forslag nummer {{n}}", text="Et forslag fra ungdom. " * 10,
            category="music", services=["club"], status=status, submitted_at=submitted,
            answer_due=(submitted + datetime.timedelta(days=30)).date(), answered_at=answered,
            answer="Et begrunnet svar. " * 5 if answered else "",
        ))
    Proposal.objects.bulk_create(rows)
    supports = [
        ProposalSupport(proposal=p, user=u, created_at=now)
        for i, p in enumerate(Proposal.objects.filter(municipality=municipality))
        for u in youth[: i % 6]
    ]
    ProposalSupport.objects.bulk_create(supports, ignore_conflicts=True)
from django.db import connection
connection.cursor().execute("ANALYZE")
print(Proposal.objects.filter(municipality=municipality).count())
"""


def prepare(keep: bool) -> None:
    import subprocess
    import time
    import urllib.parse

    import psycopg

    name = urllib.parse.urlparse(run.DB_URL).path.lstrip("/")
    admin_url = run.DB_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not (exists and keep):
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
        env=run.ENV,
        cwd=ROOT,
        check=True,
    )
    count = run.django_python(SEED)
    print(f"{count} proposals ready in {time.monotonic() - started:.0f} s.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="reuse the generated database")
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    prepare(args.keep)
    pages = PROPOSALS // 25
    base = f"/kommuner/{MUNICIPALITY}/forslag/"
    paths = [f"{base}?page={n}" for n in range(1, pages + 1)]
    paths += [f"{base}?status=rejected", f"{base}?status=implemented", base]
    server = run.serve()
    try:
        run.load(["/bench/reference/"], seconds=3)  # warm up both
        run.load(paths, seconds=3)
        reference = run.load(["/bench/reference/"], seconds=args.seconds)
        proposals = run.load(paths, seconds=args.seconds)
        # A parameter the page ignores makes every request a cache miss: the cost of the page.
        sep = lambda p: "&" if "?" in p else "?"  # noqa: E731
        cold = run.load(
            [f"{p}{sep(p)}n={n}" for n in range(300) for p in paths], seconds=args.seconds
        )
    finally:
        server.terminate()
        server.wait()
    print(f"\n{'what':<42}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}")
    for name, r in [
        ("reference: 50-row query + template", reference),
        (f"public proposals page, {PROPOSALS} proposals", proposals),
        ("  the same, every request a miss", cold),
    ]:
        print(f"{name:<42}{r['rps']:>8.0f}{r['p50']:>9.1f}{r['p95']:>9.1f}{r['errors']:>8}")
    ratio = proposals["rps"] / reference["rps"]
    print(
        f"\nproposals / reference: {ratio:.2f} (target ≥ 0.40); 32 clients, 2 gunicorn "
        "workers × 8 threads, client and server on this machine.\n'As served' keeps the list "
        "and the figures in the Redis cache for a minute (invalidated on every change); "
        f"without it (every request a miss: 5 queries) the page makes "
        f"{cold['rps'] / reference['rps']:.2f} of the reference."
    )


if __name__ == "__main__":
    main()
