"""Research exports say how each response came in and the language it was answered in
(issue 20): recorded when the response is sent, never who sent it."""

import zipfile

import polars as pl
import pyreadstat
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ungkultur.surveys import exports, services
from ungkultur.surveys.models import PendingResponse, ResearchExport, Response
from ungkultur.surveys.tests.factories import (
    GOOD_ANSWERS,
    NOW,
    TODAY,
    make_questionnaire,
    open_wave,
)

pytestmark = pytest.mark.django_db

START = reverse("surveys:answer_start")
PAGE = reverse("surveys:answer_page")
SEND = reverse("surveys:answer_send")


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.UNGKULTUR_SURVEY_FILES_DIR = str(tmp_path)
    settings.UNGKULTUR_DISCLOSURE_MIN_N = 1  # every sent response moved at once


@pytest.fixture
def wave(personas):
    return open_wave(personas.researcher, make_questionnaire(personas.researcher))


def _codes(personas, wave, count):
    _batch, codes = services.code_batch_create(
        actor=personas.teacher_a, wave=wave, municipality=personas.arendal, count=count, now=NOW
    )
    return codes


def _moved(wave):
    services.pending_responses_move(wave_id=wave.pk, leftovers=True)


def test_the_language_answered_in_is_stored_with_the_response_and_nothing_more(
    client, personas, wave
):
    (code,) = _codes(personas, wave, 1)
    client.post(START, {"code": code, "language": "nb"})
    client.post(reverse("surveys:answer_language"), {"language": "nn"})
    client.post(PAGE, {"kjonn": "1", "alder": "15", "kulturskole": "2"})
    client.post(PAGE, {"fornoyd": "4", "moteplass_inne": "2", "onske": "Meir band"})
    assert client.post(SEND).status_code == 302
    pending = PendingResponse.objects.get()
    assert (pending.channel, pending.language) == (Response.Channel.CODE, "nn")
    _moved(wave)
    response = Response.objects.get()
    assert (response.channel, response.language) == (Response.Channel.CODE, "nn")
    # The row holds the channel and the language beside the answers, nothing about the sender.
    fields = {f.name for f in Response._meta.concrete_fields}
    assert fields == {
        "id",
        "wave",
        "municipality",
        "submitted_on",
        "channel",
        "language",
        "answers",
    }


def test_a_language_the_form_does_not_know_is_not_stored(personas, wave):
    (code,) = _codes(personas, wave, 1)
    services.response_submit(wave=wave, answers=GOOD_ANSWERS, code=code, today=TODAY, lang="fr")
    assert PendingResponse.objects.get().language == ""


@pytest.fixture
def mixed(personas, wave):
    """Two by code (bokmål, English), one by open link (nynorsk), one imported (no language)."""
    first, second = _codes(personas, wave, 2)
    services.response_submit(wave=wave, answers=GOOD_ANSWERS, code=first, today=TODAY, lang="nb")
    services.response_submit(wave=wave, answers=GOOD_ANSWERS, code=second, today=TODAY, lang="en")
    link = services.open_link_create(
        actor=personas.researcher,
        wave=wave,
        municipality=personas.arendal,
        label="Festivalen",
        now=NOW,
    )
    services.response_submit(
        wave=wave, answers=GOOD_ANSWERS, open_link=link, today=TODAY, lang="nn"
    )
    _moved(wave)
    Response.objects.create(
        wave=wave,
        municipality=personas.arendal,
        submitted_on=TODAY,
        channel=Response.Channel.IMPORT,
        answers={"kjonn": "2"},
    )
    return wave


def _export(wave, researcher, fmt, capture):
    with capture(execute=True):
        export = exports.research_export_request(actor=researcher, wave=wave, fmt=fmt, now=NOW)
    export.refresh_from_db()
    assert export.status == ResearchExport.Status.DONE, export.error
    return exports.export_path(export)


def _pairs(frame):
    """(kanal, sprak) of every row, sorted (the rows come in the wave's random id order)."""
    rows = zip(
        frame.get_column("kanal").to_list(), frame.get_column("sprak").to_list(), strict=True
    )
    return sorted(((int(k), None if s is None else int(s)) for k, s in rows), key=str)


EXPECTED = sorted([(1, 1), (1, 3), (2, 2), (3, None)], key=str)
CHANNEL_LABELS = {1: "engangskode", 2: "åpen lenke", 3: "importert"}
LANGUAGE_LABELS = {1: "bokmål", 2: "nynorsk", 3: "engelsk"}


def test_csv_and_parquet_have_channel_and_language_after_the_date(
    mixed, personas, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    frame = pl.read_csv(_export(mixed, personas.researcher, "csv", capture))
    assert frame.columns[:5] == ["respondent", "kommunenr", "dato", "kanal", "sprak"]
    assert _pairs(frame) == EXPECTED
    parquet = pl.read_parquet(_export(mixed, personas.researcher, "parquet", capture))
    assert parquet.schema["kanal"] == pl.Int64 and _pairs(parquet) == EXPECTED


def test_spss_round_trip_keeps_the_codes_and_their_labels(
    mixed, personas, django_capture_on_commit_callbacks
):
    path = _export(mixed, personas.researcher, "sav", django_capture_on_commit_callbacks)
    frame, meta = pyreadstat.read_sav(str(path), output_format="polars")
    assert _pairs(frame) == EXPECTED
    assert meta.variable_value_labels["kanal"] == CHANNEL_LABELS
    assert meta.variable_value_labels["sprak"] == LANGUAGE_LABELS
    assert meta.column_names_to_labels["kanal"] == "Hvordan svaret kom inn"
    assert meta.original_variable_types["kanal"] == "F8.0"
    assert meta.variable_measure["kanal"] == "nominal"
    # Not a question: no missing-value scheme, an imported response's language is system-missing.
    assert "kanal" not in meta.missing_ranges and "sprak" not in meta.missing_ranges


def test_stata_round_trip_keeps_the_codes_and_their_labels(
    mixed, personas, django_capture_on_commit_callbacks
):
    path = _export(mixed, personas.researcher, "dta", django_capture_on_commit_callbacks)
    frame, meta = pyreadstat.read_dta(str(path), output_format="polars")
    assert _pairs(frame) == EXPECTED
    assert meta.variable_value_labels["kanal"] == CHANNEL_LABELS
    assert meta.variable_value_labels["sprak"] == LANGUAGE_LABELS


def test_codebook_datapackage_and_spss_syntax_describe_channel_and_language(
    mixed, personas, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    book = load_workbook(_export(mixed, personas.researcher, "codebook", capture))
    values = list(book["Verdier"].iter_rows(values_only=True))
    assert ("kanal", 2, "åpen lenke") in values and ("sprak", 2, "nynorsk") in values
    about = {row[0]: row[1] for row in book["Om datasettet"].iter_rows(values_only=True)}
    assert "hvem" in about["Kanal og språk"]
    with zipfile.ZipFile(_export(mixed, personas.researcher, "sps", capture)) as bundle:
        syntax = next(bundle.read(n).decode() for n in bundle.namelist() if n.endswith(".sps"))
    assert "VALUE LABELS kanal 1 'engangskode' 2 'åpen lenke' 3 'importert'." in syntax
    with zipfile.ZipFile(_export(mixed, personas.researcher, "datapackage", capture)) as bundle:
        package = bundle.read("datapackage.json").decode()
    assert '"name": "sprak"' in package and '"label": "engelsk"' in package


def test_results_do_not_carry_channel_or_language(mixed):
    from ungkultur.surveys import results

    frame, _fresh = results.wave_frame(mixed)
    assert results.CHANNEL not in frame.columns and results.LANGUAGE not in frame.columns
    assert frame.height == 4
