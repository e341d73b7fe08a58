"""Calendar feeds to subscribe to from a calendar program: no sign-in, the secret in the URL
opens one person's calendar (cop/meetings/calendar.py). A URL that is wrong, reset, or of a
deactivated person is 404, as is the feed of a space its owner may not see.

- /calendario/feed/<key>.ics: the person's own calendar (their spaces' meetings and those
  they are invited to);
- /calendario/feed/<key>/spazi/<slug>.ics: the meetings of one space the person may see.

The answer page of a guest (somebody without an account invited by email) lives here too, for
the same reason: no sign-in, the secret in the URL, 404 when it is not valid.

- /incontri/ospite/<token>: the meeting's invitation facts (what the email says: title, space,
  time, place, link) and the three answers; nothing else of the space or of the meeting.
"""
from __future__ import annotations

from flask import Response, abort, make_response, redirect, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from cop import access
from cop.extensions import db, limiter
from cop.meetings import calendar, forms, notify, services
from cop.meetings.blueprint import feeds_bp as bp
from cop.meetings.models import Meeting
from cop.outcomes import commit_or_explain
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


def _private(response) -> Response:
    """A page opened by a secret link: not cached, not indexed, the link not passed on."""
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/incontri/ospite/<token>", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def guest_answer(token):
    guest = services.guest_for_token(token)
    if guest is None:
        return _private(make_response(render_template("auth/link_invalid.html"), 404))
    meeting = db.session.get(Meeting, guest.meeting_id)
    form = forms.AnswerForm()
    status = 200
    if form.is_submitted():
        labels = dict(forms.ANSWER_CHOICES)
        if form.validate() and commit_or_explain(
                lambda: services.guest_answer(guest, form.answer.data),
                _("Risposta registrata: %(answer)s.", answer=labels[form.answer.data])):
            return _private(redirect(url_for("feeds.guest_answer", token=token)))
        status = 400
    answers = dict(forms.ANSWER_CHOICES)
    return _private(make_response(render_template(
        "meetings/guest.html", meeting=meeting, guest=guest, form=form,
        space=calendar.space_of(meeting), when=notify.when(meeting),
        online_url=meeting.online_url if meeting.mode != "presenza" else "",
        place=meeting.place if meeting.mode != "online" else "",
        answer_label=answers.get(guest.answer or ""), choices=forms.ANSWER_CHOICES), status))
