"""Data for research: every stored indicator value per municipality and term, as CSV or
Parquet, and a codebook of the definitions, as CSV or JSON.

Only what may be published leaves: a suppressed cell has no value, numerator or denominator,
and the count of people a figure rests on (``n``) is never exported. The CSV files are inert
(lib/spreadsheet.py): text that a spreadsheet would run as a formula starts with ', and text is
quoted; numbers are numbers.
"""

import io
import json

import polars as pl
from django.db import connection
from django.http import Http404, HttpResponse
from django.utils.translation import gettext_lazy as _

from ungkultur.indicators.definitions import DIMENSION_NAMES, INDICATORS, UNIT_NAMES
from ungkultur.indicators.models import IndicatorValue
from ungkultur.lib import spreadsheet
from ungkultur.municipalities.models import Municipality

SCHEMA = {
    "municipality_code": pl.String,
    "municipality_name": pl.String,
    "kk_active": pl.Boolean,
    "is_pilot": pl.Boolean,
    "term": pl.String,
    "key": pl.String,
    "breakdown": pl.String,
    "value": pl.Float64,
    "numerator": pl.Float64,
    "denominator": pl.Float64,
    "suppressed": pl.Boolean,
    "missing": pl.String,
}
# What each column of the data holds (the codebook's second half).
COLUMNS = {
    "municipality_code": _("Kommunenummer i dag (SSB)."),
    "municipality_name": _("Kommunens navn."),
    "kk_active": _("Kommunen er med i koordinert kulturarbeid (KK)."),
    "is_pilot": _("Kommunen var en av de fem pilotkommunene."),
    "term": _("Semester: år og H (høst, 1.8.–31.12.) eller V (vår, 1.1.–31.7.)."),
    "key": _("Indikatorens nøkkel (se indikatorene i kodeboken)."),
    "breakdown": _("Tom for totalen, ellers dimensjon=verdi (for eksempel gender=female)."),
    "value": _("Publisert verdi i indikatorens enhet; tom når skjult eller ikke beregnet."),
    "numerator": _("Teller; tom når skjult."),
    "denominator": _("Nevner; tom når skjult."),
    "suppressed": _("Sann når verdien hviler på færre enn n personer og derfor er skjult."),
    "missing": _(
        "Tom når tallet er målt; ellers hvorfor det mangler: no_records (kilden registrerte "
        "ingenting), not_measured (kilden måler ikke dette), no_population (mangler "
        "befolkningstall), partial_year (bare ett av årets semestre registrert)."
    ),
}
VALUE_COLUMNS = (
    "municipality_id",
    "term",
    "key",
    "breakdown",
    "value",
    "numerator",
    "denominator",
    "suppressed",
    "missing",
)


def values_frame(term=None) -> pl.DataFrame:
    """Every stored value (of one term, if given), with suppression applied again here so that
    nothing hidden can leave. Two queries; rows go from the cursor into Polars (no models)."""
    municipalities = pl.DataFrame(
        list(Municipality.objects.values_list("pk", "code", "name", "kk_active", "is_pilot")),
        schema={
            "municipality_id": pl.Int64,
            "municipality_code": pl.String,
            "municipality_name": pl.String,
            "kk_active": pl.Boolean,
            "is_pilot": pl.Boolean,
        },
        orient="row",
    )
    stored = IndicatorValue.objects.all()
    if term is not None:
        stored = stored.filter(term=str(term))
    query = stored.values_list(*VALUE_COLUMNS).query
    sql, params = query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        values = pl.DataFrame(
            cursor.fetchall(),
            schema={
                "municipality_id": pl.Int64,
                "term": pl.String,
                "key": pl.String,
                "breakdown": pl.String,
                "value": pl.Float64,
                "numerator": pl.Float64,
                "denominator": pl.Float64,
                "suppressed": pl.Boolean,
                "missing": pl.String,
            },
            orient="row",
        )
    hidden = pl.col("suppressed")
    values = values.with_columns(
        *(
            pl.when(hidden).then(None).otherwise(pl.col(name)).alias(name)
            for name in ("value", "numerator", "denominator")
        )
    )
    frame = values.join(municipalities, on="municipality_id", how="left")
    return frame.select(list(SCHEMA)).sort("municipality_code", "term", "key", "breakdown")


def codebook() -> dict:
    return {
        "indicators": [
            {
                "key": indicator.key,
                "name": str(indicator.name),
                "definition": str(indicator.definition),
                "unit": indicator.unit,
                "unit_name": str(UNIT_NAMES[indicator.unit]),
                "age_band": indicator.age_band,
                "service": indicator.service,
                "breakdowns": [
                    {"dimension": d, "name": str(DIMENSION_NAMES[d])} for d in indicator.breakdowns
                ],
                "rests_on": indicator.rests_on,
            }
            for indicator in INDICATORS
        ],
        "columns": [{"name": name, "description": str(text)} for name, text in COLUMNS.items()],
    }


def _csv(frame: pl.DataFrame) -> bytes:
    inert = spreadsheet.inert_text(frame)
    return inert.write_csv(quote_style=spreadsheet.QUOTE_STYLE).encode()


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def values_response(fmt: str, term=None) -> HttpResponse:
    if fmt not in ("csv", "parquet"):
        raise Http404
    frame = values_frame(term)
    name = f"ungkultur-indikatorer-{term}" if term else "ungkultur-indikatorer"
    if fmt == "csv":
        return _download(_csv(frame), "text/csv; charset=utf-8", f"{name}.csv")
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    return _download(buffer.getvalue(), "application/vnd.apache.parquet", f"{name}.parquet")


def codebook_response(fmt: str) -> HttpResponse:
    book = codebook()
    if fmt == "json":
        return _download(
            json.dumps(book, ensure_ascii=False, indent=2).encode(),
            "application/json",
            "ungkultur-kodebok.json",
        )
    if fmt == "csv":
        rows = [
            {**i, "breakdowns": " ".join(b["dimension"] for b in i["breakdowns"])}
            for i in book["indicators"]
        ]
        return _download(
            _csv(pl.DataFrame(rows)),
            "text/csv; charset=utf-8",
            "ungkultur-kodebok.csv",
        )
    raise Http404
