"""GroupDecision pages: open one in a thread or on a meeting's agenda item, the decision (counts,
reasons, one's position), close early, the outcome; and the box of a thread's or a meeting's
decisions (`decisions_about`, a template global)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from cop import access, facts
from cop.database import utcnow
from cop.decisions import forms, queries, services
from cop.decisions.blueprint import bp
from cop.decisions.models import GroupDecision, Stance
from cop.discussions.models import Thread
from cop.extensions import db
from cop.meetings.models import AgendaItem, Meeting
from cop.outcomes import commit_or_explain
from cop.spaces.context import require_space_access
from cop.spaces.forms import ConfirmForm
from cop.spaces.models import Space

bp.before_request(require_space_access)  # signed in; spaces are checked with each object


def decisions_about(subject) -> dict:
    """For a thread or a meeting page: its decisions with their stored counts (one statement),
    which of them the reader took part in (one more, when there are some), whether they may
    open one, and where. The page already checked the reader sees the subject."""
    if isinstance(subject, Thread):
        decisions = db.session.scalars(queries.decisions_of_thread(subject.id)).unique().all() \
            if facts.about(subject)["any_decision"] else []
        may_open = access.may_open_decision_in_thread(current_user, subject)
        new_url = url_for("decisions.new_in_thread", thread_id=subject.id)
        items = {}
    else:  # a meeting's page, with its agenda loaded
        items = {item.id: item.title for item in subject.items}
        decisions = db.session.scalars(queries.decisions_of_meeting(subject.id)).unique().all() \
            if facts.about(subject)["any_decision"] else []
        may_open = access.may_open_decision_in_meeting(current_user, subject)
        new_url = url_for("decisions.new_in_meeting", meeting_id=subject.id)
    mine = set(db.session.scalars(queries.taken_part(current_user.id, [d.id for d in decisions]))) \
        if decisions else set()
    return {"decisions": decisions, "mine": mine, "may_open": may_open, "new_url": new_url,
            "agenda": items, "now": utcnow()}


@bp.record_once
def _add_globals(state):
    state.app.jinja_env.globals.update(decisions_about=decisions_about,
                                       decision_option_label=option_label,
                                       decision_kind_label=kind_label)


def option_label(decision: GroupDecision, option) -> str:
    return str(forms.POSITION_LABELS.get(option.code, option.code)) if decision.is_proposal \
        else option.label


def kind_label(kind: str) -> str:
    return str(forms.KIND_NAMES.get(kind, kind))


# --- opening ---------------------------------------------------------------------------------

@bp.route("/discussioni/<int:thread_id>/decisioni/nuova", methods=["GET", "POST"])
def new_in_thread(thread_id):
    thread = access.get_or_404(Thread, thread_id)
    if not access.may_open_decision_in_thread(current_user, thread):
        abort(403)
    form = forms.DecisionForm()
    if form.validate_on_submit() and (closes_at := form.closes_at()) is not None:
        if done := commit_or_explain(
                lambda: services.open_in_thread(thread, current_user,
                                                form.data_for_service(closes_at)),
                _("Decisione aperta: i membri dello spazio sono avvisati."), field=form.title):
            return redirect(url_for("decisions.show", poll_id=done.value.id))
    space = db.session.get(Space, thread.space_id)
    return render_template("decisions/new.html", form=form, space=space, thread=thread,
                           meeting=None, back=url_for("discussions.thread", slug=space.slug,
                                                      thread_id=thread.id)), \
        400 if form.is_submitted() else 200


@bp.route("/incontri/<int:meeting_id>/decisioni/nuova", methods=["GET", "POST"])
def new_in_meeting(meeting_id):
    meeting = access.get_or_404(Meeting, meeting_id)
    if not access.may_open_decision_in_meeting(current_user, meeting):
        abort(403)
    items = db.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)
                               .order_by(AgendaItem.position)).all()
    form = forms.DecisionForm(items=items)
    if not form.is_submitted() and request.args.get("punto", "").isdigit():
        form.item_id.data = request.args["punto"]
    if form.validate_on_submit() and (closes_at := form.closes_at()) is not None:
        if done := commit_or_explain(
                lambda: services.open_in_meeting(meeting, current_user,
                                                 form.data_for_service(closes_at),
                                                 int(form.item_id.data)),
                _("Decisione aperta: i partecipanti sono avvisati."), field=form.item_id):
            return redirect(url_for("decisions.show", poll_id=done.value.id))
    space = db.session.get(Space, meeting.space_id)
    return render_template("decisions/new.html", form=form, space=space, thread=None,
                           meeting=meeting,
                           back=url_for("meetings.show", meeting_id=meeting.id)), \
        400 if form.is_submitted() else 200


# --- the decision ----------------------------------------------------------------------------

def _load(poll_id: int, action: str = access.VIEW) -> GroupDecision:
    return access.get_or_404(GroupDecision, poll_id, action, options=queries.decision_page())


def _render(decision: GroupDecision, status: int = 200, *, stance_form=None, outcome_form=None,
            closing_form=None):
    mine = db.session.scalar(queries.my_stance(decision.id, current_user.id))
    stances: list[Stance] = [] if decision.anonymous else \
        db.session.scalars(queries.stances(decision.id)).unique().all()
    if decision.thread_id is not None:
        parent = db.session.get(Thread, decision.thread_id)
        back = url_for("discussions.thread", slug=decision.space.slug, thread_id=parent.id)
        item = None
    else:
        parent = db.session.get(Meeting, decision.meeting_id)
        back = url_for("meetings.show", meeting_id=parent.id)
        item = db.session.get(AgendaItem, decision.agenda_item_id) \
            if decision.agenda_item_id else None
    may_take_part = access.can(current_user, access.TAKE_PART, decision)
    manages = access.can(current_user, access.MANAGE_DECISION, decision)
    now = utcnow()
    return render_template(
        "decisions/show.html", decision=decision, space=decision.space, parent=parent,
        item=item, back=back, now=now, is_open=decision.is_open(now), mine=mine,
        stances=stances, may_take_part=may_take_part, manages=manages,
        options={o.id: o for o in decision.options},
        stance_form=stance_form or (forms.stance_form(decision, None, mine)
                                    if may_take_part else None),
        outcome_form=outcome_form or forms.OutcomeForm(formdata=None,
                                                       outcome=decision.outcome),
        close_form=ConfirmForm(), closing_form=closing_form or _closing_form(decision),
    ), status


def _closing_form(decision: GroupDecision) -> forms.ClosingForm:
    form = forms.ClosingForm(formdata=None)
    form.suggest_closing(1, decision.closes_at)
    return form


@bp.route("/decisioni/<int:poll_id>")
def show(poll_id):
    return _render(_load(poll_id))


@bp.route("/decisioni/<int:poll_id>/posizione", methods=["POST"])
def take_position(poll_id):
    decision = _load(poll_id)
    if not access.can(current_user, access.TAKE_PART, decision):
        if decision.is_open(utcnow()):
            abort(403)
        flash(_("La decisione è chiusa: non si possono più prendere posizioni."), "danger")
        return redirect(url_for("decisions.show", poll_id=decision.id))
    mine = db.session.scalar(queries.my_stance(decision.id, current_user.id))
    form = forms.stance_form(decision, request.form, mine)
    if not form.validate_on_submit() or not forms.check_block_reason(form):
        return _render(decision, 400, stance_form=form)
    reason = (form.reason.data or "") if "reason" in form else ""
    if commit_or_explain(lambda: services.take_position(
            decision, current_user, forms.chosen_of(form), reason),
            _("La tua posizione è registrata: puoi cambiarla fino alla chiusura."),
            field=form.reason if "reason" in form else form.submit):
        return redirect(url_for("decisions.show", poll_id=decision.id, _anchor="conteggi"))
    return _render(decision, 400, stance_form=form)


@bp.route("/decisioni/<int:poll_id>/chiudi", methods=["POST"])
def close(poll_id):
    decision = _load(poll_id, access.MANAGE_DECISION)
    if ConfirmForm().validate_on_submit():
        commit_or_explain(lambda: services.close(decision, current_user),
                          _("Decisione chiusa. Ora puoi scriverne l'esito."))
    return redirect(url_for("decisions.show", poll_id=decision.id, _anchor="esito"))


@bp.route("/decisioni/<int:poll_id>/esito", methods=["POST"])
def write_outcome(poll_id):
    decision = _load(poll_id, access.MANAGE_DECISION)
    if decision.is_open(utcnow()):  # the page shows no outcome form yet: say it above
        flash(_("L'esito si scrive quando la decisione è chiusa: chiudila prima."), "danger")
        return redirect(url_for("decisions.show", poll_id=decision.id, _anchor="esito"))
    form = forms.OutcomeForm()
    if form.validate_on_submit() and commit_or_explain(
            lambda: services.write_outcome(decision, current_user, form.outcome.data),
            _("Esito salvato.") if decision.meeting_id is None
            else _("Esito salvato e riportato nel verbale dell'incontro."), field=form.outcome):
        return redirect(url_for("decisions.show", poll_id=decision.id, _anchor="esito"))
    return _render(decision, 400, outcome_form=form)


@bp.route("/decisioni/<int:poll_id>/chiusura", methods=["POST"])
def change_closing(poll_id):
    decision = _load(poll_id, access.MANAGE_DECISION)
    form = forms.ClosingForm()
    if form.validate_on_submit() and (closes_at := form.closes_at()) is not None and \
            commit_or_explain(lambda: services.change_closing(decision, current_user, closes_at),
                              _("Chiusura cambiata."), field=form.closes_day):
        return redirect(url_for("decisions.show", poll_id=decision.id, _anchor="esito"))
    return _render(decision, 400, closing_form=form)
