"""The OpenAPI 3.1 description of the API, written by hand. Keep it in step with urls.py
(tests/test_openapi.py checks that every route is described)."""

from ungkultur.api import evaluations, indicators, meetings, participation, planning, surveys
from ungkultur.api.http import ID_SCHEMA


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERROR_RESPONSES = {
    "401": {"$ref": "#/components/responses/Unauthorized"},
    "405": {"$ref": "#/components/responses/MethodNotAllowed"},
}
NOT_FOUND = {"404": _json(_ref("Error"), "No municipality has or had this number.")}

CODE_PARAMETER = {
    "name": "code",
    "in": "path",
    "required": True,
    "description": (
        "Municipality number (four digits). A former number (such as Kongsberg's 3006) "
        "answers with the municipality under its current number."
    ),
    "schema": {"type": "string", "pattern": "^[0-9]{4}$", "examples": ["4203"]},
}

DATE_OR_NULL = {"type": ["string", "null"], "format": "date"}

# The catalogue's values (tests/test_openapi.py and test_offers.py check them against the models).
CATEGORIES = [
    "music",
    "dance",
    "theatre",
    "visual_art",
    "creative_writing",
    "film_media",
    "gaming",
    "literature",
    "other",
]
UNIT_KINDS = [
    "kulturskole",
    "youth_club",
    "ukm",
    "library",
    "art_association",
    "volunteer",
    "other",
]
JOIN_MODES = ["drop_in", "registration", "application"]
SUBJECT_AREAS = ["music", "dance", "theatre", "visual_art", "creative_writing"]
PROGRAMMES = ["breadth", "core", "advanced"]
OFFER_FIELDS = [
    "id",
    "title",
    "description",
    "url",
    "municipality",
    "unit",
    "category",
    "age_min",
    "age_max",
    "price",
    "reduced_price",
    "price_note",
    "free",
    "join_mode",
    "capacity",
    "application_deadline",
    "how_to_join",
    "subject_area",
    "programme",
    "term_start",
    "term_end",
    "venue",
    "weekdays",
    "next_session",
]

OPENAPI = {
    "openapi": "3.1.0",
    "info": {
        "title": "Ungkultur API",
        "version": "1.0.0",
        "summary": "Open data on coordinated municipal culture work for youth (KK).",
        "description": (
            "Read-only JSON. Without a token you get public data only: no names of people. "
            "With a personal API token (created on 'Min side' by staff) the organisation "
            "endpoint also lists the members of the groups the token's owner may see. "
            "Texts in error messages are in Norwegian."
        ),
        "license": {"name": "NLOD-2.0", "url": "https://data.norge.no/nlod/no/2.0"},
    },
    "servers": [{"url": "/api/v1"}],
    "security": [{}, {"bearerAuth": []}],
    "paths": {
        "/municipalities": {
            "get": {
                "operationId": "listMunicipalities",
                "summary": "All municipalities",
                "description": "Every municipality of Norway (357 since 2024), ordered by number.",
                "parameters": [
                    {
                        "name": "kk",
                        "in": "query",
                        "required": False,
                        "description": "true: only municipalities in KK; false: only those not.",
                        "schema": {"type": "string", "enum": ["true", "false"]},
                    }
                ],
                "responses": {
                    "200": _json(_ref("MunicipalityList"), "The municipalities."),
                    "400": _json(_ref("Error"), "kk is empty, or neither true nor false."),
                    **ERROR_RESPONSES,
                },
            }
        },
        "/municipalities/{code}": {
            "parameters": [CODE_PARAMETER],
            "get": {
                "operationId": "getMunicipality",
                "summary": "One municipality",
                "responses": {
                    "200": _json(
                        _ref("Municipality"), "The municipality, under its current number."
                    ),
                    **NOT_FOUND,
                    **ERROR_RESPONSES,
                },
            },
        },
        "/municipalities/{code}/organisation": {
            "parameters": [CODE_PARAMETER],
            "get": {
                "operationId": "getMunicipalityOrganisation",
                "summary": "A municipality's services, partners and groups",
                "description": (
                    "Each group has `members` only when the caller's token belongs to someone "
                    "who may see the group's members (its coordinators, the municipality's "
                    "staff and the group's own members). Anonymous callers never get `members`. "
                    "The local project group counts the youth resource group's members as its own."
                ),
                "responses": {
                    "200": _json(_ref("MunicipalityOrganisation"), "The organisation."),
                    **NOT_FOUND,
                    **ERROR_RESPONSES,
                },
            },
        },
        "/offers": {
            "get": {
                "operationId": "listOffers",
                "summary": "Published offers for youth",
                "description": (
                    "Published offers whose term has not ended, ordered by title, 50 to a page. "
                    "The filters are those of the catalogue pages and combine with AND."
                ),
                "parameters": [
                    {
                        "name": "municipality",
                        "in": "query",
                        "required": False,
                        "description": "Municipality number; a former number works too.",
                        "schema": {"type": "string", "pattern": "^[0-9]{4}$"},
                    },
                    {
                        "name": "age",
                        "in": "query",
                        "required": False,
                        "description": "Only offers for this age (age_min <= age <= age_max).",
                        "schema": {"type": "integer", "minimum": 0, "maximum": 99},
                    },
                    {
                        "name": "category",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string", "enum": CATEGORIES},
                    },
                    {
                        "name": "unit_type",
                        "in": "query",
                        "required": False,
                        "description": "The kind of unit that runs the offer.",
                        "schema": {"type": "string", "enum": UNIT_KINDS},
                    },
                    {
                        "name": "weekday",
                        "in": "query",
                        "required": False,
                        "description": (
                            "Only offers with a coming session that is not cancelled on this "
                            "day (Oslo time): 0 Monday … 6 Sunday."
                        ),
                        "schema": {"type": "integer", "minimum": 0, "maximum": 6},
                    },
                    {
                        "name": "free",
                        "in": "query",
                        "required": False,
                        "description": "true: only offers that cost nothing.",
                        "schema": {"type": "string", "enum": ["true", "false"]},
                    },
                    {
                        "name": "page",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "integer", "minimum": 1, "default": 1},
                    },
                ],
                "responses": {
                    "200": _json(_ref("OfferList"), "One page of offers."),
                    "400": _json(_ref("Error"), "A parameter is empty or has a bad value."),
                    "404": _json(
                        _ref("Error"), "No municipality has this number, or no such page."
                    ),
                    **ERROR_RESPONSES,
                },
            }
        },
        "/offers/{id}": {
            "parameters": [
                {
                    "name": "id",
                    "in": "path",
                    "required": True,
                    "schema": ID_SCHEMA,
                }
            ],
            "get": {
                "operationId": "getOffer",
                "summary": "One published offer with its sessions",
                "responses": {
                    "200": _json(_ref("OfferDetail"), "The offer."),
                    "404": _json(_ref("Error"), "No published offer has this id."),
                    **ERROR_RESPONSES,
                },
            },
        },
        "/openapi.json": {
            "get": {
                "operationId": "getOpenApi",
                "summary": "This document",
                "security": [{}],
                "responses": {
                    "200": {
                        "description": "The OpenAPI 3.1 document.",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    **ERROR_RESPONSES,
                },
            }
        },
    },
    "components": {
        "securitySchemes": {
            "bearerAuth": {
                "type": "http",
                "scheme": "bearer",
                "description": "A personal API token: `Authorization: Bearer TOKEN`.",
            }
        },
        "responses": {
            "Unauthorized": {
                "description": "The Authorization header is malformed, or the token is unknown "
                "or revoked.",
                "headers": {
                    "WWW-Authenticate": {"schema": {"type": "string"}, "description": "Bearer"}
                },
                "content": {"application/json": {"schema": _ref("Error")}},
            },
            "MethodNotAllowed": {
                "description": "Only GET (and HEAD) are allowed.",
                "content": {"application/json": {"schema": _ref("Error")}},
            },
            "BadRequest": {
                "description": "A query parameter is empty (leave it out instead) or has a bad "
                "value; the message says which.",
                "content": {"application/json": {"schema": _ref("Error")}},
            },
            "NotFound": {
                "description": "Nothing here: a path parameter names nothing, or the path is "
                "not part of the API.",
                "content": {"application/json": {"schema": _ref("Error")}},
            },
            "ServerError": {
                "description": "Our fault; the body says no more than that.",
                "content": {"application/json": {"schema": _ref("Error")}},
            },
        },
        "schemas": {
            "Error": {
                "type": "object",
                "description": "Every error is JSON, also for paths the API does not have.",
                "required": ["error"],
                "properties": {
                    "error": {"type": "string", "description": "What went wrong, in Norwegian."},
                    "status": {"type": "integer", "description": "The HTTP status code."},
                    "title": {"type": "string", "description": "The status's English name."},
                },
            },
            "County": {
                "type": "object",
                "required": ["code", "name"],
                "properties": {
                    "code": {"type": "string", "pattern": "^[0-9]{2}$"},
                    "name": {"type": "string"},
                },
            },
            "Municipality": {
                "type": "object",
                "required": ["code", "name", "county", "kk_active", "former_codes"],
                "properties": {
                    "code": {"type": "string", "pattern": "^[0-9]{4}$"},
                    "name": {"type": "string"},
                    "county": _ref("County"),
                    "kk_active": {
                        "type": "boolean",
                        "description": "Whether the municipality takes part in KK.",
                    },
                    "former_codes": {
                        "type": "array",
                        "items": {"type": "string", "pattern": "^[0-9]{4}$"},
                    },
                },
            },
            "MunicipalityList": {
                "type": "object",
                "required": ["count", "results"],
                "properties": {
                    "count": {"type": "integer", "minimum": 0},
                    "results": {"type": "array", "items": _ref("Municipality")},
                },
            },
            "Unit": {
                "type": "object",
                "required": ["kind", "name", "organisation"],
                "properties": {
                    "kind": {
                        "type": "string",
                        "enum": [
                            "kulturskole",
                            "youth_club",
                            "ukm",
                            "library",
                            "art_association",
                            "volunteer",
                            "other",
                        ],
                    },
                    "name": {"type": "string"},
                    "organisation": {
                        "type": ["string", "null"],
                        "description": "Short name of the national organisation (NKR, UoF, UKM).",
                    },
                },
            },
            "Member": {
                "type": "object",
                "required": ["name", "role", "start", "end"],
                "properties": {
                    "name": {
                        "type": "string",
                        "description": "A youth member is named by nickname or first name "
                        "unless the caller may manage the group.",
                    },
                    "role": {
                        "type": "string",
                        "enum": [
                            "chair",
                            "director",
                            "main_project_leader",
                            "national_coordinator",
                            "project_leader",
                            "culture_chief",
                            "kulturskole_rector",
                            "club_leader",
                            "ukm_contact",
                            "adviser",
                            "member",
                            "youth_member",
                        ],
                    },
                    "start": {"type": "string", "format": "date"},
                    "end": {
                        **DATE_OR_NULL,
                        "description": "First day no longer a member; null while open-ended.",
                    },
                },
            },
            "Group": {
                "type": "object",
                "required": ["id", "kind", "name", "seats", "member_count", "youth_count"],
                "properties": {
                    "id": {"type": "integer"},
                    "kind": {
                        "type": "string",
                        "enum": ["local_project_group", "youth_resource_group"],
                    },
                    "name": {"type": "string"},
                    "seats": {"type": ["integer", "null"], "minimum": 0},
                    "member_count": {"type": "integer", "minimum": 0},
                    "youth_count": {"type": "integer", "minimum": 0},
                    "members": {
                        "type": "array",
                        "items": _ref("Member"),
                        "description": "Only for callers allowed to see the group's members.",
                    },
                },
            },
            "Venue": {
                "type": "object",
                "required": [
                    "id",
                    "name",
                    "address",
                    "step_free",
                    "accessible_toilet",
                    "hearing_loop",
                    "accessibility_notes",
                ],
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "address": {"type": "string"},
                    "step_free": {"type": "boolean", "description": "Step-free access."},
                    "accessible_toilet": {"type": "boolean"},
                    "hearing_loop": {"type": "boolean"},
                    "accessibility_notes": {"type": "string"},
                },
            },
            "Session": {
                "type": "object",
                "required": [
                    "id",
                    "starts_at",
                    "ends_at",
                    "weekday",
                    "venue",
                    "cancelled",
                    "cancel_reason",
                ],
                "properties": {
                    "id": {"type": "integer"},
                    "starts_at": {
                        "type": "string",
                        "format": "date-time",
                        "description": "Oslo time with its offset.",
                    },
                    "ends_at": {"type": "string", "format": "date-time"},
                    "weekday": {"type": "integer", "minimum": 0, "maximum": 6},
                    "venue": {
                        "oneOf": [_ref("Venue"), {"type": "null"}],
                        "description": "null: at the offer's own place.",
                    },
                    "cancelled": {"type": "boolean"},
                    "cancel_reason": {"type": ["string", "null"]},
                },
            },
            "Offer": {
                "type": "object",
                "required": OFFER_FIELDS,
                "properties": {
                    "id": {"type": "integer"},
                    "title": {"type": "string"},
                    "description": {"type": "string"},
                    "url": {"type": "string", "format": "uri", "description": "The offer's page."},
                    "municipality": {
                        "type": "object",
                        "required": ["code", "name"],
                        "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
                    },
                    "unit": {
                        "type": "object",
                        "required": ["id", "kind", "name"],
                        "properties": {
                            "id": {"type": "integer"},
                            "kind": {"type": "string", "enum": UNIT_KINDS},
                            "name": {"type": "string"},
                        },
                    },
                    "category": {"type": "string", "enum": CATEGORIES},
                    "age_min": {"type": "integer", "minimum": 0},
                    "age_max": {"type": "integer", "minimum": 0},
                    "price": {"type": "integer", "minimum": 0, "description": "In NOK."},
                    "reduced_price": {"type": ["integer", "null"], "minimum": 0},
                    "price_note": {"type": "string"},
                    "free": {"type": "boolean"},
                    "join_mode": {
                        "type": "string",
                        "enum": JOIN_MODES,
                        "description": "drop_in: just show up; registration: first come, first "
                        "served up to capacity; application: apply by the deadline.",
                    },
                    "capacity": {"type": ["integer", "null"], "minimum": 0},
                    "application_deadline": DATE_OR_NULL,
                    "how_to_join": {"type": "string"},
                    "subject_area": {
                        "type": ["string", "null"],
                        "enum": [*SUBJECT_AREAS, None],
                        "description": "Kulturskole offers only.",
                    },
                    "programme": {
                        "type": ["string", "null"],
                        "enum": [*PROGRAMMES, None],
                        "description": "Kulturskole offers only.",
                    },
                    "term_start": {"type": "string", "format": "date"},
                    "term_end": {**DATE_OR_NULL, "description": "The last day; null: runs on."},
                    "venue": {"oneOf": [_ref("Venue"), {"type": "null"}]},
                    "weekdays": {
                        "type": "array",
                        "items": {"type": "integer", "minimum": 0, "maximum": 6},
                        "description": "Days with coming sessions, Monday (0) first.",
                    },
                    "next_session": {"oneOf": [_ref("Session"), {"type": "null"}]},
                },
            },
            "OfferDetail": {
                "allOf": [
                    _ref("Offer"),
                    {
                        "type": "object",
                        "required": ["sessions"],
                        "properties": {
                            "sessions": {
                                "type": "array",
                                "items": _ref("Session"),
                                "description": "From 30 days ago on, cancelled ones too.",
                            }
                        },
                    },
                ]
            },
            "OfferList": {
                "type": "object",
                "required": ["count", "next", "results"],
                "properties": {
                    "count": {"type": "integer", "minimum": 0},
                    "next": {
                        "type": ["string", "null"],
                        "format": "uri",
                        "description": "The next page; null on the last.",
                    },
                    "results": {"type": "array", "items": _ref("Offer")},
                },
            },
            "MunicipalityOrganisation": {
                "type": "object",
                "required": ["municipality", "units", "groups"],
                "properties": {
                    "municipality": {
                        "type": "object",
                        "required": ["code", "name"],
                        "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
                    },
                    "units": {"type": "array", "items": _ref("Unit")},
                    "groups": {"type": "array", "items": _ref("Group")},
                },
            },
        },
    },
}

# Each domain's module adds its paths and schemas.
for _module in (participation, planning, meetings, surveys, indicators, evaluations):
    OPENAPI["paths"].update(_module.OPENAPI_PATHS)
    OPENAPI["components"]["schemas"].update(_module.OPENAPI_SCHEMAS)

# What any operation can answer (api_view and handler404/500 in ungkultur/errors.py), where the
# operation does not describe it more closely.
for _item in OPENAPI["paths"].values():
    for _method in set(_item) - {"parameters"}:
        _responses = _item[_method]["responses"]
        _responses.setdefault("400", {"$ref": "#/components/responses/BadRequest"})
        _responses.setdefault("404", {"$ref": "#/components/responses/NotFound"})
        _responses.setdefault("500", {"$ref": "#/components/responses/ServerError"})
