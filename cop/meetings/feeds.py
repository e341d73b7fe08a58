"""Calendar feeds to subscribe to from a calendar program: no sign-in, the secret in the URL
opens one person's calendar (cop/meetings/calendar.py). A URL that is wrong, reset, or of a
deactivated person is 404, as is the feed of a space its owner may not see.

- /calendario/feed/<key>.ics: the person's own calendar (their spaces' meetings and those
  they are invited to);
- /calendario/feed/<key>/spazi/<slug>.ics: the meetings of one space the person may see.
"""
from __future__ import annotations

from flask import Response, abort
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from cop import access
from cop.extensions import db
from cop.meetings import calendar
from cop.meetings.blueprint import feeds_bp as bp
from cop.meetings.models import Meeting
from cop.spaces.models import Space


def _owner(token: str):
    user = calendar.user_for_token(token)
    if user is None:
        abort(404)
    return user


def _ics(body: bytes) -> Response:
    response = Response(body, content_type="text/calendar; charset=utf-8")
    response.headers["Cache-Control"] = "private, max-age=300"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@bp.route("/calendario/feed/<token>.ics")
def personal(token):
    user = _owner(token)
    with force_locale(user.locale or "it"):
        meetings = calendar.feed_meetings(access.followed_meetings_clause(user))
        name = _("Incontri di %(name)s · Comunità di pratica", name=user.name)
        return _ics(calendar.calendar_bytes(meetings, method="PUBLISH", name=name))


@bp.route("/calendario/feed/<token>/spazi/<slug>.ics")
def space(token, slug):
    user = _owner(token)
    space = db.session.scalar(select(Space).where(Space.slug == slug))
    if space is None or not access.can(user, access.VIEW, space):
        abort(404)
    with force_locale(user.locale or "it"):
        meetings = calendar.feed_meetings(
            (Meeting.space_id == space.id) & access.visible_meetings_clause(user))
        name = _("Incontri · %(space)s", space=space.name)
        return _ics(calendar.calendar_bytes(meetings, method="PUBLISH", name=name))
