"""The same numbers everywhere: what the engine stored is what the dashboard, the national
view and the research download show, hidden figures included."""

import csv
import datetime
import io
import re

import pytest

from ungkultur.indicators.dashboard import format_cell
from ungkultur.indicators.definitions import BY_KEY
from ungkultur.indicators.models import IndicatorValue
from ungkultur.indicators.services import indicators_refresh
from ungkultur.indicators.tests.data import build
from ungkultur.lib.terms import Term

pytestmark = pytest.mark.django_db

TERMS = [Term.parse(t) for t in ("2023H", "2024V", "2024H")]
NOW = datetime.datetime(2025, 1, 15, 9, 30, tzinfo=datetime.UTC)


@pytest.fixture
def kongsberg(personas, settings):
    settings.UNGKULTUR_DISCLOSURE_MIN_N = 3
    k = build()
    indicators_refresh(municipality=k.kongsberg, terms=TERMS, now=NOW)
    return k.kongsberg


def _table_row(text, key, term):
    figure = text.split(f'id="figure-{key.replace(".", "-")}"')[1].split("</article>")[0]
    return re.search(rf'<th scope="row">{term}</th>(.*?)</tr>', figure, re.S).group(1)


def test_the_dashboard_shows_every_stored_total_as_stored(client, personas, kongsberg):
    client.force_login(personas.admin)
    response = client.get("/kommuner/3303/indikatorer/", {"term": "2024H"})
    text = response.content.decode()
    assert "Tallene ble beregnet 15. januar 2025 kl. 10:30." in text
    totals = IndicatorValue.objects.filter(municipality=kongsberg, breakdown="")
    assert totals.filter(suppressed=True).exists() and totals.filter(suppressed=False).exists()
    for cell in totals:
        shown = format_cell(cell, BY_KEY[cell.key].unit)
        row = _table_row(text, cell.key, cell.term)
        first = re.search(r"<td[^>]*>(.*?)</td>", row).group(1)
        assert first == shown.text, (cell.key, cell.term)


def test_the_download_matches_what_was_stored(client, personas, kongsberg):
    client.force_login(personas.researcher)
    response = client.get("/nasjonalt/indikatorer/data/indikatorer.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    stored = IndicatorValue.objects.filter(municipality=kongsberg)
    assert len(rows) == stored.count()
    by_cell = {(r["term"], r["key"], r["breakdown"]): r for r in rows}
    for cell in stored:
        row = by_cell[(cell.term, cell.key, cell.breakdown)]
        assert row["municipality_code"] == "3303"
        assert row["value"] == ("" if cell.value is None else str(cell.value))
        assert row["suppressed"] == ("true" if cell.suppressed else "false")
