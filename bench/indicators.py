"""`python bench/indicators.py`: every indicator for every municipality and term, and the largest
municipality's dashboard, on PostgreSQL at national scale (README), beside a hand-written
DuckDB query of term-to-term retention over the same data, measured in the same run.

It builds a synthetic nation (`generate_national --scale`, default 1.0: ~1M youth, ~3M
enrolments, ~10M attendance rows) in its own database (BENCH_INDICATORS_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/ungkultur_bench_indicators). --keep reuses it. The machine is
shared and noisy: read the ratios, not the absolute figures.
"""

import argparse
import io
import os
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_URL = os.environ.get(
    "BENCH_INDICATORS_DATABASE_URL",
    "postgres://postgres@127.0.0.1:5432/ungkultur_bench_indicators",
)
ENV = {**os.environ, "DATABASE_URL": DB_URL, "DJANGO_SETTINGS_MODULE": "bench.settings"}
TODAY = "2026-11-20"

# The reference: term-to-term retention as an analyst would write it in DuckDB, straight from the
# enrolment rows (active = overlaps the term; completed, aged_out and moved left out).
REFERENCE = """
WITH terms AS (
    SELECT i AS idx,
        make_date(i // 2, CASE WHEN i % 2 = 1 THEN 8 ELSE 1 END, 1) AS first_day,
        make_date(i // 2, CASE WHEN i % 2 = 1 THEN 12 ELSE 7 END, 31) AS last_day
    FROM range($lo - 1, $hi + 1) r(i)
), enrolments AS (
    SELECT m, kind, p, id, coalesce(nullif(end_reason, ''), 'none') AS reason,
        DATE '1970-01-01' + start AS start_day, DATE '1970-01-01' + "end" AS end_day,
        coalesce("end", 99999999) AS end_key
    FROM src_enrolments WHERE start IS NOT NULL
), active AS (
    SELECT e.m, e.kind, e.p, t.idx, arg_max(e.reason, (e.end_key, e.id)) AS reason
    FROM enrolments e JOIN terms t
        ON e.start_day <= t.last_day AND (e.end_day IS NULL OR e.end_day >= t.first_day)
    GROUP BY ALL
)
SELECT a.m, a.kind, a.idx + 1 AS idx, count(b.p) AS retained,
    count_if(b.p IS NOT NULL OR a.reason NOT IN ('completed', 'aged_out', 'moved')) AS cohort
FROM active a LEFT JOIN active b
    ON b.m = a.m AND b.kind = a.kind AND b.p = a.p AND b.idx = a.idx + 1
WHERE a.idx + 1 BETWEEN $lo AND $hi
GROUP BY ALL
"""


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], env=ENV, cwd=ROOT, check=True)


def prepare(keep: bool, scale: float) -> None:
    import psycopg

    name = urllib.parse.urlparse(DB_URL).path.lstrip("/")
    admin_url = DB_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and keep:
            print(f"Reusing database {name} (migrated to this code).")
            manage("migrate", "--verbosity", "0")
            return
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    started = time.monotonic()
    manage("migrate", "--verbosity", "0")
    manage("generate_national", "--scale", str(scale), "--today", TODAY)
    with psycopg.connect(DB_URL, autocommit=True) as conn:
        conn.execute("ANALYZE")
    print(f"Generated the nation at scale {scale} in {time.monotonic() - started:.0f} s.")


def best(function, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return min(times), result


def measure(repeat: int) -> None:
    os.environ.update({"DATABASE_URL": DB_URL, "DJANGO_SETTINGS_MODULE": "bench.settings"})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import datetime

    from django.core.cache import cache
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone
    from pypdf import PdfReader

    from ungkultur.accounts.models import User
    from ungkultur.indicators.engine import duck, orm
    from ungkultur.indicators.services import indicators_refresh
    from ungkultur.lib.terms import Term, terms_before
    from ungkultur.municipalities.models import Municipality
    from ungkultur.organisations.models import NationalRole

    terms = terms_before(Term.containing(datetime.date.fromisoformat(TODAY)), 10)
    lo, hi = terms[0].index, terms[-1].index

    load_s, tables = best(duck.load, 1)
    print(
        f"\nRead from PostgreSQL into Arrow (COPY): {load_s:.2f} s — "
        f"{tables.enrolments.num_rows:,} enrolments, {tables.population.num_rows:,} population "
        f"cells, {tables.headcounts.num_rows:,} club headcounts, "
        f"{tables.ukm_persons.num_rows:,} UKM persons, {tables.proposals.num_rows:,} proposals"
    )

    def reference():
        db = duck.connect(tables)
        rows = db.execute(REFERENCE, {"lo": lo, "hi": hi}).fetchall()
        db.close()
        return rows

    def ours():
        return duck.published(tables, terms)

    ref_s, ref_rows = best(reference, repeat)
    ours_s, cells = best(ours, repeat)
    compute_s, _db = best(lambda: duck.run(tables, terms).close(), 1)

    largest = Municipality.objects.annotate(n=Count("participants")).order_by("-n").first()
    orm_s, _cells = best(lambda: orm.compute(largest, terms), 1)

    started = time.perf_counter()
    indicators_refresh(terms=terms, now=timezone.now())
    refresh_s = time.perf_counter() - started

    user, _created = User.objects.get_or_create(
        email="bench.koordinator@example.invalid", defaults={"first_name": "Bench"}
    )
    NationalRole.objects.get_or_create(
        user=user, role="coordinator", defaults={"start": datetime.date(2020, 1, 1)}
    )
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user)
    url = reverse("indicators:dashboard", args=[largest.code])
    assert client.get(url).status_code == 200
    cold, warm = [], []
    for _ in range(max(5, repeat)):
        cache.clear()
        started = time.perf_counter()
        response = client.get(url)
        cold.append(time.perf_counter() - started)
        assert response.status_code == 200
        started = time.perf_counter()
        client.get(url)
        warm.append(time.perf_counter() - started)

    pdf_url = reverse("indicators:report_pdf", args=[largest.code])
    pdf_times, pdf_size = [], 0
    for _ in range(3):
        cache.clear()
        started = time.perf_counter()
        response = client.get(pdf_url)
        pdf_times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.content[:200]
        pdf_size = len(response.content)

    print(f"\n{'what':<66}{'seconds':>9}")
    rows = [
        (f"reference: hand-written DuckDB retention ({len(ref_rows):,} rows)", ref_s),
        (
            f"all indicators, all municipalities, {len(terms)} terms ({cells.num_rows:,} cells)",
            ours_s,
        ),
        ("  of which the raw counts (without disclosure control)", compute_s),
        (f"one municipality through the ORM engine ({largest.name})", orm_s),
        ("national refresh: read + compute + store (COPY)", refresh_s),
    ]
    for name, seconds in rows:
        print(f"{name:<66}{seconds:>9.2f}")
    print(
        f"\nall indicators / reference: {ours_s / ref_s:.2f} (target ≤ 1.5); "
        f"all indicators {ours_s:.2f} s (target ≤ 3 s), best of {repeat}, data in memory."
    )
    print(
        f"dashboard of {largest.name} ({largest.code}), computed figures read and rendered: "
        f"median {statistics.median(cold) * 1000:.0f} ms (target ≤ 300 ms); cached: median "
        f"{statistics.median(warm) * 1000:.0f} ms (target ≤ 50 ms); in-process test client."
    )
    from bench.report import plain_pdf

    pages = len(PdfReader(io.BytesIO(response.content)).pages)
    plain = min(best(lambda: plain_pdf(pages), 1)[0] for _ in range(2))
    print(
        f"report of {largest.name} as PDF ({pages} pages, {pdf_size / 1000:.0f} kB), rendered each "
        f"time: median {statistics.median(pdf_times):.1f} s (target ≤ 10 s); WeasyPrint on "
        f"{pages} plain pages {plain:.1f} s in the same run (ratio "
        f"{statistics.median(pdf_times) / plain:.1f})."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="reuse the generated database")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    prepare(args.keep, args.scale)
    measure(args.repeat)


if __name__ == "__main__":
    main()
