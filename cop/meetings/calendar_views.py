"""Calendar pages on the `meetings` blueprint: a meeting's .ics, the month calendar with the
feed addresses to subscribe to, and the button that makes new addresses."""
from __future__ import annotations

import calendar as months
import re
from datetime import date, time

from flask import Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from cop import access
from cop.database import utcnow
from cop.extensions import db
from cop.meetings import calendar
from cop.meetings.blueprint import bp
from cop.meetings.models import Meeting
from cop.meetings.times import add_months, local, to_utc
from cop.outcomes import commit_or_explain
from cop.spaces.models import Membership, Space

MONTH_LIMIT = 500  # meetings shown in one month at most
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@bp.route("/incontri/<int:meeting_id>/incontro.ics")
@login_required
def meeting_ics(meeting_id):
    meeting = db.session.scalar(select(Meeting).options(joinedload(Meeting.space))
                                .where(Meeting.id == meeting_id))
    if meeting is None or not access.can(current_user, access.VIEW, meeting):
        abort(404)
    body = calendar.calendar_bytes([meeting], method="PUBLISH", name=meeting.title)
    response = Response(body, content_type="text/calendar; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="incontro-{meeting.id}.ics"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _month(value: str | None, today: date) -> date:
    match = _MONTH.match(value or "")
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if 1900 <= year <= 2999 and 1 <= month <= 12:
            return date(year, month, 1)
    return today.replace(day=1)


def month_meetings(clause, first: date, limit: int = MONTH_LIMIT) -> list[Meeting]:
    """The meetings of `clause` starting in the local month of `first`, spaces loaded."""
    start, end = to_utc(first, time(0)), to_utc(add_months(first, 1), time(0))
    return list(db.session.scalars(
        select(Meeting).options(joinedload(Meeting.space))
        .where(clause, Meeting.starts_at >= start, Meeting.starts_at < end)
        .order_by(Meeting.starts_at, Meeting.id).limit(limit)))


@bp.route("/calendario/", endpoint="calendar")
@login_required
def calendar_page():
    today = local(utcnow()).date()
    first = _month(request.args.get("mese"), today)
    everything = request.args.get("tutti") == "1"
    clause = (access.visible_meetings_clause(current_user) if everything
              else access.followed_meetings_clause(current_user))
    meetings = month_meetings(clause, first)
    by_day: dict[date, list[Meeting]] = {}
    for meeting in meetings:
        by_day.setdefault(local(meeting.starts_at).date(), []).append(meeting)
    weeks = months.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    spaces = db.session.scalars(
        select(Space).join(Membership, Membership.space_id == Space.id)
        .where(Membership.user_id == current_user.id).order_by(Space.name)).all()
    key = calendar.feed_key(current_user)
    return render_template(
        "meetings/calendar.html", first=first, weeks=weeks, by_day=by_day, today=today,
        everything=everything, count=len(meetings), truncated=len(meetings) >= MONTH_LIMIT,
        previous=add_months(first, -1), following=add_months(first, 1),
        personal_feed=calendar.personal_feed_url(current_user, key),
        space_feeds=[(space, calendar.space_feed_url(current_user, space, key))
                     for space in spaces])


@bp.route("/calendario/nuovi-indirizzi", methods=["POST"])
@login_required
def reset_calendar_key():
    commit_or_explain(lambda: calendar.reset_key(current_user),
                      _("Nuovi indirizzi creati: quelli di prima non funzionano più. Aggiorna gli "
                        "abbonamenti nei tuoi programmi di calendario."))
    return redirect(url_for("meetings.calendar"))
