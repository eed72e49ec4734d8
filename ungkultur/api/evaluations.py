"""API endpoints of evaluations: a municipality's published evaluation answers and the project's
budget (wired into api/urls.py and api/openapi.py). No personal data in either."""

from django.urls import path
from django.utils.translation import gettext as _

from ungkultur.api.forms import BudgetQuery
from ungkultur.api.http import api_view, json_error, json_response, municipality_not_found
from ungkultur.evaluations import selectors
from ungkultur.evaluations.models import Answer, Frame, Question, Round
from ungkultur.municipalities.selectors import municipality_by_any_code


def _answer(answer: Answer, names: dict[int, list[str]]) -> dict:
    # The youth part is the resource group's voice: no author is ever given, and ``named`` holds
    # only those who each consented to be named with it (nickname or first name).
    extra = {"named": names.get(answer.pk, [])} if answer.part == Answer.Part.YOUTH else {}
    return {
        "round": {
            "id": answer.round.pk,
            "kind": answer.round.kind,
            "title": answer.round.title,
        },
        "part": answer.part,
        "submitted_at": answer.submitted_at.isoformat(),
        "answers": [
            {"topic": t.question.topic, "question": t.question.text, "text": t.text}
            for t in answer.texts.all()
        ],
        **extra,
    }


@api_view
def municipality_evaluations(request, code):
    municipality = municipality_by_any_code(code)
    if municipality is None:
        return municipality_not_found(code)
    answers = list(selectors.published_answers(municipality))
    names = selectors.youth_names(a.pk for a in answers)
    results = [_answer(a, names) for a in answers]
    return json_response(
        {"municipality": municipality.code, "count": len(results), "results": results}
    )


@api_view
def budget(request):
    form = BudgetQuery(request.GET)
    if not form.is_valid():
        return json_error(" ".join(form.errors["year"]), status=400)
    frame = Frame.objects.filter(year=form.cleaned_data["year"]).first()
    if frame is None:
        return json_error(
            _("Ingen ramme er satt for %(year)s.") % {"year": form.cleaned_data["year"]},
            status=404,
        )
    rows = selectors.budget_rows(frame)
    return json_response(
        {
            "year": frame.year,
            "frame": frame.amount,
            "earmarked": frame.earmarked,
            "allocations": [
                {
                    "municipality": row.municipality.code,
                    "name": row.municipality.name,
                    "allocated": row.allocated,
                    "paid": row.paid,
                    "used": row.used,
                }
                for row in rows
            ],
            "positions": [
                {"organisation": share.organisation.name, "percent": share.percent}
                for share in frame.positions.select_related("organisation")
            ],
        }
    )


urlpatterns = [
    path(
        "municipalities/<str:code>/evaluations",
        municipality_evaluations,
        name="municipality_evaluations",
    ),
    path("budget", budget, name="budget"),
]

_CODE = {
    "name": "code",
    "in": "path",
    "required": True,
    "description": "Municipality number (four digits); a former number works too.",
    "schema": {"type": "string", "pattern": "^[0-9]{4}$", "examples": ["4203"]},
}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_ERROR = {"$ref": "#/components/schemas/Error"}
_COMMON = {
    "401": {"$ref": "#/components/responses/Unauthorized"},
    "405": {"$ref": "#/components/responses/MethodNotAllowed"},
}

OPENAPI_PATHS: dict = {
    "/municipalities/{code}/evaluations": {
        "parameters": [_CODE],
        "get": {
            "operationId": "listMunicipalityEvaluations",
            "summary": "A municipality's published evaluation answers",
            "description": (
                "The municipality's submitted answers to the KK project's evaluation rounds "
                "(midway, final or the coordinators' own) that it marked for publishing: the "
                "project group's part and the youth resource group's part, the latter as the "
                "group's voice without names. Drafts and unpublished answers are never shown. "
                "Newest round first."
            ),
            "responses": {
                "200": _json({"$ref": "#/components/schemas/EvaluationList"}, "The answers."),
                "404": _json(_ERROR, "No municipality has this number."),
                **_COMMON,
            },
        },
    },
    "/budget": {
        "get": {
            "operationId": "getBudget",
            "summary": "The project's budget for a year",
            "description": (
                "The KK project's economic frame for one year, the part earmarked to the "
                "municipalities, each municipality's allocation with what is paid and what it "
                "reported as used, and the owner organisations' position shares. Whole kroner. "
                "No personal data."
            ),
            "parameters": [
                {
                    "name": "year",
                    "in": "query",
                    "required": True,
                    "description": "The year (e.g. 2021).",
                    "schema": {"type": "integer", "minimum": 2000, "maximum": 2100},
                }
            ],
            "responses": {
                "200": _json({"$ref": "#/components/schemas/Budget"}, "The budget."),
                "400": _json(_ERROR, "No year, or not a year."),
                "404": _json(_ERROR, "No frame is set for the year."),
                **_COMMON,
            },
        }
    },
}
_AMOUNT = {"type": "integer", "minimum": 0, "description": "Whole kroner."}
OPENAPI_SCHEMAS: dict = {
    "Evaluation": {
        "type": "object",
        "required": ["round", "part", "submitted_at", "answers"],
        "properties": {
            "round": {
                "type": "object",
                "required": ["id", "kind", "title"],
                "properties": {
                    "id": {"type": "integer"},
                    "kind": {"type": "string", "enum": list(Round.Kind.values)},
                    "title": {"type": "string"},
                },
            },
            "part": {"type": "string", "enum": list(Answer.Part.values)},
            "submitted_at": {"type": "string", "format": "date-time"},
            "answers": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["topic", "question", "text"],
                    "properties": {
                        "topic": {"type": "string", "enum": list(Question.Topic.values)},
                        "question": {"type": "string"},
                        "text": {"type": "string"},
                    },
                },
            },
            "named": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Youth part only: the resource group's members who each "
                "consented to be named with it (a guardian decides under 15), by nickname or "
                "first name. Empty: the part is the group's voice without names.",
            },
        },
    },
    "EvaluationList": {
        "type": "object",
        "required": ["municipality", "count", "results"],
        "properties": {
            "municipality": {"type": "string"},
            "count": {"type": "integer", "minimum": 0},
            "results": {"type": "array", "items": {"$ref": "#/components/schemas/Evaluation"}},
        },
    },
    "Budget": {
        "type": "object",
        "required": ["year", "frame", "earmarked", "allocations", "positions"],
        "properties": {
            "year": {"type": "integer"},
            "frame": _AMOUNT,
            "earmarked": _AMOUNT,
            "allocations": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["municipality", "name", "allocated", "paid", "used"],
                    "properties": {
                        "municipality": {"type": "string"},
                        "name": {"type": "string"},
                        "allocated": _AMOUNT,
                        "paid": _AMOUNT,
                        "used": _AMOUNT,
                    },
                },
            },
            "positions": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["organisation", "percent"],
                    "properties": {
                        "organisation": {"type": "string"},
                        "percent": {"type": "integer", "minimum": 0, "maximum": 100},
                    },
                },
            },
        },
    },
}
