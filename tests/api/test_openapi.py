"""The OpenAPI description is valid OpenAPI 3, lists every route of the API, and each path
answers as it says: 200 with the described fields for a token with its scope, 401 without a
token, 403 without the scope."""
from __future__ import annotations

import pytest
from openapi_spec_validator import validate

from cop.api.models import SCOPES
from tests.api.helpers import api, make_token
from tests.practices.helpers import Practices


def test_the_description_is_valid_openapi_3_and_public(app):
    response = app.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.is_json
    document = response.get_json()
    validate(document)
    assert document["openapi"].startswith("3.")
    assert document["servers"] == [{"url": "http://localhost/api/v1"}]
    assert "Set-Cookie" not in response.headers


def test_it_describes_every_route_of_the_api(app):
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    described = {f"/api/v1{path}".replace("//", "/") for path in document["paths"]}
    served = {str(rule).replace("<", "{").replace(">", "}").replace("int:", "")
              for rule in app.url_map.iter_rules()
              if rule.endpoint.startswith("api.") and rule.endpoint != "api.unknown"}
    assert described == served


def _resolve(document, schema):
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def test_each_path_answers_as_described(app, world):
    practice_id = Practices(app).make(world.reserved.slug, world.coordinator.id,
                                      visibility="registrati")
    from tests.meetings.helpers import Meetings

    meeting_id = Meetings(app).make(world.reserved.slug, world.coordinator.id)
    values = {"slug": world.reserved.slug, "practice_id": practice_id, "meeting_id": meeting_id}
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    admin = make_token(app, world.admin.id)
    checked = 0
    for path, item in document["paths"].items():
        operation = item["get"]
        url = "/api/v1" + path.format(**values) if path != "/" else "/api/v1/"
        if not operation.get("security", True):  # public
            assert api(app, url).status_code == 200
            continue
        response = api(app, url, admin)
        assert response.status_code == 200, (url, response.get_json())
        schema = _resolve(document, operation["responses"]["200"]["content"][
            "application/json"]["schema"])
        body = response.get_json()
        for name in schema.get("required", []):
            assert name in body, (url, name)
        if schema.get("properties") and "data" not in schema["properties"]:
            assert set(body) <= set(schema["properties"]), (url, set(body) - set(
                schema["properties"]))  # every field served is described
        if "items" in schema.get("properties", {}).get("data", {}):
            item_schema = _resolve(document, schema["properties"]["data"]["items"])
            assert body["data"], url
            for row in body["data"]:
                for name in item_schema.get("required", []):
                    assert name in row, (url, name)
                if item_schema.get("properties"):
                    assert set(row) <= set(item_schema["properties"]), url
        missing = api(app, url)
        assert missing.status_code == 401 and "401" in operation["responses"]
        scope = operation.get("description", "").removeprefix("Scope: `").removesuffix("`.")
        if scope in SCOPES:
            others = make_token(app, world.admin.id, scopes=[s for s in SCOPES if s != scope])
            refused = api(app, url, others)
            assert refused.status_code == 403 and "403" in operation["responses"], url
        checked += 1
    assert checked == len(document["paths"]) - 1


@pytest.mark.parametrize("page", ["/api", "/api/v1/openapi.json"])
def test_the_human_page_and_the_description_need_no_sign_in(app, page):
    response = app.test_client().get(page)
    assert response.status_code == 200


def test_the_human_page_says_how_to_get_a_token(client, world):
    page = client.get("/api").get_data(as_text=True)
    assert "/api/v1/openapi.json" in page and "Come ottenere un token" in page
    assert "Authorization: Bearer" in page
    client.login(world.member.email)
    assert "/profilo/token-api" in client.get("/api").get_data(as_text=True)
