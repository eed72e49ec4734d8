"""`python bench/report.py`: Oslo's council report as a PDF (§6 of the design: a municipality's
report in at most 10 s), beside a reference measured in the same run: WeasyPrint laying out a
plain document of as many pages (text and one table a page), the floor of any PDF that long.

It builds a synthetic nation (`generate_national --scale`, default 0.2; Oslo is the largest
municipality at every scale) in its own PostgreSQL database (BENCH_REPORT_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/ungkultur_bench_report), makes every municipality a KK
municipality (the KK medians then read them all: the worst case) and computes the indicators.
--keep reuses the database. The machine is shared and noisy: read the ratio beside the seconds.
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
    "BENCH_REPORT_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ungkultur_bench_report"
)
ENV = {**os.environ, "DATABASE_URL": DB_URL, "DJANGO_SETTINGS_MODULE": "bench.settings"}
TODAY = "2026-11-20"
TARGET_SECONDS = 10


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], env=ENV, cwd=ROOT, check=True)


def prepare(keep: bool, scale: float) -> bool:
    """A fresh (or kept) database with the nation; True when it must still be computed."""
    import psycopg

    name = urllib.parse.urlparse(DB_URL).path.lstrip("/")
    admin_url = DB_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and keep:
            print(f"Reusing database {name} (migrated to this code).")
            manage("migrate", "--verbosity", "0")
            return False
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    started = time.monotonic()
    manage("migrate", "--verbosity", "0")
    manage("generate_national", "--scale", str(scale), "--today", TODAY)
    print(f"Generated the nation at scale {scale} in {time.monotonic() - started:.0f} s.")
    return True


def plain_pdf(pages: int) -> bytes:
    """The reference: a plain document of ``pages`` A4 pages through the same WeasyPrint."""
    from weasyprint import HTML

    text = "Koordinert kulturarbeid for ungdom i kommunen. " * 40
    rows = "".join(
        f"<tr><th>Rad {i}</th><td>{i},0 %</td><td>{i + 1},5 %</td></tr>" for i in range(8)
    )
    page = (
        "<section style='break-after: page'>"
        f"<h2>Side</h2><p>{text}</p><table>{rows}</table></section>"
    )
    return HTML(string=f"<html lang='nb'><body>{page * pages}</body></html>").write_pdf(
        pdf_tags=True
    )


def measure(compute: bool, repeat: int) -> float:
    os.environ.update({"DATABASE_URL": DB_URL, "DJANGO_SETTINGS_MODULE": "bench.settings"})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import datetime

    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone
    from pypdf import PdfReader

    from ungkultur.accounts.models import User
    from ungkultur.indicators.services import indicators_refresh
    from ungkultur.lib.terms import Term, terms_before
    from ungkultur.municipalities.models import Municipality
    from ungkultur.organisations.models import NationalRole

    if compute:
        Municipality.objects.update(kk_active=True)
        terms = terms_before(Term.containing(datetime.date.fromisoformat(TODAY)), 10)
        started = time.perf_counter()
        indicators_refresh(terms=terms, now=timezone.now())
        print(f"Computed every indicator in {time.perf_counter() - started:.0f} s.")

    user, _created = User.objects.get_or_create(
        email="bench.rapport@example.invalid", defaults={"first_name": "Bench"}
    )
    NationalRole.objects.get_or_create(
        user=user, role="coordinator", defaults={"start": datetime.date(2020, 1, 1)}
    )
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user)
    oslo = Municipality.objects.get(code="0301")
    url = reverse("indicators:report_pdf", args=[oslo.code])
    times, cpu, pdf = [], [], b""
    for _ in range(repeat):
        cache.clear()
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        assert response.status_code == 200, response.content[:200]
        pdf = response.content
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    reference, reference_cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        plain_pdf(pages)
        reference.append(time.perf_counter() - started)
        reference_cpu.append(time.process_time() - started_cpu)
    ours, ref = statistics.median(times), statistics.median(reference)
    ours_cpu, ref_cpu = statistics.median(cpu), statistics.median(reference_cpu)
    print(f"\n{'what':<62}{'seconds':>9}{'CPU s':>8}")
    name = f"reference: WeasyPrint, {pages} plain pages (text and a table each)"
    print(f"{name:<62}{ref:>9.2f}{ref_cpu:>8.2f}")
    name = f"report of {oslo.name} as PDF ({pages} pages, {len(pdf) / 1000:.0f} kB)"
    print(f"{name:<62}{ours:>9.2f}{ours_cpu:>8.2f}")
    print(
        f"\n{oslo.name}'s report / reference: {ours / ref:.1f} (CPU {ours_cpu / ref_cpu:.1f}); "
        f"{ours:.1f} s (target ≤ {TARGET_SECONDS} s), median of {repeat}, cache cleared each "
        "time. CPU is this process's (Django and WeasyPrint), not the database's: on a machine "
        "others share, it is the steadier figure."
    )
    return ours


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.2)
    parser.add_argument("--keep", action="store_true", help="reuse the benchmark database")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    compute = prepare(args.keep, args.scale)
    seconds = measure(compute, args.repeat)
    sys.exit(0 if seconds <= TARGET_SECONDS else 1)


if __name__ == "__main__":
    main()
