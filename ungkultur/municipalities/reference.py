"""The reference data: the counties and municipalities of 2024 and the numbers they had before.

Used by the data migration (with the historical models) and by tests that empty the database.
"""

import csv
import datetime
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def _read(name):
    with open(DATA / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load_municipalities(County, Municipality, MunicipalityCode):  # noqa: N803 (model classes)
    """Create what is missing (looked up by number, in a few queries); running it again changes
    nothing."""
    county_rows = _read("counties_2024.csv")
    have = set(County.objects.values_list("code", flat=True))
    County.objects.bulk_create(
        County(code=row["code"], name=row["name"]) for row in county_rows if row["code"] not in have
    )
    counties = {county.code: county for county in County.objects.all()}
    changes = {}
    for row in _read("code_changes.csv"):
        last_day = datetime.date.fromisoformat(row["valid_to_old"])
        changes.setdefault(row["new_code"], []).append((row["old_code"], last_day))
    rows = _read("municipalities_2024.csv")
    have = set(Municipality.objects.values_list("code", flat=True))
    Municipality.objects.bulk_create(
        Municipality(code=row["code"], name=row["name"], county=counties[row["code"][:2]])
        for row in rows
        if row["code"] not in have
    )
    municipalities = {
        m.code: m for m in Municipality.objects.filter(code__in=[row["code"] for row in rows])
    }
    have = set(MunicipalityCode.objects.values_list("code", flat=True))
    missing = []
    for row in rows:
        municipality = municipalities[row["code"]]
        old = sorted(changes.get(row["code"], []), key=lambda change: change[1])
        current_from = old[-1][1] + datetime.timedelta(days=1) if old else None
        numbers = [(row["code"], {"valid_from": current_from})] + [
            (old_code, {"valid_until": last_day + datetime.timedelta(days=1)})
            for old_code, last_day in old
        ]
        for code, period in numbers:
            if code not in have:
                have.add(code)
                missing.append(MunicipalityCode(code=code, municipality=municipality, **period))
    MunicipalityCode.objects.bulk_create(missing)
