"""The command, the API and the stored figures agree."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from ungkultur.indicators.models import IndicatorValue
from ungkultur.indicators.tests.data import build

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("indicators", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def kongsberg(settings):
    settings.UNGKULTUR_DISCLOSURE_MIN_N = 2
    return build().kongsberg


def test_command_stores_and_prints_json_the_api_gives_the_same(client, kongsberg):
    printed = json.loads(run("--municipality", "3303", "--term", "2024V"))
    assert printed["term"] == "2024V"
    retention = next(
        row
        for row in printed["indicators"]
        if row["key"] == "retention.kulturskole" and row["breakdown"] == ""
    )
    assert (retention["value"], retention["numerator"], retention["denominator"]) == (75.0, 6, 8)
    # Suppressed cells show no numbers (e, the one of unknown gender, dropped out).
    hidden = next(
        row
        for row in printed["indicators"]
        if row["key"] == "dropout.kulturskole" and row["breakdown"] == "gender=unknown"
    )
    assert hidden == {**hidden, "value": None, "numerator": None, "suppressed": True}
    assert len(printed["indicators"]) == IndicatorValue.objects.filter(term="2024V").count()
    # The old number answers with the same municipality and the same figures.
    response = client.get(reverse("api:municipality_indicators", args=["3006"]), {"term": "2024v"})
    assert response.status_code == 200
    assert response.json() == printed


def test_command_csv_has_one_row_per_stored_figure(kongsberg):
    rows = list(
        csv.DictReader(
            io.StringIO(run("--municipality", "3303", "--term", "2023H", "--format", "csv"))
        )
    )
    assert len(rows) == IndicatorValue.objects.filter(term="2023H").count()
    row = next(r for r in rows if r["key"] == "influence.answered_on_time")
    assert (row["municipality"], row["value"], row["numerator"]) == ("3303", "50.0", "2")


def test_command_all_computes_every_municipality_as_one_does(kongsberg):
    alone = json.loads(run("--municipality", "3303", "--term", "2024V"))
    everyone = json.loads(run("--all", "--term", "2024V"))
    mine = next(r for r in everyone["municipalities"] if r["municipality"]["code"] == "3303")
    assert mine["indicators"] == alone["indicators"]
    assert len(everyone["municipalities"]) > 300


def test_command_rejects_a_bad_term_and_an_unknown_municipality(kongsberg):
    with pytest.raises(CommandError, match="Ukjent semester «2024X»"):
        run("--municipality", "3303", "--term", "2024X")
    with pytest.raises(CommandError, match="Fant ingen kommune med nummeret 9999"):
        run("--municipality", "9999", "--term", "2024V")
    assert not IndicatorValue.objects.exists()


def test_api_bad_term_is_400_in_norwegian_and_unknown_municipality_404(client, kongsberg):
    url = reverse("api:municipality_indicators", args=["3303"])
    response = client.get(url, {"term": "høst"})
    assert response.status_code == 400
    assert "Ukjent semester" in response.json()["error"]
    missing = client.get(reverse("api:municipality_indicators", args=["9999"]), {"term": "2024V"})
    assert missing.status_code == 404
    assert client.post(url).status_code == 405


def test_api_before_any_computation_is_an_empty_list(client, kongsberg):
    response = client.get(reverse("api:municipality_indicators", args=["3303"]), {"term": "2024V"})
    assert response.json()["indicators"] == []
    assert response.json()["computed_at"] is None


def test_command_csv_makes_text_that_would_start_a_formula_inert(kongsberg):
    run("--municipality", "3303", "--term", "2023H")
    attacks = ["=1+1", "+1+1", "-3", "@SUM(1)", "\t=1+1", "\r=1+1"]
    stored = list(IndicatorValue.objects.filter(term="2023H").order_by("pk")[: len(attacks)])
    for value, text in zip(stored, attacks, strict=True):
        value.breakdown = text
        value.save(update_fields=["breakdown"])
    printed = run("--municipality", "3303", "--term", "2023H", "--format", "csv", "--stored")
    rows = list(csv.DictReader(io.StringIO(printed)))
    assert {"'" + text for text in attacks} <= {r["breakdown"] for r in rows}
    assert '"\'@SUM(1)"' in printed  # text quoted, so a ";" inside it starts no cell
