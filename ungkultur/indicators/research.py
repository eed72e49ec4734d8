"""Data for research: every stored indicator value per municipality and term, as CSV or
Parquet, and a codebook of the definitions, as CSV or JSON.

Only what may be published leaves: a suppressed cell has no value, numerator or denominator,
and the count of people a figure rests on (``n``) is never exported.
"""

import io
import json

import polars as pl
from django.http import Http404, HttpResponse
from django.utils.translation import gettext_lazy as _

from ungkultur.indicators.definitions import DIMENSION_NAMES, INDICATORS, UNIT_NAMES
from ungkultur.indicators.models import IndicatorValue

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
}
FIELDS = (
    "municipality__code",
    "municipality__name",
    "municipality__kk_active",
    "municipality__is_pilot",
    "term",
    "key",
    "breakdown",
    "value",
    "numerator",
    "denominator",
    "suppressed",
)


def values_frame() -> pl.DataFrame:
    """Every stored value, suppression applied again here so that nothing hidden can leave.
    One query."""
    rows = IndicatorValue.objects.order_by("municipality__code", "term", "key", "breakdown")
    records = [
        (*row[:7], None, None, None, True) if row[10] else row
        for row in rows.values_list(*FIELDS).iterator(chunk_size=10_000)
    ]
    return pl.DataFrame(records, schema=SCHEMA, orient="row")


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


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def values_response(fmt: str) -> HttpResponse:
    frame = values_frame()
    if fmt == "csv":
        return _download(
            frame.write_csv().encode(), "text/csv; charset=utf-8", "ungkultur-indikatorer.csv"
        )
    if fmt == "parquet":
        buffer = io.BytesIO()
        frame.write_parquet(buffer)
        return _download(
            buffer.getvalue(), "application/vnd.apache.parquet", "ungkultur-indikatorer.parquet"
        )
    raise Http404


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
            pl.DataFrame(rows).write_csv().encode(),
            "text/csv; charset=utf-8",
            "ungkultur-kodebok.csv",
        )
    raise Http404
