"""The OpenAPI 3.0 description of /api/v1/, built from the small table PATHS below: each
path's summary, scope, parameters and answer. tests/api/test_openapi.py validates it and asks
every path as described."""
from __future__ import annotations

VERSION = "1.0.0"

_PAGE = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1,
                                                "maximum": 10000, "default": 1}},
    {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1,
                                                    "maximum": 100, "default": 25}},
]
_YEAR = {"name": "year", "in": "query", "description": "Published in this calendar year "
         "(Europe/Rome).", "schema": {"type": "integer", "minimum": 2000, "maximum": 2100}}
_SINCE = {"name": "published_since", "in": "query", "description": "Published on or after "
          "this day.", "schema": {"type": "string", "format": "date"}}


def _path(name: str, description: str, schema: dict | None = None) -> dict:
    return {"name": name, "in": "path", "required": True, "description": description,
            "schema": schema or {"type": "string"}}


def _query(name: str, description: str, schema: dict | None = None) -> dict:
    return {"name": name, "in": "query", "description": description,
            "schema": schema or {"type": "string"}}


# path -> (operationId, summary, scope or None, parameters, response schema, may be 404/403)
PATHS: dict[str, tuple] = {
    "/": ("whoami", "The token's owner, scopes and the API's parts.", None, [],
          {"type": "object"}, ()),
    "/spaces": ("listSpaces", "The spaces the token's owner sees.", "spaces:read", _PAGE,
                {"$ref": "#/components/schemas/SpacePage"}, ()),
    "/spaces/{slug}": ("getSpace", "One space.", "spaces:read",
                       [_path("slug", "The space's slug.")],
                       {"$ref": "#/components/schemas/Space"}, (404,)),
    "/practices": ("listPractices", "Published good-practice records the owner may read, "
                   "newest first.", "practices:read",
                   [*_PAGE, _query("ats", "ATS code, e.g. BG."),
                    _query("area", "Intervention area code."), _YEAR, _SINCE],
                   {"$ref": "#/components/schemas/PracticePage"}, ()),
    "/practices/counts": ("countPractices", "Published records per ATS.", "practices:read",
                          [_YEAR, _SINCE], {"$ref": "#/components/schemas/PracticeCounts"}, ()),
    "/practices/{practice_id}": ("getPractice", "One published record, in full.",
                                 "practices:read",
                                 [_path("practice_id", "The record's id.", {"type": "integer"})],
                                 {"$ref": "#/components/schemas/Practice"}, (404,)),
    "/meetings": ("listMeetings", "Meetings the owner sees, latest first, with the decisions "
                  "and actions of the minutes they may read.", "meetings:read",
                  [*_PAGE, _query("space", "A space's slug."),
                   _query("from", "Starting on or after this day.",
                          {"type": "string", "format": "date"}),
                   _query("to", "Starting before this day.",
                          {"type": "string", "format": "date"})],
                  {"$ref": "#/components/schemas/MeetingPage"}, ()),
    "/meetings/{meeting_id}": ("getMeeting", "One meeting, with its agenda.", "meetings:read",
                               [_path("meeting_id", "The meeting's id.", {"type": "integer"})],
                               {"$ref": "#/components/schemas/Meeting"}, (404,)),
    "/dashboards": ("listDashboards", "The dashboards the owner reads.", "dashboard:read",
                    _PAGE, {"type": "object"}, ()),
    "/dashboards/region": ("getRegionDashboard", "The regional dashboard (administrators).",
                           "dashboard:read", [], {"$ref": "#/components/schemas/Dashboard"},
                           (403,)),
    "/dashboards/spaces/{slug}": ("getSpaceDashboard", "A space's dashboard (the people who "
                                  "run it).", "dashboard:read",
                                  [_path("slug", "The space's slug.")],
                                  {"$ref": "#/components/schemas/Dashboard"}, (403, 404)),
}

_ERROR = {"description": "An error", "content": {"application/json": {
    "schema": {"$ref": "#/components/schemas/Error"}}}}
_ERRORS = {"400": "A parameter is malformed, unknown or out of range.",
           "401": "No token, or a token unknown, expired or revoked.",
           "403": "The token lacks the scope, or its owner may not read this.",
           "404": "Nothing here, or nothing the owner may see.",
           "429": "Too many requests for this token; see Retry-After."}


def _nullable(kind: str, **extra) -> dict:
    return {"type": kind, "nullable": True, **extra}


def _page_of(ref: str) -> dict:
    return {"type": "object", "required": ["data", "page", "per_page", "next"], "properties": {
        "data": {"type": "array", "items": {"$ref": f"#/components/schemas/{ref}"}},
        "page": {"type": "integer"}, "per_page": {"type": "integer"},
        "next": _nullable("string", format="uri")}}


SCHEMAS = {
    "Error": {"type": "object", "required": ["error"], "properties": {"error": {
        "type": "object", "required": ["status", "code", "message"], "properties": {
            "status": {"type": "integer"}, "code": {"type": "string"},
            "message": {"type": "string"}}}}},
    "Ats": {"type": "object", "nullable": True, "properties": {
        "id": {"type": "integer"}, "code": {"type": "string"}, "name": {"type": "string"}}},
    "SpaceRef": {"type": "object", "nullable": True, "properties": {
        "slug": {"type": "string"}, "name": {"type": "string"},
        "html_url": {"type": "string", "format": "uri"}}},
    "Space": {"type": "object", "required": ["id", "slug", "name", "kind", "visibility"],
              "properties": {
                  "id": {"type": "integer"}, "slug": {"type": "string"},
                  "name": {"type": "string"}, "kind": {"type": "string"},
                  "visibility": {"type": "string", "enum": ["regionale", "riservato"]},
                  "ats": {"$ref": "#/components/schemas/Ats"},
                  "alleanza": {"type": "object", "nullable": True},
                  "member_count": {"type": "integer"},
                  "created_at": {"type": "string", "format": "date-time"},
                  "html_url": {"type": "string", "format": "uri"}}},
    "Practice": {"type": "object", "required": ["id", "title", "status", "published_at"],
                 "properties": {
                     "id": {"type": "integer"}, "title": {"type": "string"},
                     "summary": {"type": "string"}, "status": {"type": "string"},
                     "visibility": {"type": "string"},
                     "published_at": _nullable("string", format="date-time"),
                     "updated_at": {"type": "string", "format": "date-time"},
                     "ats": {"$ref": "#/components/schemas/Ats"},
                     "alleanza": {"type": "object", "nullable": True},
                     "area": {"type": "object", "nullable": True},
                     "target": _nullable("string"), "reached_count": _nullable("integer"),
                     "municipalities": {"type": "array", "items": {"type": "string"}},
                     "lead_organisation": _nullable("string"),
                     "start_date": _nullable("string", format="date"),
                     "end_date": _nullable("string", format="date"),
                     "state": _nullable("string"), "stage": _nullable("string"),
                     "evidence": _nullable("string"), "adoption_count": {"type": "integer"},
                     "space": {"$ref": "#/components/schemas/SpaceRef"},
                     "html_url": {"type": "string", "format": "uri"},
                     # in full (one record): the texts (Markdown), partners, indicators
                     **{name: {"type": "string"} for name in (
                         "need", "activities", "difficulties", "lessons", "transferability",
                         "funding_source")},
                     "budget": _nullable("number"),
                     "partners": {"type": "array", "items": {"type": "object"}},
                     "indicators": {"type": "array", "items": {"type": "object"}}}},
    "PracticeCounts": {"type": "object", "properties": {
        "total": {"type": "integer"},
        "data": {"type": "array", "items": {"type": "object", "properties": {
            "ats": {"type": "object"}, "published": {"type": "integer"}}}}}},
    "Decision": {"type": "object", "description": "From an approved version of the minutes "
                 "(minutes_source approved_version) a decision has no id and no dates.",
                 "properties": {
                     "id": _nullable("integer"), "text": {"type": "string"},
                     "agenda_item_id": _nullable("integer"),
                     "agenda_item": _nullable("string"),
                     "created_at": _nullable("string", format="date-time")}},
    "Action": {"type": "object", "properties": {
        "id": _nullable("integer"), "title": {"type": "string"}, "owner": _nullable("string"),
        "due_date": _nullable("string", format="date"), "status": {"type": "string"},
        "agenda_item_id": _nullable("integer"),
        "updated_at": _nullable("string", format="date-time")}},
    "Meeting": {"type": "object", "required": ["id", "title", "starts_at", "ends_at", "space"],
                "properties": {
                    "id": {"type": "integer"}, "title": {"type": "string"},
                    "kind": {"type": "string"}, "mode": {"type": "string"},
                    "status": {"type": "string"},
                    "starts_at": {"type": "string", "format": "date-time"},
                    "ends_at": {"type": "string", "format": "date-time"},
                    "place": {"type": "string"},
                    "space": {"$ref": "#/components/schemas/SpaceRef"},
                    "series_id": _nullable("integer"), "minutes_status": {"type": "string"},
                    "minutes_approved_at": _nullable("string", format="date-time"),
                    "minutes_readable": {"type": "boolean"},
                    "minutes_source": {"type": "string", "enum": [
                        "current", "approved_version", "none"],
                        "description": "current: the minutes as they stand; "
                                       "approved_version: the latest approved version, while "
                                       "an amendment is under way; none: not readable (only "
                                       "the owner's own actions are listed)."},
                    "minutes_version": _nullable("integer"),
                    "decisions": {"type": "array",
                                  "items": {"$ref": "#/components/schemas/Decision"}},
                    "actions": {"type": "array",
                                "items": {"$ref": "#/components/schemas/Action"}},
                    "agenda": {"type": "array", "items": {"type": "object"}},
                    "html_url": {"type": "string", "format": "uri"}}},
    "Dashboard": {"type": "object", "required": ["scope", "computed_at", "participation"],
                  "properties": {
                      "scope": {"type": "string", "enum": ["region", "space"]},
                      "space": {"$ref": "#/components/schemas/SpaceRef"},
                      "computed_at": {"type": "string", "format": "date-time"},
                      "participation": {"type": "object"},
                      "activity_by_month": {"type": "array", "items": {"type": "object"}},
                      "trend": {"type": "object"},
                      "median_hours_to_first_reply": _nullable("number"),
                      "replied_threads": {"type": "integer"},
                      "unanswered_threads": {"type": "integer"},
                      "attendance_90_days": {"type": "object"},
                      "cohorts": {"type": "array", "items": {"type": "object"}},
                      "coverage": {"type": "object"},
                      "peripheral_members": {"type": "integer"},
                      "warnings": {"type": "array", "items": {"type": "string"}}}},
    "SpacePage": _page_of("Space"),
    "PracticePage": _page_of("Practice"),
    "MeetingPage": _page_of("Meeting"),
}


def _operation(operation_id, summary, scope, parameters, schema, extra) -> dict:
    codes = ["400", "401", "429", *(str(c) for c in extra)]
    if scope:
        codes.append("403")
    responses = {"200": {"description": "OK", "content": {"application/json": {
        "schema": schema}}}}
    for code in sorted(set(codes)):
        responses[code] = {**_ERROR, "description": _ERRORS[code]}
    operation = {"operationId": operation_id, "summary": summary, "parameters": parameters,
                 "responses": responses}
    if scope:
        operation["description"] = f"Scope: `{scope}`."
    return operation


def document(server_url: str) -> dict:
    return {
        "openapi": "3.0.3",
        "info": {"title": "Comunità di pratica conciliazione: read API", "version": VERSION,
                 "description": "Read-only JSON API of the Community of Practice of Lombardy's "
                                "work-life balance networks. Authenticate with a personal "
                                "access token (your profile, «Token per l'API»): "
                                "`Authorization: Bearer <token>`. A token reads what its owner "
                                "may read on the pages, within its scopes."},
        "servers": [{"url": server_url}],
        "security": [{"bearerToken": []}],
        "components": {
            "securitySchemes": {"bearerToken": {"type": "http", "scheme": "bearer",
                                                "description": "A personal access token."}},
            "schemas": SCHEMAS,
        },
        "paths": {path: {"get": _operation(*spec)} for path, spec in PATHS.items()}
        | {"/openapi.json": {"get": {
            "operationId": "getOpenApi", "summary": "This description.", "security": [],
            "responses": {"200": {"description": "OK", "content": {
                "application/json": {"schema": {"type": "object"}}}}}}}},
    }
