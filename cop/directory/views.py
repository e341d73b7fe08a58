"""Pages of cop.directory: the directory search, trainers, the skills map, contact, and the
profile's own pages (details and skills, learning, trainer offer)."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from cop import access
from cop.auth.models import User
from cop.directory import queries, services
from cop.directory.blueprint import bp
from cop.directory.forms import (
    LEARNING_LABELS,
    LEVEL_LABELS,
    ContactForm,
    EndorseForm,
    LearningForm,
    SearchForm,
    TrainerForm,
    TrainersForm,
    details_form,
    skill_field_name,
)
from cop.directory.models import LearningRecord, PersonSkill, TrainerOffer
from cop.extensions import db, limiter
from cop.learning.queries import record_sources
from cop.outcomes import commit_or_explain
from cop.pagination import MAX_PAGE
from cop.urls import database_int, page_number


def _page() -> int:
    return max(1, min(request.args.get("pagina", 1, type=page_number), MAX_PAGE))


def _int_or_none(value: str | None) -> int | None:
    try:
        return database_int(value) if value else None
    except ValueError:
        return None


# --- the directory --------------------------------------------------------------------------

@bp.route("/rubrica/")
@login_required
def search():
    catalogue = queries.skill_catalogue()
    ats_list, alleanze = queries.territory_choices()
    types = queries.entity_types()
    form = SearchForm(formdata=request.args)
    form.competenza.choices = [(s.code, s.label) for _g, skills in catalogue for s in skills]
    form.ats.choices = [("", _("Tutte le ATS"))] + [(str(a.id), a.full_name) for a in ats_list]
    form.alleanza.choices = [("", _("Tutte le Alleanze"))] + [(str(a.id), a.name) for a in alleanze]
    form.tipo.choices = [("", _("Tutti i tipi"))] + [(t.code, t.label) for t in types]
    results = None
    if form.validate():
        query = queries.Query(
            skills=form.competenza.data or [], min_level=int(form.livello.data or 1),
            ats_id=_int_or_none(form.ats.data), alleanza_id=_int_or_none(form.alleanza.data),
            entity_type=form.tipo.data or None, trainers_only=form.formatore.data,
            text=form.q.data or "")
        results = queries.search(current_user, query, page=_page())
    labels = {s.code: s.label for _g, skills in catalogue for s in skills}
    return render_template("directory/search.html", form=form, results=results,
                           catalogue=catalogue, level_labels=LEVEL_LABELS, skill_labels=labels,
                           asked=bool(request.args))


@bp.route("/rubrica/formatori")
@login_required
def trainers():
    ats_list, _alleanze = queries.territory_choices()
    form = TrainersForm(formdata=request.args)
    form.ats.choices = [("", _("Tutti i territori"))] + [(str(a.id), a.full_name) for a in ats_list]
    results, offers = None, {}
    if form.validate():
        results, offers = queries.trainers(current_user, text=form.q.data or "",
                                           ats_id=_int_or_none(form.ats.data),
                                           online=form.online.data, page=_page())
    return render_template("directory/trainers.html", form=form, results=results, offers=offers,
                           level_labels=LEVEL_LABELS)


@bp.route("/rubrica/mappa")
@login_required
def skills_map():
    data = queries.skills_map(current_user, request.args.get("ats", type=database_int))
    return render_template("directory/map.html", data=data, chosen_ats=data.chosen_ats,
                           level_labels=LEVEL_LABELS)


def _recipient(user_id: int) -> User:
    person = db.session.get(User, user_id)
    if person is None or not access.can(current_user, access.VIEW, person):
        abort(404)
    if not access.can(current_user, access.CONTACT, queries.details_of(person.id)):
        abort(404 if person.id != current_user.id else 403)
    return person


def _contact_limit() -> str:
    return current_app.config["DIRECTORY_CONTACT_RATE_LIMIT"]


def _sender_key() -> str:
    return f"contact-{current_user.id}" if current_user.is_authenticated else "anonymous"


@bp.route("/rubrica/contatta/<int:user_id>", methods=["GET", "POST"])
@login_required
@limiter.limit(_contact_limit, methods=["POST"], key_func=_sender_key,
               deduct_when=lambda response: response.status_code == 302)
def contact(user_id):
    person = _recipient(user_id)
    form = ContactForm()
    if form.validate_on_submit():
        sent = commit_or_explain(lambda: services.contact(
            current_user, person, subject=form.subject.data, message=form.message.data),
            _("Messaggio inviato a %(name)s. Ti risponderà al tuo indirizzo email.",
              name=person.name))
        if sent:
            return redirect(url_for("people.profile", user_id=person.id))
    return render_template("directory/contact.html", form=form, person=person)


# --- endorsements ---------------------------------------------------------------------------

def _skill_of(user_id: int, skill_code: str) -> PersonSkill:
    person = db.session.get(User, user_id)
    person_skill = db.session.get(PersonSkill, (user_id, skill_code[:8]))
    if person is None or person_skill is None or not access.can(
            current_user, access.VIEW_DETAILS, queries.details_of(user_id)):
        abort(404)
    return person_skill


@bp.route("/persone/<int:user_id>/competenze/<skill_code>/conferma", methods=["POST"])
@login_required
def endorse(user_id, skill_code):
    person_skill = _skill_of(user_id, skill_code)
    if not access.can(current_user, access.ENDORSE, person_skill):
        abort(403)
    form = EndorseForm()
    if not form.validate():
        flash(_("La nota può essere lunga al massimo 300 caratteri."), "danger")
    else:
        commit_or_explain(lambda: services.endorse(current_user, user_id, person_skill.skill_code,
                                                   form.note.data or ""),
                          _("Competenza confermata. Grazie!"))
    return redirect(url_for("people.profile", user_id=user_id, _anchor="competenze"))


@bp.route("/persone/<int:user_id>/competenze/<skill_code>/ritira", methods=["POST"])
@login_required
def withdraw_endorsement(user_id, skill_code):
    person_skill = _skill_of(user_id, skill_code)
    commit_or_explain(lambda: services.withdraw_endorsement(current_user, user_id,
                                                            person_skill.skill_code),
                      _("Conferma ritirata."), category="info")
    return redirect(url_for("people.profile", user_id=user_id, _anchor="competenze"))


# --- the person's own directory pages -------------------------------------------------------

@bp.route("/profilo/competenze", methods=["GET", "POST"])
@login_required
def edit_details():
    catalogue = queries.skill_catalogue()
    details = queries.details_of(current_user.id)
    if request.method == "GET":
        levels = {ps.skill_code: ps.level for ps in db.session.scalars(
            select(PersonSkill).where(PersonSkill.user_id == current_user.id))}
        form = details_form(catalogue, data={
            "visibility": details.visibility, "topics": ", ".join(details.topic_list),
            "languages": details.languages,
            **{skill_field_name(code): str(level) for code, level in levels.items()}})
    else:
        form = details_form(catalogue)
    if form.validate_on_submit():
        levels = {s.code: int(form[skill_field_name(s.code)].data)
                  for _g, skills in catalogue for s in skills}
        if commit_or_explain(lambda: services.update_details(
                current_user, visibility=form.visibility.data, topics=form.topics.data or "",
                languages=form.languages.data or "", levels=levels),
                _("Competenze e dettagli del profilo aggiornati.")):
            return redirect(url_for("people.profile", user_id=current_user.id,
                                    _anchor="competenze"))
    return render_template("directory/edit_details.html", form=form, catalogue=catalogue,
                           skill_field_name=skill_field_name)


@bp.route("/profilo/formazione", methods=["GET", "POST"])
@login_required
def learning():
    form = LearningForm()
    if form.validate_on_submit():
        if commit_or_explain(lambda: services.add_learning(
                current_user, title=form.title.data, kind=form.kind.data,
                provider=form.provider.data or "", year=form.year.data),
                _("Aggiunto al tuo percorso di formazione.")):
            return redirect(url_for("directory.learning"))
    records = db.session.scalars(select(LearningRecord).where(
        LearningRecord.user_id == current_user.id)
        .order_by(LearningRecord.year.desc(), LearningRecord.id.desc())).all()

    return render_template("directory/learning.html", form=form, records=records,
                           kinds=LEARNING_LABELS,
                           sources=record_sources(current_user, [r.id for r in records]))


@bp.route("/profilo/formazione/<int:record_id>/elimina", methods=["POST"])
@login_required
def remove_learning(record_id):
    commit_or_explain(lambda: services.remove_learning(current_user, record_id),
                      _("Voce eliminata."), category="info")
    return redirect(url_for("directory.learning"))


@bp.route("/profilo/formatore", methods=["GET", "POST"])
@login_required
def trainer_offer():
    ats_list, _alleanze = queries.territory_choices()
    offer = db.session.get(TrainerOffer, current_user.id)
    if request.method == "GET" and offer is not None:
        form = TrainerForm(data={"topics": ", ".join(offer.topic_list),
                                 "in_person": offer.in_person,
                                 "online": offer.online, "availability": offer.availability,
                                 "territories": [a.id for a in offer.territories]})
    else:
        form = TrainerForm()
    form.territories.choices = [(a.id, a.full_name) for a in ats_list]
    if form.validate_on_submit():
        if commit_or_explain(lambda: services.set_trainer_offer(
                current_user, topics=form.topics.data, in_person=form.in_person.data,
                online=form.online.data, availability=form.availability.data or "",
                ats_ids=form.territories.data or []),
                _("La tua offerta come formatore o mentore è pubblicata.")):
            return redirect(url_for("people.profile", user_id=current_user.id,
                                    _anchor="formatore"))
    return render_template("directory/trainer_offer.html", form=form, offer=offer)


@bp.route("/profilo/formatore/ritira", methods=["POST"])
@login_required
def withdraw_offer():
    commit_or_explain(lambda: services.withdraw_trainer_offer(current_user),
                      _("Non compari più tra i formatori."), category="info")
    return redirect(url_for("people.profile", user_id=current_user.id))
