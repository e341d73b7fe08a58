"""Series pages: a series with all its meetings in order (agenda, decisions, actions, the
minutes' state), its printable version, its decisions and actions as CSV, and «aggiungi a una
serie» for a meeting planned on its own. The space's pages (under /spazi/<slug>/) are seen by
whoever sees the space (the blueprint's before_request); the rest is in cop/meetings/series.py.
"""
from __future__ import annotations

from flask import abort, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cop import access
from cop.csvfiles import csv_download
from cop.database import utcnow
from cop.extensions import db
from cop.meetings import forms, queries
from cop.meetings import series as meeting_series
from cop.meetings.blueprint import bp
from cop.meetings.models import Meeting, MeetingSeries, MinutesStatus
from cop.meetings.times import local
from cop.meetings.views import meeting_label
from cop.outcomes import commit_or_explain


def _series_or_404(series_id: int) -> MeetingSeries:
    found = meeting_series.series_in_space(g.space.id, series_id)
    if found is None:
        abort(404)
    return found


def _page_context(series_id: int) -> dict:
    found = _series_or_404(series_id)
    rows = meeting_series.series_meetings(current_user, found)
    day = meeting_series.today()
    rule = str(dict(forms.REPEAT_CHOICES).get(found.frequency, found.frequency)) \
        if found.frequency else _("senza regola di ripetizione")
    return dict(space=g.space, series=found, rows=rows, today=day, rule=rule,
                figures=meeting_series.action_figures(rows, day),
                overdue=meeting_series.is_overdue)


@bp.route("/spazi/<slug>/incontri/serie/<int:series_id>")
def series_page(series_id, slug=None):
    return render_template("meetings/series.html", **_page_context(series_id))


@bp.route("/spazi/<slug>/incontri/serie/<int:series_id>/stampa")
def series_print(series_id, slug=None):
    return render_template("meetings/series_print.html", **_page_context(series_id))


def _day(instant) -> str:
    return local(instant).date().isoformat()


@bp.route("/spazi/<slug>/incontri/serie/<int:series_id>/decisioni.csv")
def series_decisions(series_id, slug=None):
    found = _series_or_404(series_id)
    rows = meeting_series.series_meetings(current_user, found)
    header = [_("Data"), _("Incontro"), _("Punto dell'ordine del giorno"), _("Decisione"),
              _("Verbale")]
    lines = [[_day(row.meeting.starts_at), row.meeting.title, decision.item, decision.text,
              meeting_label("minutes", MinutesStatus.APPROVED.value if row.from_approved
                            else row.meeting.minutes_status)]
             for row in rows for decision in row.decisions]
    return csv_download(header, lines, f"serie-{found.id}-decisioni.csv")


@bp.route("/spazi/<slug>/incontri/serie/<int:series_id>/azioni.csv")
def series_actions(series_id, slug=None):
    found = _series_or_404(series_id)
    rows = meeting_series.series_meetings(current_user, found)
    day = meeting_series.today()
    header = [_("Data dell'incontro"), _("Incontro"), _("Azione"), _("Responsabile"),
              _("Scadenza"), _("Stato"), _("In ritardo")]
    lines = [[_day(row.meeting.starts_at), row.meeting.title, action.title,
              action.owner.name if action.owner else "",
              action.due_date.isoformat() if action.due_date else "",
              meeting_label("action", action.status),
              _("sì") if meeting_series.is_overdue(action, day) else ""]
             for row in rows for action in row.actions]
    return csv_download(header, lines, f"serie-{found.id}-azioni.csv")


@bp.route("/incontri/<int:meeting_id>/serie", methods=["GET", "POST"])
def choose_series(meeting_id):
    """«Aggiungi a una serie»: for those who run the meeting and see its space."""
    meeting = access.get_or_404(Meeting, meeting_id, access.RUN_MEETING,
                                options=queries.meeting_page())
    if not meeting_series.may_choose_series(current_user, meeting):
        abort(403)
    space = meeting.space  # kept: the commit expires the meeting's relationships
    choices = [series for series, _count in meeting_series.space_series(meeting.space_id)]
    form = forms.SeriesForm()
    form.set_series(choices)
    if request.method == "GET":
        form.series.data = str(meeting.series_id or "")
        form.new_title.data = meeting.title
    if form.validate_on_submit():
        chosen = form.series.data

        def move():
            if chosen == forms.NEW_SERIES:
                return meeting_series.start_series(meeting, current_user, form.new_title.data)
            target = db.session.get(MeetingSeries, int(chosen)) if chosen else None
            return meeting_series.move_to_series(meeting, current_user, target)

        if done := commit_or_explain(
                move, lambda found: _("L'incontro fa parte della serie «%(title)s».",
                                      title=found.title) if found else
                _("L'incontro non fa più parte di una serie."), field=form.series):
            if done.value is not None:
                return redirect(url_for("meetings.series_page", slug=space.slug,
                                        series_id=done.value.id))
            return redirect(url_for("meetings.show", meeting_id=meeting.id))
    current = next((s for s in choices if s.id == meeting.series_id), None)
    return render_template("meetings/series_choose.html", meeting=meeting, space=space,
                           form=form, current=current, now=utcnow()), \
        400 if form.errors else 200
