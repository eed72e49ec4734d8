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

from ungkultur.surveys import services
from ungkultur.surveys.models import Wave


def _json(data, *, status):
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


@csrf_exempt
def response_create(request, id, wave):
    if request.method != "POST":
        response = _json(
            {
                "error": _("Metoden %(method)s er ikke tillatt her. Bruk POST.")
                % {"method": request.method}
            },
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
        return _json({"error": _("Fant ingen slik runde i undersøkelsen.")}, status=404)
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return _json({"error": _("Innholdet er ikke gyldig JSON.")}, status=400)
    if not isinstance(body, dict) or not isinstance(body.get("code"), str):
        return _json(
            {"error": _("Send et JSON-objekt med «code» (tekst) og «answers» (objekt).")},
            status=400,
        )
    if not found.is_open:
        return _json({"error": _("Undersøkelsen er ikke åpen nå.")}, status=409)
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
        return _json({"error": error.messages[0]}, status=status)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            errors = {name: messages[0] for name, messages in error.message_dict.items()}
            return _json({"error": _("Noen svar må rettes."), "errors": errors}, status=400)
        return _json({"error": error.messages[0]}, status=400)
    return _json({"stored": True, "submitted_on": stored.submitted_on.isoformat()}, status=201)


urlpatterns = [
    path(
        "surveys/<int:id>/waves/<slug:wave>/responses",
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
                "schema": {"type": "integer"},
            },
            {
                "name": "wave",
                "in": "path",
                "required": True,
                "description": "The wave's stable identifier, such as `baseline`.",
                "schema": {"type": "string", "examples": ["baseline"]},
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
        "properties": {
            "error": {"type": "string"},
            "errors": {"type": "object", "additionalProperties": {"type": "string"}},
        },
    },
}
