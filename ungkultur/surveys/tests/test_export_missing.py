"""SPSS and Stata files say why a coded answer is missing (not asked, skipped, "Vil ikke
svare"), with integer formats and the whole file label; read back through pyreadstat."""

import pyreadstat
import pytest
from openpyxl import load_workbook

from ungkultur.surveys import exports, services
from ungkultur.surveys.models import ResearchExport, Section
from ungkultur.surveys.tests.factories import NOW, choice_list, question
from ungkultur.surveys.tests.results_data import add_responses

pytestmark = pytest.mark.django_db
LONG_TITLE = "Ungdata-kultur i Agder og Rogaland, med fritidsklubber, kulturskoler og UKM 2026"


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.UNGKULTUR_SURVEY_FILES_DIR = str(tmp_path)


@pytest.fixture
def wave(personas):
    actor = personas.researcher
    q = services.questionnaire_create(actor=actor, title="Klubb", now=NOW)
    section = Section.objects.get(questionnaire=q)
    klubb = choice_list(
        actor,
        q,
        "klubb",
        [("1", "Ja", "", ""), ("2", "Nei", "", ""), ("9", "Vil ikke svare", "", "")],
    )
    steder = choice_list(actor, q, "steder", [("1", "Sentrum", "", ""), ("2", "Bydel", "", "")])
    question(actor, section, "klubb", "single", "Går du på klubb?", choice_list=klubb)
    shown = "${klubb} = '1'"
    question(actor, section, "hvor", "single", "Hvor?", choice_list=steder, relevant=shown)
    question(actor, section, "hva", "multiple", "Hva?", choice_list=steder, relevant=shown)
    survey = services.survey_create(actor=actor, title=LONG_TITLE, questionnaire=q, now=NOW)
    wave = services.wave_create(actor=actor, survey=survey, identifier="b", title="Høst", now=NOW)
    services.wave_open(actor=actor, wave=wave, now=NOW)
    add_responses(wave, personas.arendal, 1, klubb="1", hvor="2", hva=["1"])
    add_responses(wave, personas.arendal, 1, klubb="1")  # shown, skipped
    add_responses(wave, personas.arendal, 1, klubb="2")  # not asked
    add_responses(wave, personas.arendal, 1, klubb="9")  # "Vil ikke svare"
    add_responses(wave, personas.arendal, 1)  # nothing answered
    return wave


def _export(wave, researcher, fmt, capture):
    with capture(execute=True):
        export = exports.research_export_request(actor=researcher, wave=wave, fmt=fmt, now=NOW)
    export.refresh_from_db()
    assert export.status == ResearchExport.Status.DONE, export.error
    return exports.export_path(export)


def _by_klubb(frame, names):
    rows = sorted(frame.select(["klubb", *names]).rows(), key=lambda r: (str(r[0]), str(r[1:])))
    return rows


def test_spss_has_user_missing_values_integer_formats_and_the_whole_label(
    wave, personas, django_capture_on_commit_callbacks
):
    path = _export(wave, personas.researcher, "sav", django_capture_on_commit_callbacks)
    frame, meta = pyreadstat.read_sav(str(path), output_format="polars", user_missing=True)
    rows = {(r["klubb"], r["hvor"], r["hva_1"], r["hva_2"]) for r in frame.iter_rows(named=True)}
    assert rows == {
        (1.0, 2.0, 1.0, 0.0),  # answered
        (1.0, -2.0, -2.0, -2.0),  # shown, skipped
        (2.0, -1.0, -1.0, -1.0),  # its condition did not show it
        (9.0, -1.0, -1.0, -1.0),  # "Vil ikke svare"
        (-2.0, -1.0, -1.0, -1.0),  # nothing answered
    }
    missing = {lo for entry in meta.missing_ranges["klubb"] for lo in (entry["lo"],)}
    assert missing == {-2.0, -1.0, 9.0}
    assert {e["lo"] for e in meta.missing_ranges["hvor"]} == {-2.0, -1.0}
    assert meta.variable_value_labels["hvor"][-1] == "Ikke spurt"
    assert meta.variable_value_labels["hva_1"][-2] == "Hoppet over"
    assert meta.original_variable_types["klubb"] == "F8.0"
    assert meta.original_variable_types["respondent"] == "F16.0"
    assert LONG_TITLE + " – Høst" == " ".join(meta.notes)
    # Read as SPSS does by default: the missing codes are missing.
    plain, _meta = pyreadstat.read_sav(str(path), output_format="polars")
    assert plain.get_column("hvor").null_count() == 4


def test_stata_has_extended_missing_values(wave, personas, django_capture_on_commit_callbacks):
    path = _export(wave, personas.researcher, "dta", django_capture_on_commit_callbacks)
    frame, meta = pyreadstat.read_dta(str(path), output_format="polars", user_missing=True)
    rows = {(r["klubb"], r["hvor"], r["hva_1"]) for r in frame.iter_rows(named=True)}
    assert rows == {
        (1, 2, 1),
        (1, "b", "b"),
        (2, "a", "a"),
        ("c", "a", "a"),
        ("b", "a", "a"),
    }
    assert meta.variable_value_labels["klubb"]["c"] == "Vil ikke svare"
    assert meta.variable_value_labels["hvor"]["a"] == "Ikke spurt"
    assert meta.file_label == LONG_TITLE[:80] or meta.file_label.startswith(LONG_TITLE[:60])


def test_csv_leaves_missing_answers_empty_and_the_codebook_gives_routing_and_missing(
    wave, personas, django_capture_on_commit_callbacks
):
    import polars as pl

    csv_path = _export(wave, personas.researcher, "csv", django_capture_on_commit_callbacks)
    assert pl.read_csv(csv_path).get_column("hvor").null_count() == 4
    path = _export(wave, personas.researcher, "codebook", django_capture_on_commit_callbacks)
    rows = {r[0]: r for r in load_workbook(path)["Variabler"].iter_rows(values_only=True)}
    assert rows["hvor"][6] == "${klubb} = '1'"
    assert rows["klubb"][6] == "alltid"
    assert "9 (.c) = Vil ikke svare" in rows["klubb"][7]
    assert "-1 (.a) = Ikke spurt" in rows["hva_1"][7]


def test_file_names_write_out_norwegian_letters(personas, wave):
    wave.survey.title = "Fritid på Ørland og Ærø"
    dataset = exports.dataset_for(wave, 5, NOW)
    assert dataset.name == "fritid-pa-orland-og-aero-b"


def test_the_spss_syntax_reads_its_csv_with_labels_and_missing_values(
    wave, personas, django_capture_on_commit_callbacks
):
    import io
    import zipfile

    import polars as pl

    path = _export(wave, personas.researcher, "sps", django_capture_on_commit_callbacks)
    with zipfile.ZipFile(path) as bundle:
        names = sorted(bundle.namelist())
        syntax = bundle.read(names[1]).decode()
        data = pl.read_csv(io.BytesIO(bundle.read(names[0])))
    assert names[1].endswith(".sps") and names[0].endswith(".csv")
    assert f"/FILE='{names[0]}'" in syntax
    assert "  klubb F8.0" in syntax and "  respondent F16.0" in syntax
    assert (
        "VALUE LABELS klubb 1 'Ja' 2 'Nei' -1 'Ikke spurt' -2 'Hoppet over' 9 'Vil ikke svare'."
        in syntax
    )
    assert "MISSING VALUES klubb (-2, -1, 9)." in syntax
    assert "MISSING VALUES hvor (-2, -1)." in syntax
    assert "VARIABLE LABELS" in syntax and "  hvor 'Hvor?'" in syntax
    assert sorted(data.get_column("hvor").to_list()) == [-2, -1, -1, -1, 2]
