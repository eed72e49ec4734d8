"""`python bench/surveys.py`: a national survey wave (1,000,000 responses × 60 items) on
PostgreSQL, measured beside references in the same run (the README's benchmarks).

- submission: anonymous responses with one-time codes through the real service
  (``surveys.services.response_submit``) from several threads; counted afterwards, none lost
  (target ≥ 300 responses/s);
- the wave's columnar snapshot, read from PostgreSQL with COPY (what a refresh costs);
- all results of the wave with disclosure control: every item's table for all respondents,
  by municipality and by gender (target ≤ 2 s), beside a plain Polars group-by of the same
  tables without suppression;
- research exports from the snapshot: Parquet (target ≤ 3 s) and SPSS .sav (target ≤ 15 s),
  also Stata .dta and CSV, each in a child process whose peak memory (RSS) is read from the
  kernel (target ≤ 2 GB).

It builds its own database (BENCH_SURVEYS_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/ungkultur_bench_surveys); --keep reuses the data. The
machine is shared and noisy: read the ratios.
"""

import argparse
import json
import os
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_URL = os.environ.get(
    "BENCH_SURVEYS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ungkultur_bench_surveys"
)
FILES = ROOT / "bench" / "out" / "surveys"
ENV = {
    **os.environ,
    "DATABASE_URL": DB_URL,
    "DJANGO_SETTINGS_MODULE": "ungkultur.settings",
    "UNGKULTUR_SURVEY_FILES_DIR": str(FILES),
    "DJANGO_LOG_LEVEL": "WARNING",
}
RESPONSES = 1_000_000
LIKERT_ITEMS = 56  # + gender, grade, age, activities = 60 items
CHUNK = 100_000


# --- Children: each step runs in its own process ------------------------------------------------


def child(step: str, *args: str) -> tuple[dict, float]:
    """Run ``step`` in a child process; its JSON result and its peak RSS in MB."""
    process = subprocess.Popen(
        [sys.executable, __file__, "--child", step, *args],
        env=ENV,
        cwd=ROOT,
        stdout=subprocess.PIPE,
    )
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"step {step} failed ({process.returncode})")
    return json.loads(output.decode().strip().splitlines()[-1]), usage.ru_maxrss / 1024


def _setup_django():
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def step_survey() -> dict:
    """The questionnaire (60 items), a wave of a million, and an open wave for submissions."""
    from django.utils import timezone

    from ungkultur.accounts.models import User
    from ungkultur.surveys import services
    from ungkultur.surveys.models import Choice, ChoiceList, Question, Section

    now = timezone.now()
    actor = User.objects.create_user("bench-forsker@example.org", "bench-passord-123")
    questionnaire = services.questionnaire_create(actor=actor, title="Ungdata-benk", now=now)
    section = Section.objects.get(questionnaire=questionnaire)
    for key in ("gender", "grade", "age", "activities"):
        services.question_add_from_bank(actor=actor, section=section, key=key, now=now)
    agree = ChoiceList.objects.create(questionnaire=questionnaire, name="enig5")
    for i, label in enumerate(
        ["Helt uenig", "Litt uenig", "Verken eller", "Litt enig", "Helt enig"]
    ):
        Choice.objects.create(choice_list=agree, value=str(i + 1), label_nb=label, position=i)
    Question.objects.bulk_create(
        Question(
            questionnaire=questionnaire,
            section=section,
            position=10 + i,
            name=f"p{i + 1:02d}",
            type=Question.Type.LIKERT,
            label_nb=f"Påstand {i + 1}",
            choice_list=agree,
        )
        for i in range(LIKERT_ITEMS)
    )
    survey = services.survey_create(
        actor=actor, title="Ungdata-benk", questionnaire=questionnaire, now=now
    )
    big = services.wave_create(
        actor=actor, survey=survey, identifier="nasjonal", title="Nasjonal", now=now
    )
    big = services.wave_open(actor=actor, wave=big, now=now)
    submit = services.wave_create(
        actor=actor, survey=survey, identifier="innsending", title="Innsending", now=now
    )
    submit = services.wave_open(actor=actor, wave=submit, now=now)
    return {"big": big.pk, "submit": submit.pk, "actor": actor.pk}


def step_generate(big_id: str) -> dict:
    """A million responses written with COPY: answers built as JSON text by Polars."""
    import numpy as np
    import polars as pl
    from django.db import connection

    from ungkultur.municipalities.models import Municipality
    from ungkultur.surveys.models import Response, Wave
    from ungkultur.surveys.results import variables_for

    wave = Wave.objects.select_related("survey__questionnaire").get(pk=int(big_id))
    variables = variables_for(wave.survey.questionnaire)
    ids = np.array(Municipality.objects.order_by("pk").values_list("pk", flat=True))
    rng = np.random.default_rng(2026)
    # Municipalities of very different sizes (a Zipf-like spread), so small cells occur.
    weights = 1 / np.arange(1, len(ids) + 1) ** 1.1
    weights /= weights.sum()
    started = time.perf_counter()
    table = Response._meta.db_table
    with connection.cursor() as cursor:
        copy_sql = (
            f"COPY {table} (wave_id, municipality_id, submitted_on, channel, language, answers) "  # noqa: S608
            "FROM STDIN WITH (FORMAT csv)"
        )
        with cursor.cursor.copy(copy_sql) as copy:
            for first in range(0, RESPONSES, CHUNK):
                size = min(CHUNK, RESPONSES - first)
                copy.write(_chunk_csv(rng, variables, ids, weights, size, wave.pk, pl, np))
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")
    return {"seconds": seconds, "rows": RESPONSES}


def _chunk_csv(rng, variables, ids, weights, size, wave_id, pl, np) -> bytes:
    parts = []
    for v in variables:
        skip = rng.random(size) < 0.04  # about 4 % skip each question
        if v.kind == "choice":
            codes = np.array(v.codes)[rng.integers(0, len(v.codes), size)]
            fragment = pl.lit(f'"{v.name}": "') + pl.Series(codes) + pl.lit('"')
        elif v.kind == "number":
            ages = rng.integers(13, 20, size).astype(str)
            fragment = pl.lit(f'"{v.name}": ') + pl.Series(ages)
        else:  # multiple: a random subset of the options
            chosen = rng.random((size, len(v.codes))) < 0.3
            lists = [
                ", ".join(f'"{c}"' for c, on in zip(v.codes, row, strict=True) if on)
                for row in chosen
            ]
            fragment = pl.lit(f'"{v.name}": [') + pl.Series(lists) + pl.lit("]")
        parts.append(pl.when(pl.Series(~skip)).then(fragment).otherwise(None))
    frame = pl.DataFrame({"n": np.arange(size)}).select(
        pl.lit(wave_id).alias("wave_id"),
        pl.Series("municipality_id", rng.choice(ids, size=size, p=weights)),
        pl.lit("2026-10-01").alias("submitted_on"),
        pl.lit("code").alias("channel"),
        pl.Series("language", rng.choice(["nb", "nn", "en"], size=size, p=[0.85, 0.1, 0.05])),
        (pl.lit("{") + pl.concat_str(parts, separator=", ", ignore_nulls=True) + pl.lit("}")).alias(
            "answers"
        ),
    )
    return frame.write_csv(include_header=False).encode()


def step_codes(wave_id: str, count: str) -> dict:
    """One-time codes for the submission run, written to a file (in clear, bench only)."""
    from django.utils import timezone

    from ungkultur.accounts.models import User
    from ungkultur.municipalities.models import Municipality
    from ungkultur.surveys import services
    from ungkultur.surveys.models import AccessCode, PendingResponse, Response, Wave

    wave = Wave.objects.get(pk=int(wave_id))
    actor = User.objects.get(email="bench-forsker@example.org")
    municipalities = list(Municipality.objects.order_by("pk")[:20])
    codes = []
    for i in range((int(count) + services.MAX_BATCH - 1) // services.MAX_BATCH):
        _batch, made = services.code_batch_create(
            actor=actor,
            wave=wave,
            municipality=municipalities[i % len(municipalities)],
            count=services.MAX_BATCH,
            now=timezone.now(),
        )
        codes += made
    if codes:
        (FILES / "codes.txt").write_text("\n".join(codes))
    return {
        "codes": len(codes),
        # Sent responses wait in PendingResponse until their group is moved: stored too.
        "stored": Response.objects.filter(wave=wave).count()
        + PendingResponse.objects.filter(wave=wave).count(),
        "used": AccessCode.objects.filter(batch__wave=wave, used=True).count(),
    }


def step_submit(wave_id: str, threads: str, seconds: str, part: str, parts: str, start: str):
    """Threads submit through the real service, each response with its own one-time code;
    this process takes its share of the codes and starts at the agreed moment."""
    import random
    import threading

    from django.db import connections
    from django.utils import timezone

    from ungkultur.surveys import services
    from ungkultur.surveys.models import Wave

    wave = Wave.objects.select_related("survey__questionnaire").get(pk=int(wave_id))
    codes = (FILES / "codes.txt").read_text().split()[int(part) :: int(parts)]
    today = timezone.localdate()
    structure_answers = _answers_for(wave)
    services.questionnaire_structure(wave.survey.questionnaire)  # warm, as a running server is
    done, errors = [0] * int(threads), [0] * int(threads)
    time.sleep(max(0.0, float(start) - time.time()))
    stop = time.monotonic() + float(seconds)
    lock = threading.Lock()

    def worker(index):
        rng = random.Random(index * 1000 + int(part))
        while time.monotonic() < stop:
            with lock:
                if not codes:
                    break
                code = codes.pop()
            try:
                services.response_submit(
                    wave=wave, answers=structure_answers(rng), code=code, today=today
                )
                done[index] += 1
            except Exception:  # noqa: BLE001 (counted, and compared with the database below)
                errors[index] += 1
        connections.close_all()

    started, cpu = time.perf_counter(), time.process_time()
    workers = [threading.Thread(target=worker, args=(i,)) for i in range(int(threads))]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return {
        "submitted": sum(done),
        "errors": sum(errors),
        "seconds": time.perf_counter() - started,
        "cpu": time.process_time() - cpu,
    }


def _answers_for(wave):
    from ungkultur.surveys.results import variables_for

    variables = variables_for(wave.survey.questionnaire)

    def answers(rng):
        found = {}
        for v in variables:
            if rng.random() < 0.04:
                continue
            if v.kind == "choice":
                found[v.name] = rng.choice(v.codes)
            elif v.kind == "number":
                found[v.name] = rng.randint(13, 19)
            elif v.kind == "multiple":
                found[v.name] = [c for c in v.codes if rng.random() < 0.3]
        return found

    return answers


def step_snapshot(wave_id: str) -> dict:
    from ungkultur.surveys.models import Wave
    from ungkultur.surveys.results import snapshot_write, variables_for

    wave = Wave.objects.select_related("survey__questionnaire").get(pk=int(wave_id))
    variables = variables_for(wave.survey.questionnaire)
    started, cpu = time.perf_counter(), time.process_time()
    stamp = snapshot_write(wave, variables)
    return {
        "seconds": time.perf_counter() - started,
        "cpu": time.process_time() - cpu,
        "rows": stamp["count"],
    }


def step_results(wave_id: str) -> dict:
    """All results with suppression, beside the plain Polars group-by of the same tables."""
    import polars as pl

    from ungkultur.surveys.models import Wave
    from ungkultur.surveys.results import dimensions_for, tables, variables_for, wave_frame

    wave = Wave.objects.select_related("survey__questionnaire").get(pk=int(wave_id))
    variables = variables_for(wave.survey.questionnaire)
    dims = dimensions_for(variables)
    splits = [[], [dims["municipality"]], [dims["gender"]]]

    started = time.perf_counter()
    frame, fresh = wave_frame(wave, variables, refresh=False)
    loaded = time.perf_counter() - started
    protected = []
    started, cpu = time.perf_counter(), time.process_time()
    for split in splits:
        protected += tables(frame, variables, split)
    ours, ours_cpu = time.perf_counter() - started, time.process_time() - cpu

    started, cpu = time.perf_counter(), time.process_time()
    plain = []
    for split in splits:
        keys = [d.column for d in split]
        for v in variables:
            if v.name in keys:  # gender by gender: the split itself
                plain.append(frame.group_by(keys).len())
            elif v.kind == "choice":
                plain.append(frame.group_by([*keys, v.name]).len())
            elif v.kind == "multiple":
                plain.append(
                    frame.select([*keys, v.name]).explode(v.name).group_by([*keys, v.name]).len()
                )
            elif v.kind == "number":
                plain.append(frame.group_by(keys or pl.lit(1)).agg(pl.col(v.name).mean()))
    reference, reference_cpu = time.perf_counter() - started, time.process_time() - cpu

    # The same counts: the unprotected group-by and our table's cells where shown.
    check = frame.group_by(["municipality_id", "p01"]).len()
    by_municipality = [
        t for t in protected if t.dimensions and t.dimensions[0].key == "municipality"
    ]
    p01 = next(t for t in by_municipality if t.variable.name == "p01")
    mismatches = 0
    for municipality_id, code, count in check.iter_rows():
        shown = p01.cells.get((municipality_id, code if code is not None else "__skipped__"))
        if shown is not None and shown != count:
            mismatches += 1
    hidden = sum(value is None for t in protected for value in t.cells.values())
    cells = sum(len(t.cells) for t in protected)
    return {
        "load": loaded,
        "ours": ours,
        "ours_cpu": ours_cpu,
        "reference": reference,
        "reference_cpu": reference_cpu,
        "tables": len(protected),
        "cells": cells,
        "hidden": hidden,
        "mismatches": mismatches,
        "fresh": fresh,
        "rows": frame.height,
    }


def step_export(wave_id: str, fmt: str) -> dict:
    from django.utils import timezone

    from ungkultur.surveys.exports import export_path, research_export_write
    from ungkultur.surveys.models import ResearchExport, Wave

    wave = Wave.objects.select_related("survey__questionnaire").get(pk=int(wave_id))
    export = ResearchExport.objects.create(wave=wave, format=fmt, requested_at=timezone.now())
    started, cpu = time.perf_counter(), time.process_time()
    research_export_write(export, now=timezone.now())
    return {
        "seconds": time.perf_counter() - started,
        "cpu": time.process_time() - cpu,
        "rows": export.rows,
        "mb": export_path(export).stat().st_size / 1e6,
    }


STEPS = {
    "survey": step_survey,
    "codes": step_codes,
    "generate": step_generate,
    "submit": step_submit,
    "snapshot": step_snapshot,
    "results": step_results,
    "export": step_export,
}


# --- The run -------------------------------------------------------------------------------------


def prepare(keep: bool) -> dict:
    import psycopg

    name = urllib.parse.urlparse(DB_URL).path.lstrip("/")
    admin_url = DB_URL.rsplit("/", 1)[0] + "/postgres"
    state_file = FILES / "state.json"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and keep and state_file.exists():
            print(f"Reusing database {name}.")
            return json.loads(state_file.read_text())
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    FILES.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"], env=ENV, cwd=ROOT, check=True
    )
    state, _rss = child("survey")
    generated, _rss = child("generate", str(state["big"]))
    print(
        f"Generated {generated['rows']:,} responses × 60 items with COPY in "
        f"{generated['seconds']:.0f} s."
    )
    state_file.write_text(json.dumps(state))
    return state


def submission(wave: str, processes: int, threads: int, seconds: float) -> dict:
    """Several processes (as app servers are) submit at once; then count what was stored."""
    before, _rss = child("codes", wave, str(int(seconds * 500) + 2000))
    start = time.time() + 8  # every process set up and waiting
    running = [
        subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--child",
                "submit",
                wave,
                str(threads),
                str(seconds),
                str(part),
                str(processes),
                str(start),
            ],
            env=ENV,
            cwd=ROOT,
            stdout=subprocess.PIPE,
        )
        for part in range(processes)
    ]
    results = []
    for process in running:
        output, _err = process.communicate()
        if process.returncode:
            raise SystemExit("a submitting process failed")
        results.append(json.loads(output.decode().strip().splitlines()[-1]))
    after, _rss = child("codes", wave, "0")
    return {
        "submitted": sum(r["submitted"] for r in results),
        "errors": sum(r["errors"] for r in results),
        "seconds": max(r["seconds"] for r in results),
        "cpu": sum(r["cpu"] for r in results),
        "stored": after["stored"] - before["stored"],
        "codes_used": after["used"] - before["used"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="reuse the generated database")
    parser.add_argument("--seconds", type=float, default=20, help="length of the submission run")
    parser.add_argument("--processes", type=int, default=4, help="submitting processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per process")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _setup_django()
        step, *rest = args.child
        print(json.dumps(STEPS[step](*rest)))
        return

    state = prepare(args.keep)
    big = str(state["big"])
    submit = submission(str(state["submit"]), args.processes, args.threads, args.seconds)
    snapshot, snapshot_rss = child("snapshot", big)
    result, result_rss = child("results", big)
    exported = {fmt: child("export", big, fmt) for fmt in ("parquet", "sav", "dta", "csv")}

    rate = submit["submitted"] / submit["seconds"]
    lost = submit["submitted"] - submit["stored"]
    cpu_ms = 1000 * submit["cpu"] / max(submit["submitted"], 1)
    workers = f"{args.processes} processes × {args.threads} threads"
    load = os.getloadavg()[0]
    rows = [
        ("submission, " + workers + ", responses/s", f"{rate:.0f}", "", "≥ 300"),
        (
            "  submitted / stored / codes used / refused",
            f"{submit['submitted']}/{submit['stored']}/{submit['codes_used']}/{submit['errors']}",
            "",
            "none lost",
        ),
        (
            "  app CPU per response, ms (→ responses/s per core)",
            f"{cpu_ms:.1f}",
            f"{1000 / cpu_ms:.0f}/s",
            "",
        ),
        (
            "snapshot from PostgreSQL (COPY), s",
            f"{snapshot['seconds']:.1f}",
            f"{snapshot['cpu']:.1f}",
            "",
        ),
        ("  peak RSS, MB", f"{snapshot_rss:.0f}", "", "≤ 2048"),
        ("read the snapshot (Parquet), s", f"{result['load']:.2f}", "", ""),
        (
            f"all results with suppression ({result['tables']} tables), s",
            f"{result['ours']:.2f}",
            f"{result['ours_cpu']:.2f}",
            "≤ 2",
        ),
        (
            "  reference: plain Polars group-by of the same, s",
            f"{result['reference']:.2f}",
            f"{result['reference_cpu']:.2f}",
            "",
        ),
        ("  ours / reference (wall)", f"{result['ours'] / result['reference']:.2f}", "", ""),
        (
            "  cells hidden / all; shown counts ≠ group-by",
            f"{result['hidden']}/{result['cells']}",
            f"{result['mismatches']}",
            "0",
        ),
        ("  peak RSS, MB", f"{result_rss:.0f}", "", "≤ 2048"),
    ]
    targets = {"parquet": "≤ 3", "sav": "≤ 15", "dta": "", "csv": ""}
    for fmt, (figures, rss) in exported.items():
        rows.append(
            (
                f"export {fmt} ({figures['mb']:.0f} MB), s",
                f"{figures['seconds']:.1f}",
                f"{figures['cpu']:.1f}",
                targets[fmt],
            )
        )
        rows.append(("  peak RSS of the child, MB", f"{rss:.0f}", "", "≤ 2048"))
    print(f"\n{'what':<54}{'wall':>14}{'CPU':>10}{'target':>12}")
    for what, wall, cpu, target in rows:
        print(f"{what:<54}{wall:>14}{cpu:>10}{target:>12}")
    print(
        f"\nSubmission: {lost} lost (submitted − stored), {submit['errors']} refused. Results "
        f"with suppression take {result['ours'] / result['reference']:.2f}× a plain Polars "
        f"group-by of the same tables. Load average at the end: {load:.1f} on "
        f"{os.cpu_count()} cores; client, workers and database share this machine, so the "
        "CPU column (this process's own CPU time) is the steadier figure."
    )


if __name__ == "__main__":
    main()
