"""Paging, filters, the SQL count of a page, hostile parameters and the rate limit."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cop.extensions import db
from cop.practices.models import Practice
from tests.api.helpers import api, make_token
from tests.meetings.helpers import Meetings
from tests.practices.helpers import Practices


def _published_in(app, practice_id: int, year: int) -> None:
    with app.app_context():
        db.session.get(Practice, practice_id).published_at = datetime(year, 6, 1, tzinfo=UTC)
        db.session.commit()


def test_practices_filtered_by_ats_year_and_area(app, world, factory):
    practices = Practices(app)
    bergamo = practices.make("ats-bergamo", world.referent.id, title="Bergamo quest'anno",
                             visibility="registrati", ats_code="BG")
    old = practices.make("ats-bergamo", world.referent.id, title="Bergamo anni fa",
                         visibility="registrati", ats_code="BG")
    _published_in(app, old, 2021)
    curator = factory.user(site_role="admin")  # regional staff attribute to any ATS
    milano = practices.make(world.regional.slug, curator.id, title="Milano",
                            validator_id=world.admin.id, visibility="registrati", ats_code="MI",
                            area="contrattazione_territoriale", target="imprese")
    this_year = datetime.now(UTC).year
    token = make_token(app, world.outsider.id)

    def ids(query):
        response = api(app, f"/api/v1/practices?{query}", token)
        assert response.status_code == 200, response.get_json()
        return [p["id"] for p in response.get_json()["data"]]

    assert ids(f"ats=BG&year={this_year}") == [bergamo]
    assert ids("ats=bg&year=2021") == [old]
    assert set(ids("ats=BG")) == {bergamo, old}
    assert ids(f"published_since={this_year}-01-01&ats=MI") == [milano]
    assert ids("area=contrattazione_territoriale") == [milano]
    counts = api(app, f"/api/v1/practices/counts?year={this_year}", token).get_json()
    per_ats = {row["ats"]["code"]: row["published"] for row in counts["data"]}
    assert per_ats["BG"] == 1 and per_ats["MI"] == 1 and counts["total"] == 2
    assert len(per_ats) == 8  # every ATS, with zero where nothing was published


def test_pages_follow_next_links_to_the_end(app, world):
    practices = Practices(app)
    made = {practices.make(world.regional.slug, world.coordinator.id, title=f"Pratica {n}",
                           visibility="registrati") for n in range(5)}
    token = make_token(app, world.outsider.id)
    seen, url, pages = [], "/api/v1/practices?per_page=2", 0
    while url:
        body = api(app, url, token).get_json()
        assert body["per_page"] == 2 and len(body["data"]) <= 2
        seen += [p["id"] for p in body["data"]]
        url = body["next"]
        assert url is None or url.startswith("http://localhost/api/v1/practices?")
        pages += 1
    assert pages == 3 and set(seen) == made and len(seen) == 5


@pytest.mark.parametrize("path, make", [
    ("/api/v1/practices?per_page={n}", "practices"),
    ("/api/v1/meetings?per_page={n}", "meetings"),
    ("/api/v1/spaces?per_page={n}", "spaces"),
])
def test_a_page_costs_the_same_statements_whatever_its_size(app, world, factory,
                                                             count_queries, path, make):
    practices, meetings = Practices(app), Meetings(app)
    for n in range(6):
        if make == "practices":
            practices.make(world.reserved.slug, world.coordinator.id, title=f"P{n}",
                           visibility="registrati", partners=2, indicators=2)
        elif make == "meetings":
            meetings.make(world.reserved.slug, world.coordinator.id, title=f"M{n}",
                          invite_members=True)
        else:
            factory.member(factory.space(visibility="riservato"), world.member)
    token = make_token(app, world.member.id)
    api(app, "/api/v1/", token)  # the first use writes «last used»; the pages below do not
    counts = []
    for n in (1, 6):
        with count_queries() as statements:
            body = api(app, path.format(n=n), token).get_json()
        assert len(body["data"]) == n
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("query", [
    "page=0", "page=-1", "page=abc", "page=99999999999999999999", "per_page=0",
    "per_page=101", "per_page=1e3", "year=99", "year=2026.5", "published_since=2026-13-45",
    "published_since=yesterday", "ats=%3Cscript%3E", "ats=ZZ", "area=nessuna",
    "ats=" + "B" * 300, "page=1&page=2", "pagina=2", "ats=%00", "ats=%E2%80%AE",
    "year=%ef%bc%92%ef%bc%90%ef%bc%92%ef%bc%96",
])
def test_hostile_parameters_are_400_in_json(app, world, query):
    token = make_token(app, world.member.id)
    response = api(app, f"/api/v1/practices?{query}", token)
    assert response.status_code == 400, (query, response.status_code)
    assert response.is_json and response.get_json()["error"]["code"] in ("bad_parameter",
                                                                         "bad_request")


@pytest.mark.parametrize("path", [
    "/api/v1/meetings?from=2026-02-30", "/api/v1/meetings?space=%27%20OR%201%3D1",
    "/api/v1/meetings?to=" + "9" * 50, "/api/v1/spaces?per_page=-5",
    "/api/v1/dashboards?page=x", "/api/v1/spaces/x?extra=1",
])
def test_hostile_parameters_elsewhere(app, world, path):
    token = make_token(app, world.admin.id)
    response = api(app, path, token)
    assert response.status_code == 400 and response.is_json, path


@pytest.mark.parametrize("path", [
    "/api/v1/nothing", "/api/v1/spaces/" + "x" * 500, "/api/v1/meetings/99999999999",
    "/api/v1/practices/0", "/api/v1/spaces/%00", "/api/v1/meetings/abc",
])
def test_unknown_addresses_are_404_in_json(app, world, path):
    token = make_token(app, world.admin.id)
    response = api(app, path, token)
    assert response.status_code == 404 and response.is_json, path
    assert response.get_json()["error"]["code"] == "not_found"


def test_the_api_only_reads(app, world):
    token = make_token(app, world.admin.id)
    response = app.test_client().post("/api/v1/spaces",
                                      headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 405 and response.is_json
    assert "Set-Cookie" not in response.headers


def test_each_token_has_its_own_rate_limit(make_app, factory_for_limits):
    app, member, other = factory_for_limits
    first, second = make_token(app, member), make_token(app, other)
    for _ in range(3):
        assert api(app, "/api/v1/", first).status_code == 200
    refused = api(app, "/api/v1/", first)
    assert refused.status_code == 429 and refused.is_json
    assert refused.get_json()["error"]["code"] == "rate_limited"
    assert int(refused.headers["Retry-After"]) >= 1
    assert api(app, "/api/v1/", second).status_code == 200  # another token counts apart


@pytest.fixture
def factory_for_limits(make_app):
    from tests.factories import Factory

    app = make_app(API_RATE_LIMIT="3 per minute")
    factory = Factory(app)
    return app, factory.user().id, factory.user().id


def test_refused_tokens_are_limited_per_address(make_app):
    app = make_app(API_REFUSED_RATE_LIMIT="2 per minute")
    for _ in range(2):
        assert api(app, "/api/v1/spaces", "cop_sbagliato").status_code == 401
    refused = api(app, "/api/v1/spaces", "cop_sbagliato")
    assert refused.status_code == 429 and refused.get_json()["error"]["code"] == "rate_limited"
    assert api(app, "/api/v1/spaces").status_code == 429  # no token either
