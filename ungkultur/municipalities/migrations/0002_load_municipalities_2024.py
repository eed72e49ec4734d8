"""Load the 15 counties and 357 municipalities of 2024 and the numbers they had before."""

from django.db import migrations

from ungkultur.municipalities.reference import load_municipalities


def load(apps, schema_editor):
    load_municipalities(
        apps.get_model("municipalities", "County"),
        apps.get_model("municipalities", "Municipality"),
        apps.get_model("municipalities", "MunicipalityCode"),
    )


class Migration(migrations.Migration):
    dependencies = [("municipalities", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
