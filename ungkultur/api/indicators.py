"""API endpoints of indicators (wired into api/urls.py and api/openapi.py).

The figures are the stored, disclosure-controlled ones: the same as the dashboard and the
``indicators`` command show.
"""

from django.core.exceptions import ValidationError
from django.urls import path
from django.utils import timezone

from ungkultur.api.http import api_view, json_error, json_response, municipality_not_found
from ungkultur.indicators.definitions import INDICATORS, UNIT_NAMES
from ungkultur.indicators.selectors import indicator_report
from ungkultur.lib.terms import Term
from ungkultur.municipalities.selectors import municipality_by_any_code


@api_view
def municipality_indicators(request, code):
    municipality = municipality_by_any_code(code)
    if municipality is None:
        return municipality_not_found(code)
    try:
        term = (
            Term.parse(request.GET["term"])
            if request.GET.get("term")
            else Term.containing(timezone.localdate())
        )
    except ValidationError as error:
        return json_error(error.messages[0], status=400)
    return json_response(indicator_report(municipality, term))


urlpatterns = [
    path(
        "municipalities/<str:code>/indicators",
        municipality_indicators,
        name="municipality_indicators",
    ),
]

OPENAPI_PATHS: dict = {
    "/municipalities/{code}/indicators": {
        "parameters": [
            {
                "name": "code",
                "in": "path",
                "required": True,
                "description": (
                    "Municipality number (four digits); a former number answers with the "
                    "municipality under its current number."
                ),
                "schema": {"type": "string", "pattern": "^[0-9]{4}$", "examples": ["4203"]},
            },
            {
                "name": "term",
                "in": "query",
                "required": False,
                "description": (
                    "Half school year: `2024H` is autumn 2024 (1 August – 31 December), "
                    "`2025V` spring 2025 (1 January – 31 July); years 1900–2999. Default: the "
                    "current term."
                ),
                "schema": {"type": "string", "pattern": "^(19|2[0-9])[0-9]{2}[HVhv]$"},
            },
        ],
        "get": {
            "operationId": "getMunicipalityIndicators",
            "summary": "A municipality's indicators for one term (docs/indicators.md)",
            "description": (
                "Every stored figure of the municipality and term, in total and by breakdown. "
                "A figure resting on fewer than n people (UNGKULTUR_DISCLOSURE_MIN_N, default 5) "
                "has `suppressed: true` and `value`, `numerator` and `denominator` null; where "
                "breakdowns add up to a shown total, one more cell is hidden so that no hidden "
                "cell can be worked out. The same figures as the dashboard and the "
                "`indicators` management command."
            ),
            "responses": {
                "200": {
                    "description": "The figures (an empty list where nothing is computed yet).",
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/IndicatorReport"}
                        }
                    },
                },
                "400": {
                    "description": "The term is not written like 2024H or 2025V.",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                },
                "404": {
                    "description": "No municipality has or had this number.",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                },
                "401": {"$ref": "#/components/responses/Unauthorized"},
                "405": {"$ref": "#/components/responses/MethodNotAllowed"},
            },
        },
    }
}

NUMBER_OR_NULL = {"type": ["number", "null"]}

OPENAPI_SCHEMAS: dict = {
    "IndicatorReport": {
        "type": "object",
        "required": ["municipality", "term", "computed_at", "indicators"],
        "properties": {
            "municipality": {
                "type": "object",
                "required": ["code", "name"],
                "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
            },
            "term": {"type": "string", "examples": ["2024H"]},
            "computed_at": {"type": ["string", "null"], "format": "date-time"},
            "indicators": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/IndicatorValue"},
            },
        },
    },
    "IndicatorValue": {
        "type": "object",
        "required": [
            "key",
            "name",
            "unit",
            "breakdown",
            "value",
            "numerator",
            "denominator",
            "suppressed",
        ],
        "properties": {
            "key": {"type": "string", "enum": [i.key for i in INDICATORS]},
            "name": {"type": "string", "description": "Norwegian name of the indicator."},
            "unit": {"type": "string", "enum": list(UNIT_NAMES)},
            "breakdown": {
                "type": "string",
                "description": (
                    "'' for the total, otherwise dimension=value: age=14, gender=female, "
                    "subject_area=music, programme=core, end_reason=moved, service=club, "
                    "type=media, age_band=13_15."
                ),
            },
            "value": {
                **NUMBER_OR_NULL,
                "description": (
                    "The figure in its unit (percent, per_1000, per_evening, count, days), "
                    "rounded to one decimal; null where suppressed or not computable."
                ),
            },
            "numerator": NUMBER_OR_NULL,
            "denominator": {
                **NUMBER_OR_NULL,
                "description": "For `days`, the number of cases the median rests on.",
            },
            "suppressed": {"type": "boolean"},
        },
    },
}
