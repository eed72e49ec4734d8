"""API endpoints of surveys (wired into api/urls.py and api/openapi.py).

``POST /surveys/{id}/waves/{wave}/responses`` stores one anonymous response with a one-time
code: the same service as the answer pages (``surveys.services.response_submit``). The code is
the only credential; no token, no session, and nothing about the caller is kept.
"""

import json

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from ungkultur.api.http import ID_SCHEMA, api_view, json_error, json_response
from ungkultur.surveys import services
from ungkultur.surveys.models import Wave


def _json(data, *, status):
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


@csrf_exempt
def response_create(request, id, wave):
    if request.method != "POST":
        response = json_error(
            _("Metoden %(method)s er ikke tillatt her. Bruk POST.") % {"method": request.method},
            status=405,
        )
        response["Allow"] = "POST"
        return response
    found = (
        Wave.objects.select_related("survey__questionnaire")
        .filter(survey_id=id, identifier=wave)
        .first()
    )
    if found is None:
        return json_error(_("Fant ingen slik runde i undersøkelsen."), status=404)
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return json_error(_("Innholdet er ikke gyldig JSON."), status=400)
    if not isinstance(body, dict) or not isinstance(body.get("code"), str):
        return json_error(
            _("Send et JSON-objekt med «code» (tekst) og «answers» (objekt)."), status=400
        )
    if not found.takes_responses_on(timezone.localdate()):
        return json_error(_("Undersøkelsen er ikke åpen nå."), status=409)
    language = body.get("language") if body.get("language") in ("nb", "nn", "en") else "nb"
    try:
        stored = services.response_submit(
            wave=found,
            answers=body.get("answers", {}),
            code=body["code"],
            today=timezone.localdate(),
            lang=language,
        )
    except services.CodeRefused as error:
        status = 409 if error.code == "used" else 403
        return json_error(error.messages[0], status=status)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            errors = {name: messages[0] for name, messages in error.message_dict.items()}
            return json_error(_("Noen svar må rettes."), status=400, extra={"errors": errors})
        return json_error(error.messages[0], status=400)
    return _json({"stored": True, "submitted_on": stored.submitted_on.isoformat()}, status=201)


urlpatterns = [
    path(
        "surveys/<id:id>/waves/<slug:wave>/responses",
        response_create,
        name="survey_response_create",
    ),
]

_ERROR = {"$ref": "#/components/schemas/Error"}


def _body(schema, description):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


OPENAPI_PATHS: dict = {
    "/surveys/{id}/waves/{wave}/responses": {
        "parameters": [
            {
                "name": "id",
                "in": "path",
                "required": True,
                "description": "The survey's id.",
                "schema": ID_SCHEMA,
            },
            {
                "name": "wave",
                "in": "path",
                "required": True,
                "description": "The wave's stable identifier, such as `baseline`.",
                "schema": {
                    "type": "string",
                    "pattern": "^[-a-zA-Z0-9_]+$",
                    "examples": ["baseline"],
                },
            },
        ],
        "post": {
            "operationId": "createSurveyResponse",
            "summary": "Submit one anonymous response with a one-time code",
            "description": (
                "The same path as the answer pages: the answers are checked against the "
                "questionnaire (types, choices, required questions, conditions and "
                "constraints), then the code is used up and the response stored, in one "
                "transaction. The response keeps the date only; nothing links it to the code "
                "or the caller. No token is needed: the code is the credential."
            ),
            "security": [{}],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {"$ref": "#/components/schemas/SurveyResponseIn"}
                    }
                },
            },
            "responses": {
                "201": _body({"$ref": "#/components/schemas/SurveyResponseStored"}, "Stored."),
                "400": _body(
                    {"$ref": "#/components/schemas/SurveyResponseErrors"},
                    "Bad JSON, or answers that do not fit; `errors` names each variable.",
                ),
                "403": _body(_ERROR, "The code is unknown or withdrawn."),
                "404": _body(_ERROR, "No such wave in this survey."),
                "405": _body(_ERROR, "Only POST."),
                "409": _body(_ERROR, "The code is already used, or the wave is not open."),
            },
        },
    },
}
OPENAPI_SCHEMAS: dict = {
    "SurveyResponseIn": {
        "type": "object",
        "required": ["code", "answers"],
        "properties": {
            "code": {"type": "string", "description": "The one-time code, e.g. ABCDE-23456."},
            "language": {"type": "string", "enum": ["nb", "nn", "en"]},
            "answers": {
                "type": "object",
                "description": (
                    "Variable name → value: a choice value as a string, a list of them for "
                    "multiple choice, a number, or text. Leave out skipped questions."
                ),
                "additionalProperties": True,
            },
        },
    },
    "SurveyResponseStored": {
        "type": "object",
        "properties": {
            "stored": {"type": "boolean"},
            "submitted_on": {"type": "string", "format": "date"},
        },
    },
    "SurveyResponseErrors": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {"type": "string"},
            "status": {"type": "integer"},
            "title": {"type": "string"},
            "errors": {"type": "object", "additionalProperties": {"type": "string"}},
        },
    },
}


# --- Protected results of a wave (results helper) -----------------------------------------------
# ``GET /surveys/{id}/waves/{wave}/results?by=municipality,gender`` answers the same protected
# tables as the results pages (surveys/results.py): no number rests on fewer than n respondents,
# and no hidden number can be worked out from the totals. A Bearer token is required; national
# roles and researchers see every municipality, a municipality's project leader their own.

from ungkultur.municipalities.models import Municipality  # noqa: E402
from ungkultur.municipalities.selectors import municipality_by_any_code  # noqa: E402
from ungkultur.surveys import results  # noqa: E402
from ungkultur.surveys.results_access import results_scope  # noqa: E402


def _bad_request(message):
    return json_error(message, status=400)


@api_view
def wave_results(request, id, wave):
    user = request.api_user
    if not user.is_authenticated:
        response = json_error(
            _("Resultatene krever en API-nøkkel: «Authorization: Bearer NØKKEL»."), status=401
        )
        response["WWW-Authenticate"] = 'Bearer realm="Ungkultur"'
        return response
    found = (
        Wave.objects.select_related("survey__questionnaire")
        .filter(survey_id=id, identifier=wave)
        .exclude(status=Wave.Status.PLANNED)
        .first()
    )
    if found is None:
        return json_error(_("Fant ingen slik runde i undersøkelsen."), status=404)
    if not user.has_perm("surveys.view_results"):
        return json_error(_("Du har ikke tilgang til resultatene av undersøkelser."), status=403)
    scope = results_scope(user)
    municipality, error = _results_municipality(request.GET.get("municipality", ""), scope)
    if error is not None:
        return error
    variables = results.variables_for(found.survey.questionnaire)
    dimensions = results.dimensions_for(
        variables,
        None if municipality is None else [municipality.pk],
        answers=found.status == Wave.Status.CLOSED,
    )
    try:
        by = _parse_by(request.GET.get("by", ""), dimensions)
    except ValidationError as problem:
        return _bad_request(problem.messages[0])
    name = request.GET.get("variable", "")
    if name and name not in {v.name for v in variables if v.in_results}:
        return _bad_request(
            _("Spørreskjemaet har ingen variabel «%(name)s» med resultater.") % {"name": name}
        )
    tables, respondents, _fresh = results.wave_tables(
        found,
        variables,
        by,
        municipality_id=None if municipality is None else municipality.pk,
        names={name} if name else None,
    )
    codes = dict(Municipality.objects.values_list("pk", "code"))
    return json_response(
        {
            "survey": found.survey_id,
            "wave": found.identifier,
            "min_n": results.min_n(),
            "by": [d.key for d in by],
            "municipality": municipality.code if municipality is not None else None,
            "respondents": respondents,
            "note": results.left_out_note(tables),
            "results": [_with_codes(t.as_dict(), codes) for t in tables],
        }
    )


def _results_municipality(code, scope):
    """The municipality asked for (or the user's only one), or an error response."""
    if not code:
        if scope.everything:
            return None, None
        if len(scope.municipality_ids) == 1:
            return Municipality.objects.get(pk=next(iter(scope.municipality_ids))), None
        return None, _bad_request(_("Oppgi kommunen med municipality=KOMMUNENUMMER."))
    municipality = municipality_by_any_code(code)
    if municipality is None or not scope.allows(municipality.pk):
        return None, json_error(
            _("Fant ingen kommune med nummeret %(code)s.") % {"code": code}, status=404
        )
    return municipality, None


def _parse_by(text, dimensions):
    from ungkultur.surveys.views_results import parse_by

    return parse_by(text, dimensions)


def _with_codes(table: dict, codes: dict) -> dict:
    """Municipality ids in the groups replaced by municipality numbers."""
    for row in table["rows"]:
        if "municipality" in row["group"] and row["group"]["municipality"] is not None:
            row["group"]["municipality"] = codes.get(row["group"]["municipality"])
    return table


urlpatterns += [  # noqa: E305
    path(
        "surveys/<id:id>/waves/<slug:wave>/results",
        wave_results,
        name="survey_wave_results",
    ),
]

_COUNT = {"type": ["integer", "null"], "minimum": 0, "description": "Null where hidden."}
_TOO_FEW = {
    "too_few": {
        "type": "boolean",
        "description": "Fewer than min_n respondents: every number hidden, zeros too.",
    },
    "note": {"type": ["string", "null"], "description": "«for få svar» where too_few."},
}
OPENAPI_PATHS["/surveys/{id}/waves/{wave}/results"] = {
    "parameters": OPENAPI_PATHS["/surveys/{id}/waves/{wave}/responses"]["parameters"],
    "get": {
        "operationId": "getSurveyWaveResults",
        "summary": "Protected results of a wave: frequencies and crosstabs",
        "description": (
            "Every question except free text, as a table of counts: one row per group of the "
            "`by` split (or one row for all), one column per answer plus `__skipped__` (not "
            "answered). Disclosure control is applied before anything leaves the server: a "
            "count from 1 to `min_n` − 1 is null, and further counts are null wherever a "
            "hidden one could otherwise be worked out from the row and column totals. A group "
            "(row) of fewer than `min_n` respondents is hidden whole, zeros too, with "
            "`too_few` true and the note «for få svar»; so is the whole table when it rests on "
            "fewer. Results come from the wave's published responses, which grow only by "
            "batches in which every group of every table grows by none or at least `min_n`, so "
            "comparing two answers over time never reveals one response. Number "
            "questions give `mean` and `median` only for groups whose count of answers is "
            "shown. National roles and researchers see every municipality; a municipality's "
            "project leader sees their own."
        ),
        "security": [{"bearerAuth": []}],
        "parameters": [
            {
                "name": "by",
                "in": "query",
                "required": False,
                "description": (
                    "Up to two splits, comma separated: `municipality`, `gender`, `age`, "
                    "`grade`, or (once the wave is closed) the variable name of another "
                    "choice question."
                ),
                "schema": {"type": "string", "examples": ["municipality,gender"]},
            },
            {
                "name": "municipality",
                "in": "query",
                "required": False,
                "description": "Only this municipality's responses (municipality number).",
                "schema": {"type": "string", "pattern": "^[0-9]{4}$"},
            },
            {
                "name": "variable",
                "in": "query",
                "required": False,
                "description": "Only this variable.",
                "schema": {"type": "string"},
            },
        ],
        "responses": {
            "200": _body({"$ref": "#/components/schemas/SurveyWaveResults"}, "The tables."),
            "400": _body(_ERROR, "An unknown split or variable; the message says which."),
            "401": {"$ref": "#/components/responses/Unauthorized"},
            "403": _body(_ERROR, "The token's owner may not see survey results."),
            "404": _body(_ERROR, "No such wave, or a municipality that is not yours."),
            "405": {"$ref": "#/components/responses/MethodNotAllowed"},
        },
    },
}
OPENAPI_SCHEMAS.update(
    {
        "SurveyWaveResults": {
            "type": "object",
            "properties": {
                "survey": {"type": "integer"},
                "wave": {"type": "string"},
                "min_n": {"type": "integer", "description": "The disclosure threshold n."},
                "by": {"type": "array", "items": {"type": "string"}},
                "municipality": {"type": ["string", "null"]},
                "respondents": _COUNT,
                "note": {
                    "type": ["string", "null"],
                    "description": (
                        "Set when municipalities were left out of tables covering several "
                        "(not which ones): those with fewer than min_n respondents, and, in a "
                        "table not split by municipality, those whose own table of the "
                        "question hides a number; so no table minus municipalities' tables "
                        "gives a hidden number."
                    ),
                },
                "results": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/SurveyResultTable"},
                },
            },
        },
        "SurveyResultTable": {
            "type": "object",
            "properties": {
                "variable": {"type": "string"},
                "label": {"type": "string"},
                "by": {"type": "array", "items": {"type": "string"}},
                "columns": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {"value": {"type": "string"}, "label": {"type": "string"}},
                    },
                },
                "rows": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "group": {
                                "type": "object",
                                "description": (
                                    "The split's values (municipality number, choice value)."
                                ),
                                "additionalProperties": True,
                            },
                            "label": {"type": "string"},
                            "total": _COUNT,
                            "counts": {"type": "array", "items": _COUNT},
                            "mean": {"type": ["number", "null"]},
                            "median": {"type": ["number", "null"]},
                            **_TOO_FEW,
                        },
                    },
                },
                **_TOO_FEW,
                "municipalities_left_out": {
                    "type": "boolean",
                    "description": "Some municipalities are not counted (see note).",
                },
                "total": _COUNT,
                "column_totals": {"type": "array", "items": _COUNT},
            },
        },
    }
)
