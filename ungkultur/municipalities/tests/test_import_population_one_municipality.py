"""The command and the upload page share population_import; with one municipality, a file
holding another municipality's figures is refused whole."""

import datetime
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from ungkultur.core.models import AuditEntry
from ungkultur.municipalities.importers import PopulationImportError, population_import
from ungkultur.municipalities.models import Municipality, PopulationCell

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
NOW = datetime.datetime(2024, 3, 1, 9, 0, tzinfo=ZoneInfo("Europe/Oslo"))


def test_the_whole_file_is_refused_for_one_municipality():
    arendal = Municipality.objects.get(code="4203")
    with pytest.raises(PopulationImportError) as raised:
        population_import(path=DATA / "population_good.csv", now=NOW, municipality=arendal)
    assert raised.value.errors == [
        "Filen har tall for 4 andre kommuner enn Arendal (kommunenummer 0301, 1124, 3006, "
        "3303). Last ned tabellen for Arendal alene."
    ]
    assert not PopulationCell.objects.exists()


def test_the_command_takes_one_municipality_and_says_the_same(tmp_path):
    path = tmp_path / "sola.csv"
    path.write_text("municipality_code,year,sex,age,persons\n4203,2024,1,13,5\n", encoding="utf-8")
    with pytest.raises(CommandError, match="en annen kommune enn Sola"):
        call_command("import_population", str(path), "--municipality", "1124")
    assert not PopulationCell.objects.exists()


def test_the_command_refuses_an_unknown_municipality(tmp_path):
    with pytest.raises(CommandError, match="Ukjent kommunenummer «9999»"):
        call_command(
            "import_population", str(DATA / "population_good.csv"), "--municipality", "9999"
        )


def test_an_old_number_of_the_municipality_is_its_own():
    kongsberg = Municipality.objects.get(code="3303")
    csv = "municipality_code,year,sex,age,persons\n3006,2023,1,13,5\n3303,2024,1,13,6\n"
    report = population_import(file=io.StringIO(csv), now=NOW, municipality=kongsberg)
    assert (report.created, report.years) == (2, [2023, 2024])
    # Without an actor (the command), no audit row: the command has none to name.
    assert not AuditEntry.objects.filter(action="population.import").exists()
