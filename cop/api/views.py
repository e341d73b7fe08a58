"""The read API, /api/v1/: JSON only, each list paged (`page`, `per_page`; `next` is the
address of the following page, or null), each object kept to what the token's owner may read
(cop.access clauses) and each part to its scope. See cop/api/openapi.py for the description
served at /api/v1/openapi.json."""
from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app, g, jsonify, request, url_for
from werkzeug.exceptions import HTTPException

from cop import access
from cop.api import bearer, openapi, params, queries, serialize
from cop.api.blueprint import bp
from cop.api.errors import ApiError, bad_parameter, not_found, respond
from cop.dashboard import queries as dashboard_queries
from cop.dashboard.metrics import Scope
from cop.extensions import db

PUBLIC = {"api.openapi", "api.unknown"}


@bp.before_request
def _authenticate():
    if request.endpoint not in PUBLIC:
        bearer.authenticate()


@bp.after_request
def _headers(response):
    response.headers["Cache-Control"] = "no-store"
    response.headers.pop("Set-Cookie", None)  # the API never starts or keeps a session
    return response


@bp.errorhandler(ApiError)
def _api_error(error):
    db.session.rollback()
    return respond(error)


def _http_error(error):
    return respond(ApiError(error.code or 500, (error.name or "error").lower().replace(" ", "_"),
                            error.description or error.name))


# By code as well as by class: the app's pages register HTML handlers per code (cop/security.py),
# and Flask prefers a handler for the exact code to a blueprint's handler for the base class.
bp.register_error_handler(HTTPException, _http_error)
for _code in (400, 403, 404, 405, 413, 429):
    bp.register_error_handler(_code, _http_error)


@bp.errorhandler(Exception)
def _server_error(error):
    if isinstance(error, HTTPException):
        return _http_error(error)
    current_app.logger.exception("API request failed")
    db.session.rollback()
    return respond(ApiError(500, "server_error", "Something went wrong on our side."))


def _zone():
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def _page(query, paging: params.Paging, endpoint: str, **values):
    """One page of `query` (one statement: a row more than the page says whether there is a
    next one) and the address of the next page."""
    rows = list(db.session.scalars(query.limit(paging.per_page + 1).offset(paging.offset))
                .unique())
    following = None
    if len(rows) > paging.per_page and paging.page < params.MAX_PAGE:
        args = {k: v for k, v in request.args.items() if k not in ("page",)}
        following = url_for(endpoint, **values, **args, page=paging.page + 1, _external=True)
    return rows[:paging.per_page], following


def _listing(data: list, paging: params.Paging, following: str | None):
    return jsonify(data=data, page=paging.page, per_page=paging.per_page, next=following)


@bp.route("/openapi.json", endpoint="openapi")
def openapi_json():
    """The OpenAPI 3 description of this API (public: it says what exists, not what is)."""
    return jsonify(openapi.document(url_for("api.index", _external=True).rstrip("/")))


@bp.route("/")
def index():
    """Who the token is and what it may read."""
    params.only()
    token, user = g.api_token, g.api_user
    return jsonify(user={"id": user.id, "name": user.name},
                   token={"name": token.name, "prefix": token.prefix,
                          "scopes": token.scope_list,
                          "expires_at": serialize.when(token.expires_at)},
                   links={"spaces": url_for("api.spaces", _external=True),
                          "practices": url_for("api.practices", _external=True),
                          "meetings": url_for("api.meetings", _external=True),
                          "dashboards": url_for("api.dashboards", _external=True),
                          "openapi": url_for("api.openapi", _external=True)})


# --- spaces ---------------------------------------------------------------------------------

@bp.route("/spaces")
@bearer.needs("spaces:read")
def spaces():
    params.only("page", "per_page")
    paging = params.paging()
    rows, following = _page(queries.spaces(g.api_user), paging, "api.spaces")
    return _listing([serialize.space(s) for s in rows], paging, following)


def _space(slug: str):
    space = db.session.scalar(queries.space_by_slug(slug)) if len(slug) <= 80 else None
    if space is None or not access.can(g.api_user, access.VIEW, space):
        raise not_found()
    return space


@bp.route("/spaces/<slug>")
@bearer.needs("spaces:read")
def space(slug):
    params.only()
    return jsonify(serialize.space(_space(slug)))


# --- practices ------------------------------------------------------------------------------

def _practice_filters() -> dict:
    filters: dict = {}
    code = params.code("ats")
    if code is not None:
        ats = db.session.scalar(queries.ats_by_code(code))
        if ats is None:
            raise bad_parameter("ats", "no ATS has this code")
        filters["ats_id"] = ats.id
    area = params.code("area")
    if area is not None:
        if db.session.scalar(queries.area_by_code(area)) is None:
            raise bad_parameter("area", "no intervention area has this code")
        filters["area_code"] = area
    filters.update(_published_window())
    return filters


def _published_window() -> dict:
    """`year` and `published_since` as moments (the installation's calendar days)."""
    window: dict = {}
    year = params.integer("year", None, 2000, 2100)
    since = params.day("published_since")
    zone = _zone()

    def moment(day: date) -> datetime:
        return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)

    if year is not None:
        window["since"], window["until"] = moment(date(year, 1, 1)), moment(date(year + 1, 1, 1))
    if since is not None:
        window["since"] = max(window.get("since", moment(since)), moment(since))
    return window


@bp.route("/practices")
@bearer.needs("practices:read")
def practices():
    params.only("page", "per_page", "ats", "area", "year", "published_since")
    filters = _practice_filters()
    paging = params.paging()
    rows, following = _page(queries.published_practices(g.api_user, **filters), paging,
                            "api.practices")
    spaces_of = _visible_spaces({p.space_id for p in rows})
    return _listing([_practice(p, spaces_of) for p in rows], paging, following)


def _visible_spaces(ids) -> dict:
    """The spaces among `ids` that the token's owner sees, by id (one statement)."""
    if not ids:
        return {}
    return {s.id: s for s in db.session.scalars(queries.visible_spaces_among(g.api_user, ids))}


def _practice(row, spaces_of: dict, full: bool = False) -> dict:
    return serialize.practice(row, spaces_of.get(row.space_id), full)


@bp.route("/practices/counts")
@bearer.needs("practices:read")
def practice_counts():
    """Published records per ATS (those the token's owner may read), for a year or since a
    day: what the Region's monitoring counts."""
    params.only("year", "published_since")
    window = _published_window()
    rows = db.session.execute(queries.published_counts_by_ats(
        g.api_user, window.get("since"), window.get("until"))).all()
    return jsonify(data=[{"ats": {"code": code, "name": name}, "published": count}
                         for code, name, count in rows],
                   total=sum(count for _, _, count in rows))


def _id(value: str) -> int:
    """An id in the address: anything but a number an integer column holds is not there (the
    id is taken as text, so that a wrong one answers in JSON, not as an unknown address)."""
    if not value.isdigit() or not value.isascii() or len(value) > 9:
        raise not_found()
    return int(value)


@bp.route("/practices/<practice_id>")
@bearer.needs("practices:read")
def practice(practice_id):
    params.only()
    row = db.session.scalar(queries.published_practice(g.api_user, _id(practice_id)))
    if row is None:
        raise not_found()
    return jsonify(_practice(row, _visible_spaces({row.space_id}), full=True))


# --- meetings -------------------------------------------------------------------------------

class Minutes:
    """What the token's owner reads of the minutes of a page of meetings, as on the meeting
    page: the minutes as they stand where they may read them (READ_MINUTES: decisions and
    actions), else the latest approved version while an amendment is under way
    (READ_APPROVED_MINUTES), else only the actions they own. Three or four statements,
    whatever the number of meetings."""

    def __init__(self, meetings: list):
        user = g.api_user
        ids = [m.id for m in meetings]
        self.readable: set[int] = set()
        self.decisions: dict[int, list] = {}
        self.actions: dict[int, list] = {}
        self.versions: dict[int, int] = {}
        if not ids:
            return
        self.readable = set(db.session.scalars(queries.readable_minutes(user, ids)))
        for row in db.session.scalars(queries.decisions(user, ids)):
            self.decisions.setdefault(row.meeting_id, []).append(serialize.decision(row))
        for row, owner in db.session.execute(queries.actions(user, ids)):
            self.actions.setdefault(row.meeting_id, []).append(serialize.action(row, owner))
        amending = [m.id for m in meetings
                    if m.id not in self.readable and m.minutes_approved_at is not None]
        if amending:
            for version in db.session.scalars(queries.approved_versions(amending)):
                if version.meeting_id in self.versions:
                    continue  # an older approved version
                self.versions[version.meeting_id] = version.number
                data = json.loads(version.data)
                self.decisions[version.meeting_id] = [
                    serialize.versioned_decision(d) for d in data.get("decisions", [])]
                self.actions[version.meeting_id] = [
                    serialize.versioned_action(a) for a in data.get("actions", [])]

    def of(self, meeting) -> dict:
        if meeting.id in self.readable:
            source = "current"
        elif meeting.id in self.versions:
            source = "approved_version"
        else:
            source = "none"
        return {"minutes_readable": meeting.id in self.readable, "minutes_source": source,
                "minutes_version": self.versions.get(meeting.id),
                "decisions": self.decisions.get(meeting.id, []),
                "actions": self.actions.get(meeting.id, [])}


@bp.route("/meetings")
@bearer.needs("meetings:read")
def meetings():
    params.only("page", "per_page", "space", "from", "to")
    filters: dict = {"since": params.day("from"), "until": params.day("to"), "zone": _zone()}
    slug = params.code("space")
    if slug is not None:
        space = db.session.scalar(queries.space_by_slug(slug))
        if space is None or not access.can(g.api_user, access.VIEW, space):
            raise bad_parameter("space", "no space you may see has this slug")
        filters["space_id"] = space.id
    paging = params.paging()
    rows, following = _page(queries.meetings(g.api_user, **filters), paging, "api.meetings")
    minutes = Minutes(rows)
    return _listing([serialize.meeting(m, **minutes.of(m)) for m in rows], paging, following)


@bp.route("/meetings/<meeting_id>")
@bearer.needs("meetings:read")
def meeting(meeting_id):
    params.only()
    row = db.session.scalar(queries.meeting(g.api_user, _id(meeting_id)))
    if row is None:
        raise not_found()
    return jsonify(serialize.meeting(row, **Minutes([row]).of(row),
                                     agenda=[serialize.agenda_item(i) for i in row.items]))


# --- dashboards -----------------------------------------------------------------------------

@bp.route("/dashboards")
@bearer.needs("dashboard:read")
def dashboards():
    """The dashboards the owner reads: the region's (admins) and those of the spaces they run."""
    params.only("page", "per_page")
    user = g.api_user
    paging = params.paging()
    rows, following = _page(queries.dashboard_spaces(user), paging, "api.dashboards")
    region = url_for("api.region_dashboard", _external=True) \
        if access.may_read_regional_dashboard(user) else None
    return jsonify(region=region, page=paging.page, per_page=paging.per_page, next=following,
                   data=[{"space": serialize.space_ref(s),
                          "url": url_for("api.space_dashboard", slug=s.slug, _external=True)}
                         for s in rows])


@bp.route("/dashboards/region")
@bearer.needs("dashboard:read")
def region_dashboard():
    params.only()
    if not access.may_read_regional_dashboard(g.api_user):
        raise ApiError(403, "forbidden", "The regional dashboard is for site administrators.")
    return jsonify(serialize.dashboard(dashboard_queries.stored(Scope())))


@bp.route("/dashboards/spaces/<slug>")
@bearer.needs("dashboard:read")
def space_dashboard(slug):
    params.only()
    space = _space(slug)
    if not access.may_read_dashboard(g.api_user, space):
        raise ApiError(403, "forbidden", "A space's dashboard is for the people who run it.")
    return jsonify(serialize.dashboard(dashboard_queries.stored(Scope.of(space)), space))


# --- anything else under /api/v1/ -----------------------------------------------------------

@bp.route("/<path:rest>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def unknown(rest):
    """An address the API does not have: 404 in JSON (405 for a known one asked to write)."""
    adapter = current_app.url_map.bind("localhost")
    try:
        endpoint, _ = adapter.match(request.path, method="GET")
    except HTTPException:
        endpoint = None
    if endpoint and endpoint != "api.unknown" and request.method != "GET":
        raise ApiError(405, "method_not_allowed", "The API only reads: use GET.",
                       {"Allow": "GET, HEAD"})
    raise not_found()

