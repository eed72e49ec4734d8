"""The OpenAPI 3.1 description of the API, written by hand. Keep it in step with urls.py
(tests/test_openapi.py checks that every route is described)."""


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
                    "400": _json(_ref("Error"), "The value of kk is neither true nor false."),
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
        },
        "schemas": {
            "Error": {
                "type": "object",
                "required": ["error"],
                "properties": {"error": {"type": "string"}},
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
