"""API endpoints of planning (wired into api/urls.py and api/openapi.py)."""

from django.urls import path
from django.utils import timezone

from ungkultur.api.http import api_view, json_response
from ungkultur.planning import selectors


def _milestone(row) -> dict:
    item = row.item
    return {
        "id": item.pk,
        "title": item.title,
        "description": item.description,
        "start": item.start.isoformat(),
        "end": item.end.isoformat(),
        "status": item.status,
        "late": row.late,
    }


@api_view
def milestone_list(request):
    plan = selectors.milestone_plan()
    if plan is None:
        return json_response({"plan": None, "count": 0, "results": []})
    rows = selectors.plan_rows(plan, today=timezone.localdate())
    return json_response(
        {
            "plan": {"title": plan.title, "description": plan.description},
            "count": len(rows),
            "results": [_milestone(row) for row in rows],
        }
    )


urlpatterns = [path("milestones", milestone_list, name="milestone_list")]

OPENAPI_PATHS: dict = {
    "/milestones": {
        "get": {
            "operationId": "listMilestones",
            "summary": "The national milestone plan",
            "description": (
                "The items of the national milestone plan of coordinated culture work (the "
                "pilot's 2020/21 plan in the demo), in date order. `late` is true when an "
                "item's last day has passed and it is still planned, ongoing or postponed."
            ),
            "responses": {
                "200": {
                    "description": "The milestone plan; `plan` is null when there is none.",
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/MilestoneList"}
                        }
                    },
                },
                "401": {"$ref": "#/components/responses/Unauthorized"},
                "405": {"$ref": "#/components/responses/MethodNotAllowed"},
            },
        }
    }
}
OPENAPI_SCHEMAS: dict = {
    "Milestone": {
        "type": "object",
        "required": ["id", "title", "description", "start", "end", "status", "late"],
        "properties": {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "description": {"type": "string"},
            "start": {"type": "string", "format": "date", "description": "First day."},
            "end": {"type": "string", "format": "date", "description": "Last day (included)."},
            "status": {
                "type": "string",
                "enum": ["planned", "ongoing", "done", "postponed", "cancelled"],
            },
            "late": {"type": "boolean"},
        },
    },
    "MilestoneList": {
        "type": "object",
        "required": ["plan", "count", "results"],
        "properties": {
            "plan": {
                "type": ["object", "null"],
                "required": ["title", "description"],
                "properties": {"title": {"type": "string"}, "description": {"type": "string"}},
            },
            "count": {"type": "integer", "minimum": 0},
            "results": {"type": "array", "items": {"$ref": "#/components/schemas/Milestone"}},
        },
    },
}
