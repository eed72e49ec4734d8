"""Load the 15 counties and 357 municipalities of 2024 and the numbers they had before."""

import csv
import datetime
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def read(name):
    with open(DATA / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load(apps, schema_editor):
    County = apps.get_model("municipalities", "County")
    Municipality = apps.get_model("municipalities", "Municipality")
    MunicipalityCode = apps.get_model("municipalities", "MunicipalityCode")
    counties = {
        row["code"]: County.objects.get_or_create(code=row["code"], defaults={"name": row["name"]})[0]
        for row in read("counties_2024.csv")
    }
    changes = {}
    for row in read("code_changes.csv"):
        last_day = datetime.date.fromisoformat(row["valid_to_old"])
        changes.setdefault(row["new_code"], []).append((row["old_code"], last_day))
    for row in read("municipalities_2024.csv"):
        municipality, _ = Municipality.objects.get_or_create(
            code=row["code"], defaults={"name": row["name"], "county": counties[row["code"][:2]]}
        )
        old = sorted(changes.get(row["code"], []), key=lambda change: change[1])
        current_from = old[-1][1] + datetime.timedelta(days=1) if old else None
        MunicipalityCode.objects.get_or_create(
            code=row["code"],
            defaults={"municipality": municipality, "valid_from": current_from},
        )
        for old_code, last_day in old:
            MunicipalityCode.objects.get_or_create(
                code=old_code,
                defaults={
                    "municipality": municipality,
                    "valid_until": last_day + datetime.timedelta(days=1),
                },
            )


class Migration(migrations.Migration):
    dependencies = [("municipalities", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
