"""Meeting pages: a space's meetings, planning and editing, the meeting page with the answer,
invitations, the register, minutes with decisions and actions, their review and approval,
history, the printable minutes, feedback, materials, and «Le mie azioni»."""
from __future__ import annotations

import json
from collections.abc import Callable
from typing import NamedTuple

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, or_, select

from cop import access, facts
from cop.auth.models import User
from cop.database import utcnow
from cop.extensions import db
from cop.files.forms import chosen_files
from cop.i18n import choice_labels
from cop.meetings import forms, queries, services
from cop.meetings import series as meeting_series
from cop.meetings.blueprint import bp
from cop.meetings.models import Action, Meeting, MinutesStatus
from cop.network.models import Organisation
from cop.outcomes import commit_or_explain
from cop.spaces.context import add_slug, load_space, require_space_access
from cop.spaces.models import Space
from cop.urls import database_int, safe_next

bp.url_value_preprocessor(load_space)
bp.before_request(require_space_access)
bp.url_defaults(add_slug)

_LABELS = {"kind": forms.KIND_CHOICES, "mode": forms.MODE_CHOICES,
           "answer": forms.ANSWER_CHOICES, "presence": forms.PRESENCE_CHOICES,
           "action": forms.ACTION_STATUS_CHOICES, "minutes": forms.MINUTES_STATUS_CHOICES}


_LABELLERS = {kind: choice_labels(choices) for kind, choices in _LABELS.items()}


def meeting_label(kind: str, value) -> str:
    return _LABELLERS[kind](value)


@bp.record_once
def _add_globals(state):
    state.app.jinja_env.globals["meeting_label"] = meeting_label


# --- a space's meetings, planning ------------------------------------------------------------

@bp.route("/spazi/<slug>/incontri/")
def space_meetings(slug=None):
    upcoming, past = queries.space_meetings(current_user, g.space.id, utcnow())
    return render_template("meetings/space_list.html", space=g.space, upcoming=upcoming,
                           past=past, may_plan=access.may_plan_meetings(current_user, g.space),
                           series=meeting_series.space_series(g.space.id))


def _prepare(form: forms.MeetingForm, space: Space, meeting: Meeting | None) -> None:
    form.set_people(queries.people_for_forms(space, meeting),
                    queries.space_members(space, meeting))


def _checked_times(form: forms.MeetingForm):
    if not form.validate_on_submit():
        return None
    return form.times()


@bp.route("/spazi/<slug>/incontri/nuovo", methods=["GET", "POST"])
def new(slug=None):
    space = g.space
    if not access.may_plan_meetings(current_user, space):
        abort(403)
    form = forms.MeetingForm()
    _prepare(form, space, None)
    times = _checked_times(form)
    if times is not None:
        data = form.meeting_input(*times)

        def plan() -> list[Meeting]:
            if form.repeat.data:
                return services.plan_series(space, current_user, data, form.repeat.data,
                                            form.occurrences.data or 4)
            return [services.plan_meeting(space, current_user, data)]

        if done := commit_or_explain(plan, lambda meetings: _("Incontro programmato.")
                                     if len(meetings) == 1 else
                                     _("Serie di %(count)d incontri programmata.",
                                       count=len(meetings)), field=form.title):
            return redirect(url_for("meetings.show", meeting_id=done.value[0].id))
    form.pad_rows(4 if request.method == "GET" else 1)
    return render_template("meetings/form.html", form=form, space=space, meeting=None)


@bp.route("/incontri/<int:meeting_id>/modifica", methods=["GET", "POST"])
def edit(meeting_id):
    meeting = access.get_or_404(Meeting, meeting_id, access.RUN_MEETING,
                                options=queries.meeting_page())
    space = meeting.space
    form = forms.MeetingForm()
    if request.method == "GET":
        form.load(meeting)
    _prepare(form, space, meeting)
    times = _checked_times(form)
    if times is not None:
        if commit_or_explain(
                lambda: services.update_meeting(meeting, current_user, form.meeting_input(*times)),
                _("Incontro aggiornato.")):
            return redirect(url_for("meetings.show", meeting_id=meeting.id))
    form.pad_rows(2 if request.method == "GET" else 1)
    return render_template("meetings/form.html", form=form, space=space, meeting=meeting)


@bp.route("/incontri/<int:meeting_id>/annulla", methods=["POST"])
def cancel(meeting_id):
    meeting = access.get_or_404(Meeting, meeting_id, access.RUN_MEETING)
    form = forms.CancelForm()
    if form.validate_on_submit():
        commit_or_explain(
            lambda: services.cancel_meeting(meeting, current_user, form.reason.data or ""),
            _("Incontro annullato: gli invitati ricevono la notizia."))
    return redirect(url_for("meetings.show", meeting_id=meeting.id))


# --- the meeting page ------------------------------------------------------------------------

def render_meeting(meeting: Meeting, status: int = 200, **given):
    user = current_user
    rules = access.meeting_rules(user, meeting)
    facts.about(meeting)  # stories, decisions and the bell's count: one statement
    now = utcnow()
    ended = meeting.has_ended(now)
    allowed = {action: rules.allows(action, ended) for action in (
        access.RUN_MEETING, access.WRITE_MINUTES, access.ANSWER, access.READ_MINUTES,
        access.READ_APPROVED_MINUTES, access.REVIEW_MINUTES, access.APPROVE_MINUTES,
        access.GIVE_FEEDBACK)}
    minutes = allowed[access.READ_MINUTES]
    approved = None  # (version, data): for readers while an amendment is under way
    if not minutes and allowed[access.READ_APPROVED_MINUTES]:
        version = queries.approved_version(meeting.id)
        approved = (version, json.loads(version.data)) if version else None
    in_review = meeting.minutes_status == MinutesStatus.REVIEW.value
    own, by_item = queries.materials(meeting)
    my_answer = rules.answer
    answer_form = given.get("answer_form") or forms.AnswerForm(formdata=None, answer=my_answer)
    my_review = queries.my_review(meeting.id, user.id) if allowed[access.REVIEW_MINUTES] \
        else None
    context = dict(
        meeting=meeting, space=meeting.space, allowed=allowed, ended=ended, rules=rules,
        my_answer=my_answer, answer_form=answer_form,
        open_actions=queries.open_space_actions(user, meeting) if not ended else [],
        approved=approved,
        approvers=queries.approvers(meeting) if in_review and allowed[access.WRITE_MINUTES]
        and not allowed[access.APPROVE_MINUTES] else None,
        materials=own, item_materials=by_item,
        decisions=queries.decisions(meeting.id) if minutes else [],
        actions=queries.actions(meeting.id) if minutes else [],
        attendance=queries.attendance(meeting.id) if minutes else [],
        guest_attendance=queries.guest_attendance(meeting.id) if minutes else [],
        reviews=queries.reviews(meeting.id) if minutes and (
            allowed[access.RUN_MEETING] or allowed[access.WRITE_MINUTES]) else [],
        my_review=my_review,
        review_form=given.get("review_form") or forms.MinutesReviewForm(
            formdata=None, comment=my_review.comment if my_review else ""),
        my_feedback=queries.my_feedback(meeting.id, user.id) if allowed[access.GIVE_FEEDBACK]
        else None,
        action_form=forms.SimpleActionForm(formdata=None),
        cancel_form=forms.CancelForm(formdata=None),
        status_form=forms.ActionStatusForm(formdata=None),
        series_view=meeting_series.for_meeting_page(user, meeting),
    )
    return render_template("meetings/show.html", **context), status


@bp.route("/incontri/<int:meeting_id>")
def show(meeting_id):
    return render_meeting(access.get_or_404(Meeting, meeting_id, options=queries.meeting_page()))


@bp.route("/incontri/<int:meeting_id>/risposta", methods=["POST"])
def answer(meeting_id):
    meeting = access.get_or_404(Meeting, meeting_id, access.ANSWER, options=queries.meeting_page())
    form = forms.AnswerForm()
    if not form.validate_on_submit():
        return render_meeting(meeting, 400, answer_form=form)
    commit_or_explain(lambda: services.answer(meeting, current_user, form.answer.data),
                      _("Risposta registrata: %(answer)s.",
                        answer=meeting_label("answer", form.answer.data)))
    return redirect(url_for("meetings.show", meeting_id=meeting.id))


# --- invitations -----------------------------------------------------------------------------

def _resolve_people(words: list[str]) -> tuple[list[int], list[str]]:
    emails = [w.lower() for w in words if "@" in w[1:]]
    handles = [w.lstrip("@").lower() for w in words if "@" not in w[1:]]
    found = db.session.execute(select(User.id, func.lower(User.email), func.lower(User.handle))
                               .where(User.active.is_(True), or_(
                                   func.lower(User.email).in_(emails),
                                   func.lower(User.handle).in_(handles)))).all()
    known = {e for _, e, _ in found} | {h for _, _, h in found}
    unknown = [w for w in words if w.lower() not in known and w.lstrip("@").lower() not in known]
    return [row[0] for row in found], unknown


def _resolve_organisations(names: list[str]) -> tuple[list[int], list[str]]:
    lowered = {n.lower(): n for n in names}
    found = db.session.execute(select(Organisation.id, func.lower(Organisation.name)).where(
        func.lower(Organisation.name).in_(list(lowered)))).all()
    known = {name for _, name in found}
    return [row[0] for row in found], [n for low, n in lowered.items() if low not in known]


def _split_guests(emails: list[str]) -> tuple[list[int], list[str]]:
    """The ids of the active accounts among `emails`, and the addresses left for guests."""
    if not emails:
        return [], []
    found = dict(db.session.execute(select(func.lower(User.email), User.id).where(
        User.active.is_(True), func.lower(User.email).in_(emails))).all())
    return list(found.values()), [e for e in emails if e not in found]


@bp.route("/incontri/<int:meeting_id>/invita", methods=["GET", "POST"])
def invite(meeting_id):
    meeting = access.get_or_404(Meeting, meeting_id, access.RUN_MEETING,
                                options=queries.meeting_page())
    form = forms.InviteForm()
    form.member_ids.choices = forms.person_choices(queries.space_members_to_invite(meeting))
    if form.validate_on_submit():
        user_ids, unknown_people = _resolve_people(form.people_words())
        user_ids += [int(value) for value in form.member_ids.data or []]
        org_ids, unknown_orgs = _resolve_organisations(form.organisation_names())
        if unknown_people:
            form.people.errors = list(form.people.errors) + [_(
                "Non trovo queste persone: %(names)s.", names=", ".join(unknown_people))]
        if unknown_orgs:
            form.organisations.errors = list(form.organisations.errors) + [_(
                "Non trovo queste organizzazioni: %(names)s.", names=", ".join(unknown_orgs))]
        # a guest's address that belongs to an active account invites that person instead
        account_ids, guest_emails = _split_guests(form.guest_emails())
        user_ids += account_ids

        def invite_all():
            people = services.invite(meeting, current_user, members=form.members.data == "tutti",
                                     user_ids=user_ids, organisation_ids=org_ids)
            return people, services.invite_guests(meeting, current_user, guest_emails)

        if not form.errors and (done := commit_or_explain(invite_all)):
            invited, guests = done.value
            if invited or guests:
                flash(ngettext("Invitata %(num)d persona.", "Invitate %(num)d persone.",
                               len(invited) + len(guests)), "success")
            else:
                flash(_("Nessun nuovo invito: erano già tutti invitati."), "info")
            return redirect(url_for("meetings.invite", meeting_id=meeting.id))
    names = db.session.scalars(select(Organisation.name).order_by(Organisation.name)).all()
    return render_template("meetings/invite.html", meeting=meeting, space=meeting.space,
                           form=form, invitations=queries.invitations(meeting.id),
                           guests=queries.guests(meeting.id),
                           organisation_names=names,
                           remove_form=forms.SimpleActionForm(formdata=None)), \
        400 if form.errors else 200


@bp.route("/incontri/<int:meeting_id>/invita/<int:user_id>/togli", methods=["POST"])
def uninvite(meeting_id, user_id):
    meeting = access.get_or_404(Meeting, meeting_id, access.RUN_MEETING)
    if forms.SimpleActionForm().validate_on_submit():
        commit_or_explain(lambda: services.uninvite(meeting, user_id), _("Invito tolto."))
    return redirect(url_for("meetings.invite", meeting_id=meeting.id))


@bp.route("/incontri/<int:meeting_id>/ospiti/<int:guest_id>/togli", methods=["POST"])
def uninvite_guest(meeting_id, guest_id):
    meeting = access.get_or_404(Meeting, meeting_id, access.RUN_MEETING)
    if forms.SimpleActionForm().validate_on_submit():
        commit_or_explain(lambda: services.uninvite_guest(meeting, guest_id), _("Invito tolto."))
    return redirect(url_for("meetings.invite", meeting_id=meeting.id))


# --- the register ----------------------------------------------------------------------------

@bp.route("/incontri/<int:meeting_id>/presenze", methods=["GET", "POST"])
def attendance(meeting_id):
    meeting = access.get_or_404(Meeting, meeting_id, access.WRITE_MINUTES,
                                options=queries.meeting_page())
    people = queries.register_people(meeting)
    guests = queries.guests(meeting.id)
    form = forms.SimpleActionForm()
    errors = {}
    if form.validate_on_submit():
        valid = {value for value, _label in forms.PRESENCE_CHOICES}
        rows = {}
        for person, _row, _answer in people:
            presence = request.form.get(f"presenza-{person.id}", "")
            if presence not in valid:
                errors[person.id] = _("Scegli una delle voci.")
                continue
            organisation = request.form.get(f"ente-{person.id}", "").strip()[:200]
            rows[person.id] = (presence, organisation or person.organisation.name)
        guest_rows = {}
        for guest in guests:  # the same fields, named ospite-<id>
            presence = request.form.get(f"presenza-ospite-{guest.id}", "")
            if presence not in valid:
                errors[f"ospite-{guest.id}"] = _("Scegli una delle voci.")
                continue
            guest_rows[guest.id] = (
                presence, request.form.get(f"ente-ospite-{guest.id}", "").strip()[:200],
                request.form.get(f"nome-ospite-{guest.id}", guest.name).strip()[:200])
        words = [w for w in forms.PEOPLE_SPLIT.split(request.form.get("altri", "")) if w][:100]
        newcomers, unknown = _resolve_people(words)
        if unknown:
            errors["altri"] = _("Non trovo queste persone: %(names)s.", names=", ".join(unknown))
        if not errors:
            if commit_or_explain(
                    lambda: services.record_attendance(meeting, current_user, rows, newcomers,
                                                       guest_rows),
                    _("Registro delle presenze salvato.")):
                return redirect(url_for("meetings.show", meeting_id=meeting.id) + "#presenze")
            return redirect(url_for("meetings.attendance", meeting_id=meeting.id))
    return render_template("meetings/attendance.html", meeting=meeting, space=meeting.space,
                           people=people, form=form, errors=errors, submitted=request.form,
                           guests=guests, started=meeting.has_started(utcnow()),
                           presence_choices=forms.PRESENCE_CHOICES), \
        400 if errors else 200


# --- minutes, decisions, actions -------------------------------------------------------------

@bp.route("/incontri/<int:meeting_id>/verbale", methods=["GET", "POST"])
def minutes(meeting_id):
    """One form: the notes, the decision and the action. Every button of the page but the
    actions' status (adding, or taking off, a decision or an action) saves the notes typed so
    far with it; when something is wrong, the page comes back with everything as typed."""
    meeting = access.get_or_404(Meeting, meeting_id, access.WRITE_MINUTES,
                                options=queries.meeting_page())
    form = forms.SimpleActionForm()
    decision_form, action_form = forms.minutes_subforms(
        request.form if request.method == "POST" else None)
    _set_minutes_choices(meeting, decision_form, action_form)
    if not form.validate_on_submit():
        if request.method == "POST":  # kept as typed: the page shows it again
            flash(_("Il modulo è scaduto: invialo di nuovo."), "danger")
        return _render_minutes(meeting, form, decision_form, action_form,
                               400 if request.method == "POST" else 200)
    summary = request.form.get("note", "")
    item_minutes = {item.id: request.form.get(f"punto-{item.id}", "") for item in meeting.items}
    step = _minutes_step(meeting, decision_form, action_form)
    if len(summary) > 20000 or any(len(text) > 20000 for text in item_minutes.values()):
        flash(_("Un testo del verbale supera i 20.000 caratteri."), "danger")
        return _render_minutes(meeting, form, decision_form, action_form, 400)
    if step and step.form is not None and not step.form.validate():
        return _render_minutes(meeting, form, decision_form, action_form, 400)
    wrong = None  # where a refusal of the step is said (else it is flashed)
    if step and step.form is not None:
        wrong = action_form.due_date if step.form is action_form else decision_form.item_id

    def save() -> None:
        services.save_minutes(meeting, current_user, summary, item_minutes)
        if step:
            step.write()

    if not commit_or_explain(save, step.message if step else _("Verbale salvato."),
                             field=wrong):
        return _render_minutes(queries.meeting_for_page(meeting.id), form, decision_form,
                               action_form, 400)
    if step:
        return redirect(url_for("meetings.minutes", meeting_id=meeting.id) + step.anchor)
    if (decision_form.text.data or "").strip() or (action_form.title.data or "").strip():
        flash(_("La decisione o l'azione che hai scritto non è ancora aggiunta: "
                "premi il suo pulsante «Aggiungi»."), "info")  # the page keeps it
        return _render_minutes(queries.meeting_for_page(meeting.id), form, decision_form,
                               action_form, 200)
    return redirect(url_for("meetings.minutes", meeting_id=meeting.id))


class _Step(NamedTuple):
    form: object | None  # to validate first
    write: Callable[[], object]
    message: str
    anchor: str


def _minutes_step(meeting, decision_form, action_form) -> _Step | None:
    """What the button pressed on the minutes page does besides saving the notes."""
    user = current_user
    if "add_decision" in request.form:
        return _Step(decision_form, lambda: services.add_decision(
            meeting, user, decision_form.text.data, _item_id(decision_form.item_id.data)),
            _("Verbale salvato e decisione aggiunta."), "#decisioni")
    if "add_action" in request.form:
        return _Step(action_form, lambda: _add_action(meeting, action_form),
                     _("Verbale salvato e azione aggiunta."), "#azioni")
    decision_id = request.form.get("remove_decision", type=database_int)
    if decision_id:
        return _Step(None, lambda: services.remove_decision(meeting, user, decision_id),
                     _("Verbale salvato e decisione tolta."), "#decisioni")
    action_id = request.form.get("remove_action", type=database_int)
    if action_id:
        return _Step(None, lambda: services.remove_action(meeting, user, action_id),
                     _("Verbale salvato e azione tolta."), "#azioni")
    return None


def _add_action(meeting, form) -> None:
    services.add_action(meeting, current_user, form.title.data, int(form.owner_id.data),
                        form.due_date.data, _item_id(form.item_id.data),
                        done=bool(form.done.data))


def _set_minutes_choices(meeting, decision_form, action_form) -> None:
    people = queries.people_for_forms(meeting.space, meeting)
    choices = forms.item_choices(meeting.items)
    decision_form.item_id.choices = choices
    action_form.item_id.choices = choices
    action_form.owner_id.choices = [("", _("— scegli —"))] + [
        (str(p.id), f"{p.name} · {p.organisation.name}") for p in people]


def _render_minutes(meeting, form, decision_form, action_form, status: int):
    return render_template(
        "meetings/minutes.html", meeting=meeting, space=meeting.space, form=form,
        submitted=request.form if request.method == "POST" else None,
        started=meeting.has_started(utcnow()),
        decisions=queries.decisions(meeting.id), actions=queries.actions(meeting.id),
        decision_form=decision_form, action_form=action_form,
        status_form=forms.ActionStatusForm(formdata=None)), status


def _render_minutes_with(meeting, posted):
    """The page after a decision or an action posted on its own (without the notes) was
    wrong: the stored notes, and the posted fields with their errors."""
    decision_form, action_form = forms.minutes_subforms()
    _set_minutes_choices(meeting, decision_form, action_form)
    shown = decision_form if isinstance(posted, forms.DecisionForm) else action_form
    for field in posted:
        if field.short_name in shown:
            shown[field.short_name].data = field.data
            shown[field.short_name].errors = field.errors
    return _render_minutes(meeting, forms.SimpleActionForm(formdata=None), decision_form,
                           action_form, 400)


def _item_id(value) -> int | None:
    return int(value) if value else None


@bp.route("/incontri/<int:meeting_id>/decisioni", methods=["POST"])
def add_decision(meeting_id):
    """A decision on its own (the page posts it with the notes, to `minutes`)."""
    meeting = access.get_or_404(Meeting, meeting_id, access.WRITE_MINUTES,
                                options=queries.meeting_page())
    form = forms.DecisionForm()
    form.item_id.choices = forms.item_choices(meeting.items)
    if not form.validate_on_submit():
        return _render_minutes_with(meeting, form)
    commit_or_explain(lambda: services.add_decision(meeting, current_user, form.text.data,
                                                    _item_id(form.item_id.data)),
                      _("Decisione aggiunta."))
    return redirect(url_for("meetings.minutes", meeting_id=meeting.id) + "#decisioni")


@bp.route("/incontri/<int:meeting_id>/decisioni/<int:decision_id>/elimina", methods=["POST"])
def remove_decision(meeting_id, decision_id):
    meeting = access.get_or_404(Meeting, meeting_id, access.WRITE_MINUTES)
    if forms.SimpleActionForm().validate_on_submit():
        commit_or_explain(lambda: services.remove_decision(meeting, current_user, decision_id),
                          _("Decisione tolta."))
    return redirect(url_for("meetings.minutes", meeting_id=meeting.id) + "#decisioni")


@bp.route("/incontri/<int:meeting_id>/azioni", methods=["POST"])
def add_action(meeting_id):
    """An action on its own (the page posts it with the notes, to `minutes`)."""
    meeting = access.get_or_404(Meeting, meeting_id, access.WRITE_MINUTES,
                                options=queries.meeting_page())
    form = forms.ActionForm()
    _set_minutes_choices(meeting, forms.DecisionForm(formdata=None), form)
    if form.validate_on_submit():
        if commit_or_explain(lambda: _add_action(meeting, form), _("Azione aggiunta."),
                             field=form.due_date):
            return redirect(url_for("meetings.minutes", meeting_id=meeting.id) + "#azioni")
    return _render_minutes_with(meeting, form)


@bp.route("/incontri/<int:meeting_id>/azioni/<int:action_id>/elimina", methods=["POST"])
def remove_action(meeting_id, action_id):
    meeting = access.get_or_404(Meeting, meeting_id, access.WRITE_MINUTES)
    if forms.SimpleActionForm().validate_on_submit():
        commit_or_explain(lambda: services.remove_action(meeting, current_user, action_id),
                          _("Azione tolta."))
    return redirect(url_for("meetings.minutes", meeting_id=meeting.id) + "#azioni")


@bp.route("/azioni/<int:action_id>", methods=["POST"])
def update_action(action_id):
    action = access.get_or_404(Action, action_id, access.UPDATE_ACTION)
    form = forms.ActionStatusForm()
    if form.validate_on_submit():
        commit_or_explain(lambda: services.update_action(action, status=form.status.data),
                          _("Azione aggiornata: %(status)s.",
                            status=meeting_label("action", form.status.data)))
    else:
        flash(_("Stato non valido."), "danger")
    return redirect(safe_next(request.form.get("next"), url_for("meetings.my_actions")))


@bp.route("/azioni/")
def my_actions():
    include_closed = request.args.get("tutte") == "1"
    return render_template("meetings/my_actions.html", include_closed=include_closed,
                           actions=queries.my_actions(current_user, include_closed),
                           status_form=forms.ActionStatusForm(formdata=None), today=utcnow())


# --- the minutes' workflow -------------------------------------------------------------------

def _workflow(meeting_id: int, action: str, step, done: str):
    meeting = access.get_or_404(Meeting, meeting_id, action)
    if forms.SimpleActionForm().validate_on_submit():
        commit_or_explain(lambda: step(meeting, current_user), done)
    return redirect(url_for("meetings.show", meeting_id=meeting.id) + "#verbale")


@bp.route("/incontri/<int:meeting_id>/verbale/revisione", methods=["POST"])
def send_for_review(meeting_id):
    return _workflow(meeting_id, access.WRITE_MINUTES, services.send_minutes_for_review,
                     _("Verbale mandato in revisione ai partecipanti."))


@bp.route("/incontri/<int:meeting_id>/verbale/bozza", methods=["POST"])
def back_to_draft(meeting_id):
    return _workflow(meeting_id, access.WRITE_MINUTES,
                     lambda meeting, _user: services.back_to_draft(meeting),
                     _("Verbale riportato in bozza."))


@bp.route("/incontri/<int:meeting_id>/verbale/approva", methods=["POST"])
def approve(meeting_id):
    # those who run it; the service refuses, with its reason, the minutes' own authors
    return _workflow(meeting_id, access.RUN_MEETING, services.approve_minutes,
                     _("Verbale approvato e pubblicato nello spazio."))


@bp.route("/incontri/<int:meeting_id>/verbale/parere", methods=["POST"])
def review(meeting_id):
    meeting = access.get_or_404(Meeting, meeting_id, access.REVIEW_MINUTES,
                                options=queries.meeting_page())
    form = forms.MinutesReviewForm()
    if form.validate_on_submit():
        if commit_or_explain(
                lambda: services.review_minutes(meeting, current_user, bool(form.approve.data),
                                                form.comment.data or ""),
                _("Grazie: hai approvato il verbale.") if form.approve.data else
                _("Commento inviato a chi scrive il verbale."), field=form.comment):
            return redirect(url_for("meetings.show", meeting_id=meeting.id) + "#verbale")
    return render_meeting(meeting, 400, review_form=form)


def _minutes_reader(meeting_id: int) -> tuple[Meeting, int | None]:
    """The meeting, and how far the person reads its minutes: as they stand (None), or, while
    an amendment is under way, up to the latest approved version (its number; 0 if none)."""
    meeting = access.get_or_404(Meeting, meeting_id, options=queries.meeting_page())
    if access.can(current_user, access.READ_MINUTES, meeting):
        return meeting, None
    if not access.can(current_user, access.READ_APPROVED_MINUTES, meeting):
        abort(403)
    found = queries.approved_version(meeting.id)
    return meeting, found.number if found else 0


@bp.route("/incontri/<int:meeting_id>/verbale/versioni")
def versions(meeting_id):
    meeting, up_to = _minutes_reader(meeting_id)
    return render_template("meetings/versions.html", meeting=meeting, space=meeting.space,
                           versions=queries.versions(meeting.id, up_to))


@bp.route("/incontri/<int:meeting_id>/verbale/versioni/<int:number>")
def version(meeting_id, number):
    meeting, up_to = _minutes_reader(meeting_id)
    found = queries.version(meeting.id, number) if up_to is None or number <= up_to else None
    if found is None:
        abort(404)
    return render_template("meetings/version.html", meeting=meeting, space=meeting.space,
                           version=found, data=json.loads(found.data))


@bp.route("/incontri/<int:meeting_id>/stampa")
def printable(meeting_id):
    meeting, up_to = _minutes_reader(meeting_id)
    if up_to is not None:  # the approved version, on its own page
        if not up_to:
            abort(404)
        return redirect(url_for("meetings.version", meeting_id=meeting.id, number=up_to))
    return render_template("meetings/print.html", meeting=meeting,
                           decisions=queries.decisions(meeting.id),
                           actions=queries.actions(meeting.id),
                           attendance=queries.attendance(meeting.id),
                           guest_attendance=queries.guest_attendance(meeting.id))


# --- feedback and materials ------------------------------------------------------------------

@bp.route("/incontri/<int:meeting_id>/riscontro", methods=["GET", "POST"])
def feedback(meeting_id):
    meeting = access.get_or_404(Meeting, meeting_id, options=queries.meeting_page())
    may_give = access.can(current_user, access.GIVE_FEEDBACK, meeting)
    runs = access.can(current_user, access.RUN_MEETING, meeting)
    if not may_give and not runs:
        abort(403)
    mine = queries.my_feedback(meeting.id, current_user.id) if may_give else None
    form = forms.FeedbackForm(obj=None, formdata=None if request.method == "GET" else
                              request.form, usefulness=str(mine.usefulness) if mine else None,
                              will_apply=mine.will_apply if mine else "")
    if request.method == "POST":
        if not may_give:
            abort(403)
        if form.validate() and commit_or_explain(
                lambda: services.give_feedback(meeting, current_user, int(form.usefulness.data),
                                               form.will_apply.data or ""),
                _("Grazie per il riscontro.")):
            return redirect(url_for("meetings.show", meeting_id=meeting.id))
    return render_template("meetings/feedback.html", meeting=meeting, space=meeting.space,
                           form=form, may_give=may_give, runs=runs,
                           summary=queries.feedback_summary(meeting.id) if runs else None), \
        400 if form.errors else 200


@bp.route("/incontri/<int:meeting_id>/materiali", methods=["GET", "POST"])
def materials(meeting_id):
    meeting = access.get_or_404(Meeting, meeting_id, access.RUN_MEETING,
                                options=queries.meeting_page())
    form = forms.MaterialsForm()
    form.item_id.choices = forms.item_choices(meeting.items)
    if form.validate_on_submit():
        if commit_or_explain(
                lambda: services.add_materials(meeting, current_user, chosen_files(form.files),
                                               _item_id(form.item_id.data)),
                _("Materiali caricati."), field=form.files):
            return redirect(url_for("meetings.show", meeting_id=meeting.id) + "#materiali")
    own, by_item = queries.materials(meeting)
    return render_template("meetings/materials.html", meeting=meeting, space=meeting.space,
                           form=form, materials=own, item_materials=by_item,
                           remove_form=forms.SimpleActionForm(formdata=None)), \
        400 if form.errors else 200


@bp.route("/incontri/<int:meeting_id>/materiali/<int:attachment_id>/elimina", methods=["POST"])
def remove_material(meeting_id, attachment_id):
    meeting = access.get_or_404(Meeting, meeting_id, access.RUN_MEETING,
                                options=queries.meeting_page())
    own, by_item = queries.materials(meeting)
    found = next((a for a in own + [a for rows in by_item.values() for a in rows]
                  if a.id == attachment_id), None)
    if found is None:
        abort(404)
    if forms.SimpleActionForm().validate_on_submit():
        commit_or_explain(lambda: services.remove_material(meeting, found), _("File eliminato."))
    return redirect(url_for("meetings.materials", meeting_id=meeting.id))
