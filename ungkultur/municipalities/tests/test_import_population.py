import datetime
import io
import json
import logging
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ungkultur.lib.jsonstat import iter_cells
from ungkultur.municipalities.importers import PopulationImportError, population_import
from ungkultur.municipalities.models import PopulationCell

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
NOW = datetime.datetime(2024, 3, 1, 9, 0, tzinfo=ZoneInfo("Europe/Oslo"))
GOOD_CSV = DATA / "population_good.csv"
GOOD_JSON = DATA / "population_07459.json"


def run(path):
    return population_import(path=path, now=NOW)


def stored():
    return {
        (c.code, c.year, c.sex, c.age): c.persons
        for c in PopulationCell.objects.order_by("code", "year", "sex", "age")
    }


def write_json(tmp_path, dataset):
    path = tmp_path / "07459.json"
    path.write_text(json.dumps(dataset), encoding="utf-8")
    return path


def good_dataset():
    return json.loads(GOOD_JSON.read_text(encoding="utf-8"))


def errors_of(path):
    with pytest.raises(PopulationImportError) as raised:
        run(path)
    return raised.value.errors


# --- JSON-stat --------------------------------------------------------------------------------


def test_jsonstat_stores_the_municipalities_cells_without_prefix():
    run(GOOD_JSON)
    cells = stored()
    assert len(cells) == 35
    assert {code for code, *_ in cells} == {"4203", "1124", "3006", "3303"}
    assert cells[("4203", 2024, 2, 13)] == 255
    assert cells[("4203", 2023, 1, 0)] == 230
    assert cells[("4203", 2023, 2, 105)] == 1  # "105+" is age 105
    assert cells[("1124", 2023, 1, 105)] == 0  # a real zero is stored


def test_jsonstat_null_is_a_missing_cell_not_zero():
    run(GOOD_JSON)
    assert not PopulationCell.objects.filter(code="1124", year=2024, sex=2, age=105).exists()


def test_jsonstat_kongsberg_is_stored_under_each_years_number():
    run(GOOD_JSON)
    kongsberg = PopulationCell.objects.filter(code__in=["3006", "3303"])
    assert set(kongsberg.values_list("code", "year").distinct()) == {
        ("3006", 2023),
        ("3303", 2024),
    }


def test_jsonstat_report_counts_new_cells_skipped_regions_and_nulls():
    report = run(GOOD_JSON)
    assert (report.created, report.updated, report.unchanged) == (35, 0, 0)
    assert report.skipped_regions == ["0"]
    assert report.null_cells == 13
    assert report.summary() == (
        "35 nye, 0 endret, 0 uendret; "
        "1 region som ikke er en kommune, ble hoppet over (0); "
        "13 tomme celler ble hoppet over."
    )


def test_jsonstat_dimension_order_is_read_from_the_file(tmp_path):
    original = good_dataset()
    values = {
        tuple(cell[dim] for dim in ("Tid", "Alder", "ContentsCode", "Kjonn", "Region")): cell[
            "value"
        ]
        for cell in iter_cells(original)
    }
    permuted = dict(original, id=["Tid", "Alder", "ContentsCode", "Kjonn", "Region"])
    permuted["size"] = [2, 3, 1, 2, 5]
    for dim_id in permuted["id"]:  # index as lists this time
        index = permuted["dimension"][dim_id]["category"]["index"]
        permuted["dimension"][dim_id]["category"]["index"] = sorted(index, key=index.get)
    permuted["value"] = [values[key] for key in sorted(values, key=_position_in(permuted))]
    run(GOOD_JSON)
    expected = stored()
    PopulationCell.objects.all().delete()

    run(write_json(tmp_path, permuted))

    assert stored() == expected


def _position_in(dataset):
    indexes = [dataset["dimension"][dim]["category"]["index"] for dim in dataset["id"]]
    return lambda key: [index.index(code) for index, code in zip(indexes, key, strict=True)]


def test_jsonstat_other_contents_is_rejected(tmp_path):
    dataset = good_dataset()
    dataset["dimension"]["ContentsCode"]["category"] = {
        "index": {"Personer2": 0},
        "label": {"Personer2": "Personer som har flyttet"},
    }
    assert errors_of(write_json(tmp_path, dataset)) == [
        "Statistikkvariabelen (ContentsCode) «Personer2» kan ikke importeres; "
        "bare «Personer1» (personer) kan det."
    ]


def test_jsonstat_unknown_municipality_is_reported_once_with_its_first_cell(tmp_path):
    dataset = good_dataset()
    region = dataset["dimension"]["Region"]["category"]
    region["index"]["K-1199"] = region["index"].pop("K-1124")
    # Sola's 12 cells, one of them null, now belong to an unknown number.
    assert errors_of(write_json(tmp_path, dataset)) == [
        "Celle 24 (Region=K-1199, Kjonn=1, Alder=000, ContentsCode=Personer1, Tid=2023) "
        "og 10 celler til med samme kode: ukjent kommunenummer «1199»."
    ]


def test_jsonstat_bad_value_is_reported_with_position_and_codes(tmp_path):
    dataset = good_dataset()
    dataset["value"][12] = -3
    dataset["value"][15] = 2.5
    assert errors_of(write_json(tmp_path, dataset)) == [
        "Celle 12 (Region=K-4203, Kjonn=1, Alder=000, ContentsCode=Personer1, Tid=2023): "
        "antall personer «-3» er ikke et helt tall som er 0 eller mer.",
        "Celle 15 (Region=K-4203, Kjonn=1, Alder=013, ContentsCode=Personer1, Tid=2024): "
        "antall personer «2.5» er ikke et helt tall som er 0 eller mer.",
    ]


def test_jsonstat_same_municipality_twice_is_a_duplicate(tmp_path):
    dataset = good_dataset()
    region = dataset["dimension"]["Region"]["category"]
    region["index"]["4203"] = region["index"].pop("K-1124")  # K-4203 and 4203 are one number
    errors = errors_of(write_json(tmp_path, dataset))
    assert len(errors) == 11
    assert errors[0] == (
        "Celle 24 (Region=4203, Kjonn=1, Alder=000, ContentsCode=Personer1, Tid=2023): "
        "samme kommune, år, kjønn og alder som celle 12."
    )


def test_jsonstat_value_count_must_match_size(tmp_path):
    dataset = good_dataset()
    dataset["value"].pop()
    assert errors_of(write_json(tmp_path, dataset)) == [
        'Filen er ikke et gyldig JSON-stat 2.0-datasett ("value" has 59 entries but "size" '
        "gives 60 cells (the product of the sizes))."
    ]


def test_json_that_is_not_a_dataset_is_rejected(tmp_path):
    path = write_json(tmp_path, {"version": "2.0", "class": "collection", "link": {}})
    assert errors_of(path) == [
        "Filen er JSON, men ikke et JSON-stat 2.0-datasett («class» skal være «dataset»)."
    ]


def test_jsonstat_with_other_dimensions_is_rejected(tmp_path):
    dataset = good_dataset()
    dataset["id"][1] = "Kjønn"
    dataset["dimension"]["Kjønn"] = dataset["dimension"].pop("Kjonn")
    assert errors_of(write_json(tmp_path, dataset)) == [
        "Datasettet skal ha dimensjonene Region, Kjonn, Alder, ContentsCode, Tid, men har "
        "Region, Kjønn, Alder, ContentsCode, Tid."
    ]


# --- CSV --------------------------------------------------------------------------------------


def test_csv_stores_every_row():
    report = run(GOOD_CSV)
    assert report.summary() == "7 nye, 0 endret, 0 uendret."
    assert stored() == {
        ("0301", 2024, 1, 0): 3400,
        ("1124", 2024, 1, 13): 335,
        ("1124", 2024, 2, 13): 318,
        ("3006", 2023, 2, 14): 305,
        ("3303", 2024, 1, 14): 330,
        ("4203", 2024, 1, 13): 265,
        ("4203", 2024, 2, 13): 255,
    }


def test_csv_with_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD_CSV.read_bytes().replace(b"\n", b"\r\n"))
    assert run(path).created == 7
    assert stored()[("0301", 2024, 1, 0)] == 3400


def test_an_open_file_can_be_imported_as_bytes_or_text():
    binary = io.BytesIO(GOOD_CSV.read_bytes())
    assert population_import(file=binary, now=NOW).created == 7
    assert not binary.closed
    text = io.StringIO("\ufeff" + GOOD_CSV.read_text(encoding="utf-8"))
    assert population_import(file=text, now=NOW).unchanged == 7


def test_importing_the_same_file_twice_changes_nothing():
    run(GOOD_JSON)
    before = dict(PopulationCell.objects.values_list("pk", "persons"))
    report = run(GOOD_JSON)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 35)
    assert report.summary().startswith("0 nye, 0 endret, 35 uendret;")
    assert dict(PopulationCell.objects.values_list("pk", "persons")) == before


def test_second_import_loads_stored_cells_in_one_query():
    run(GOOD_JSON)
    with CaptureQueriesContext(connection) as queries:
        run(GOOD_JSON)
    # The known municipality numbers (two queries), then the stored cells once (on PostgreSQL
    # through a server-side cursor, so the statement may not start with SELECT).
    sql = [q["sql"] for q in queries]
    assert sum("municipalities_municipality" in s for s in sql) == 2
    assert sum("municipalities_populationcell" in s for s in sql) == 1
    assert not any(s.startswith(("INSERT", "UPDATE")) for s in sql)


def test_changed_value_is_updated_and_counted_as_changed(tmp_path):
    run(GOOD_CSV)
    path = tmp_path / "new.csv"
    changed = GOOD_CSV.read_text(encoding="utf-8").replace(
        "4203,2024,1,13,265", "4203,2024,1,13,270"
    )
    path.write_text(changed + "4203,2024,1,14,280\n", encoding="utf-8")
    report = run(path)
    assert report.summary() == "1 nye, 1 endret, 6 uendret."
    assert stored()[("4203", 2024, 1, 13)] == 270
    assert stored()[("4203", 2024, 1, 14)] == 280


def test_csv_and_jsonstat_write_the_same_cells():
    run(GOOD_JSON)
    # Four of the CSV's cells are in the extract with the same numbers.
    assert run(GOOD_CSV).summary() == "3 nye, 0 endret, 4 uendret."


def test_full_ages_for_many_municipalities_cross_batch_boundaries(tmp_path):
    codes = ["4203", "1124", "3303", "5028", "1563", "0301", "1101", "1103", "1106", "1108"]

    def write(newborn_girls_2023):
        rows = [
            f"{code},{year},{sex},{age},{age * 10 + sex}"
            for code in codes
            for year in (2023, 2024)
            for sex in (1, 2)
            for age in range(106)
        ]
        rows = [row.replace(",2023,2,0,2", f",2023,2,0,{newborn_girls_2023}") for row in rows]
        path = tmp_path / "big.csv"
        path.write_text("municipality_code,year,sex,age,persons\n" + "\n".join(rows), "utf-8")
        return path

    assert run(write(2)).created == 4240
    report = run(write(3))
    assert (report.created, report.updated, report.unchanged) == (0, 10, 4230)
    assert PopulationCell.objects.filter(year=2023, sex=2, age=0, persons=3).count() == 10


# --- Bad files change nothing -----------------------------------------------------------------

BAD_FILES = {
    "bad_header.csv": [
        "Linje 1: feil overskrift «kommune,year,sex,age,persons»; "
        "den skal være «municipality_code,year,sex,age,persons»."
    ],
    "bad_code.csv": [
        "Linje 3: ukjent kommunenummer «9998».",
        "Linje 4: ukjent kommunenummer «301» (kommunenummer har fire sifre: mente du «0301»?).",
    ],
    "bad_year.csv": [
        "Linje 3: året «1899» er ikke mellom 1900 og 2100.",
        "Linje 4: året «2101» er ikke mellom 1900 og 2100.",
        "Linje 5: året «i fjor» er ikke mellom 1900 og 2100.",
    ],
    "bad_sex.csv": [
        "Linje 3: kjønn må være 1 (menn) eller 2 (kvinner), ikke «3».",
        "Linje 4: kjønn må være 1 (menn) eller 2 (kvinner), ikke «0».",
    ],
    "bad_age.csv": [
        "Linje 3: alderen «106» er ikke mellom 0 og 105.",
        "Linje 4: alderen «-1» er ikke mellom 0 og 105.",
    ],
    "bad_persons.csv": [
        "Linje 3: antall personer «-5» er ikke et helt tall som er 0 eller mer.",
        "Linje 4: antall personer «12.5» er ikke et helt tall som er 0 eller mer.",
        "Linje 5: antall personer «» er ikke et helt tall som er 0 eller mer.",
        "Linje 6: antall personer «mange» er ikke et helt tall som er 0 eller mer.",
    ],
    "bad_duplicate.csv": ["Linje 4: samme kommune, år, kjønn og alder som på linje 2."],
    "bad_fields.csv": ["Linje 3: linjen har 4 felt, men skal ha 5."],
    "bad_json.json": ["Ugyldig JSON på linje 4, kolonne 1: Expecting value."],
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_bad_file_is_rejected_with_line_numbers_and_changes_nothing(name):
    run(GOOD_JSON)
    before = stored()
    # Each bad CSV starts with a good row that would change 4203/2024/men/13 from 265 to 999.
    assert errors_of(DATA / name) == BAD_FILES[name]
    assert stored() == before
    assert PopulationCell.objects.count() == 35


def test_every_problem_of_a_line_is_named(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("municipality_code,year,sex,age,persons\n4203,1899,3,13,5\n", "utf-8")
    assert errors_of(path) == [
        "Linje 2: året «1899» er ikke mellom 1900 og 2100; "
        "kjønn må være 1 (menn) eller 2 (kvinner), ikke «3»."
    ]


def test_a_file_that_is_not_utf8_is_rejected(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("municipality_code,year,sex,age,persons\nÅs,2024,1,1,1\n".encode("latin-1"))
    errors = errors_of(path)
    assert len(errors) == 1
    assert errors[0].startswith("Filen er ikke UTF-8")


def test_import_logs_its_summary(caplog):
    with caplog.at_level(logging.INFO, logger="ungkultur.municipalities.importers"):
        run(GOOD_CSV)
    assert "Population import (csv): 7 new, 0 changed, 0 unchanged" in caplog.text


# --- The command ------------------------------------------------------------------------------


def test_command_prints_the_report():
    out = io.StringIO()
    call_command("import_population", str(GOOD_JSON), stdout=out)
    assert "35 nye, 0 endret, 0 uendret" in out.getvalue()
    assert "13 tomme celler ble hoppet over" in out.getvalue()
    assert PopulationCell.objects.count() == 35


def test_command_lists_the_errors():
    with pytest.raises(CommandError) as raised:
        call_command("import_population", str(DATA / "bad_code.csv"))
    message = str(raised.value)
    assert message.startswith("Ingenting ble importert: 2 feil i filen.")
    assert "Linje 3: ukjent kommunenummer «9998»." in message
    assert PopulationCell.objects.count() == 0


def test_command_shows_fifty_errors_and_counts_the_rest(tmp_path):
    path = tmp_path / "many.csv"
    rows = [f"4203,2024,1,{age},-1" for age in range(60)]
    path.write_text("municipality_code,year,sex,age,persons\n" + "\n".join(rows), "utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("import_population", str(path))
    message = str(raised.value)
    assert message.startswith("Ingenting ble importert: 60 feil i filen.")
    assert "Linje 51: " in message
    assert "Linje 52: " not in message
    assert message.endswith("… og 10 feil til.")


def test_command_reports_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Kan ikke lese .*finnes-ikke.csv"):
        call_command("import_population", str(tmp_path / "finnes-ikke.csv"))
