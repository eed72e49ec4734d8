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
    """Create what is missing; running it again changes nothing."""
    counties = {
        row["code"]: County.objects.get_or_create(code=row["code"], defaults={"name": row["name"]})[
            0
        ]
        for row in _read("counties_2024.csv")
    }
    changes = {}
    for row in _read("code_changes.csv"):
        last_day = datetime.date.fromisoformat(row["valid_to_old"])
        changes.setdefault(row["new_code"], []).append((row["old_code"], last_day))
    for row in _read("municipalities_2024.csv"):
        municipality, _ = Municipality.objects.get_or_create(
            code=row["code"], defaults={"name": row["name"], "county": counties[row["code"][:2]]}
        )
        old = sorted(changes.get(row["code"], []), key=lambda change: change[1])
        current_from = old[-1][1] + datetime.timedelta(days=1) if old else None
        MunicipalityCode.objects.get_or_create(
            code=row["code"], defaults={"municipality": municipality, "valid_from": current_from}
        )
        for old_code, last_day in old:
            MunicipalityCode.objects.get_or_create(
                code=old_code,
                defaults={
                    "municipality": municipality,
                    "valid_until": last_day + datetime.timedelta(days=1),
                },
            )
