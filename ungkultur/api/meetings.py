"""API endpoints of meetings (wired into api/urls.py and api/openapi.py)."""

from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ungkultur.api.http import api_view, json_error, json_response
from ungkultur.meetings import selectors
from ungkultur.meetings.models import Event
from ungkultur.municipalities.selectors import municipality_by_any_code

PERIODS = ("upcoming", "past", "all")
MAX_EVENTS = 500


def _event(request, event: Event, *, internal: bool) -> dict:
    history = event.changes.all()  # prefetched
    first = next(iter(history), None)
    data = {
        "id": event.pk,
        "kind": event.kind,
        "title": event.title,
        "starts_at": event.starts_at.isoformat(),
        "ends_at": event.ends_at.isoformat(),
        "status": event.status,
        "place": event.place,
        "cancel_reason": event.cancel_reason,
        "first_planned_start": first.starts_at.isoformat() if first else None,
        "url": request.build_absolute_uri(reverse("meetings:event_detail", args=[event.pk])),
    }
    if internal:
        data["online_url"] = event.online_url
        data["agenda"] = [item.title for item in event.agenda_items.all()]
    return data


@api_view
def municipality_meetings(request, code):
    municipality = municipality_by_any_code(code)
    if municipality is None:
        return json_error(
            _("Fant ingen kommune med nummeret %(code)s.") % {"code": code}, status=404
        )
    period = request.GET.get("period", "upcoming")
    if period not in PERIODS:
        return json_error(
            _("Ukjent periode «%(period)s». Bruk upcoming, past eller all.") % {"period": period},
            status=400,
        )
    events = list(
        selectors.events_listed(
            Event.objects.filter(municipality=municipality), now=timezone.now(), period=period
        ).prefetch_related("changes", "agenda_items")[:MAX_EVENTS]
    )
    internal = selectors.internal_event_ids(request.api_user, events)
    results = [_event(request, event, internal=event.pk in internal) for event in events]
    return json_response(
        {"municipality": municipality.code, "count": len(results), "results": results}
    )


urlpatterns = [
    path(
        "municipalities/<str:code>/meetings",
        municipality_meetings,
        name="municipality_meetings",
    ),
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


OPENAPI_PATHS: dict = {
    "/municipalities/{code}/meetings": {
        "parameters": [_CODE],
        "get": {
            "operationId": "listMunicipalityMeetings",
            "summary": "A municipality's meetings and events",
            "description": (
                "Meetings and events of one municipality (project-group and resource-group "
                "meetings, municipality and theme meetings, local courses), ordered by start; "
                "past ones newest first. Public fields only; no personal data. With a token of "
                "someone who may see the meeting's inside (its organisers, invitees, members of "
                "invited groups, the municipality's staff) each meeting also has `online_url` "
                "and the agenda's titles. A moved meeting keeps its first planned start in "
                "`first_planned_start`."
            ),
            "parameters": [
                {
                    "name": "period",
                    "in": "query",
                    "required": False,
                    "description": "upcoming (not yet ended, the default), past or all.",
                    "schema": {"type": "string", "enum": list(PERIODS)},
                }
            ],
            "responses": {
                "200": _json({"$ref": "#/components/schemas/MeetingList"}, "The meetings."),
                "400": _json({"$ref": "#/components/schemas/Error"}, "Unknown period."),
                "404": _json(
                    {"$ref": "#/components/schemas/Error"}, "No municipality has this number."
                ),
                "401": {"$ref": "#/components/responses/Unauthorized"},
                "405": {"$ref": "#/components/responses/MethodNotAllowed"},
            },
        },
    }
}
OPENAPI_SCHEMAS: dict = {
    "Meeting": {
        "type": "object",
        "required": ["id", "kind", "title", "starts_at", "ends_at", "status", "place", "url"],
        "properties": {
            "id": {"type": "integer"},
            "kind": {"type": "string", "enum": list(Event.Kind.values)},
            "title": {"type": "string"},
            "starts_at": {"type": "string", "format": "date-time"},
            "ends_at": {"type": "string", "format": "date-time"},
            "status": {"type": "string", "enum": list(Event.Status.values)},
            "place": {"type": "string"},
            "cancel_reason": {"type": "string"},
            "first_planned_start": {"type": ["string", "null"], "format": "date-time"},
            "url": {"type": "string", "format": "uri"},
            "online_url": {"type": "string", "description": "Only with a token, see above."},
            "agenda": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Only with a token, see above.",
            },
        },
    },
    "MeetingList": {
        "type": "object",
        "required": ["municipality", "count", "results"],
        "properties": {
            "municipality": {"type": "string"},
            "count": {"type": "integer"},
            "results": {"type": "array", "items": {"$ref": "#/components/schemas/Meeting"}},
        },
    },
}
