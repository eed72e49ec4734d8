"""`make bench`: the catalogue search page on PostgreSQL under 32 concurrent clients, beside a
reference view (one 50-row query and a template) measured in the same run (the README's benchmarks).

It builds a national-scale catalogue (~50,000 offers, 357 municipalities) in its own database
(BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/ungkultur_bench), serves it with
gunicorn, and prints requests per second and latencies of both, and their ratio. Client and
server share this machine, so read the ratio, not the absolute figures. --keep reuses the data.
"""

import argparse
import http.client
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ungkultur_bench")
PORT = 8765
ENV = {**os.environ, "DATABASE_URL": DB_URL, "DJANGO_SETTINGS_MODULE": "bench.settings"}


def django_python(code: str) -> str:
    setup = "import django; django.setup()\n"
    result = subprocess.run(
        [sys.executable, "-c", setup + code],
        env=ENV,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip()


def prepare(keep: bool) -> None:
    import psycopg

    name = urllib.parse.urlparse(DB_URL).path.lstrip("/")
    admin_url = DB_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not (exists and keep):
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    started = time.monotonic()
    # Also a kept database is brought up to this code's migrations.
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"], env=ENV, cwd=ROOT, check=True
    )
    if exists and keep:
        print(f"Reusing database {name}.")
        return
    count = django_python("from bench.generate import generate; print(generate())")
    django_python("from django.db import connection; connection.cursor().execute('ANALYZE')")
    print(f"Generated {count} offers in {time.monotonic() - started:.0f} s.")


def serve() -> subprocess.Popen:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "ungkultur.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "2",
            "--threads",
            "8",
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
        ],
        env=ENV,
        cwd=ROOT,
    )
    for _ in range(100):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            conn.request("GET", "/bench/reference/")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not answer")


def load(paths, *, seconds: float, clients: int = 32):
    """Each client keeps one connection and requests the paths in turn until time is up."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        mine, n = [], index
        while time.monotonic() < stop:
            started = time.perf_counter()
            conn.request("GET", paths[n % len(paths)])
            response = conn.getresponse()
            response.read()
            mine.append(time.perf_counter() - started)
            if response.status != 200:
                with lock:
                    errors[0] += 1
            n += clients
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ordered = sorted(latencies)
    return {
        "rps": len(ordered) / seconds,
        "p50": statistics.median(ordered) * 1000,
        "p95": ordered[int(len(ordered) * 0.95) - 1] * 1000,
        "errors": errors[0],
    }


def search_paths(n: int = 400) -> list[str]:
    codes = django_python(
        "from ungkultur.municipalities.models import Municipality\n"
        "print(' '.join(Municipality.objects.values_list('code', flat=True)))"
    ).split()
    rng = random.Random(7)
    paths = []
    for _ in range(n):
        query = {"age": rng.randint(8, 19)}
        if rng.random() < 0.5:
            query["category"] = rng.choice(["music", "dance", "theatre", "gaming", "visual_art"])
        if rng.random() < 0.3:
            query["weekday"] = rng.randint(0, 6)
        if rng.random() < 0.2:
            query["free"] = "on"
        paths.append(f"/kommuner/{rng.choice(codes)}/tilbud/?{urllib.parse.urlencode(query)}")
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="reuse the generated database")
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    prepare(args.keep)
    paths = search_paths()
    server = serve()
    try:
        load(["/bench/reference/"], seconds=3)  # warm up both
        load(paths, seconds=3)
        reference = load(["/bench/reference/"], seconds=args.seconds)
        search = load(paths, seconds=args.seconds)
        # A parameter the page ignores makes every request a cache miss: the cost of rendering.
        cold = load([f"{p}&n={n}" for n in range(200) for p in paths], seconds=args.seconds)
    finally:
        server.terminate()
        server.wait()
    print(f"\n{'what':<38}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}")
    for name, r in [
        ("reference: 50-row query + template", reference),
        ("catalogue search page, as served", search),
        ("  the same, every request a miss", cold),
    ]:
        print(f"{name:<38}{r['rps']:>8.0f}{r['p50']:>9.1f}{r['p95']:>9.1f}{r['errors']:>8}")
    ratio = search["rps"] / reference["rps"]
    print(
        f"\nsearch / reference: {ratio:.2f} (target ≥ 0.50); "
        f"search p95 {search['p95']:.0f} ms (target ≤ 150 ms); 32 clients, 2 gunicorn workers "
        "× 8 threads, client and server on this machine.\n'As served' keeps the catalogue's "
        "content in the Redis cache for a minute (invalidated on every change); without it "
        f"(every request a miss) the page makes {cold['rps'] / reference['rps']:.2f} "
        "of the reference."
    )


if __name__ == "__main__":
    main()
