"""The buttons of a record: send, validate or send back, publish, archive and restore, delete,
adopt, comment, remove an attachment. Each is a POST that runs one service and commits; a form
with a problem shows the record again with what was typed."""
from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cop import access
from cop.extensions import db
from cop.files.models import Attachment
from cop.outcomes import commit_or_explain
from cop.practices import queries, services
from cop.practices.blueprint import bp
from cop.practices.forms import (
    AdoptForm,
    ChangeAdoptionForm,
    CommentForm,
    PublishForm,
    ReviewForm,
    SimpleActionForm,
)
from cop.practices.models import Practice, Status
from cop.practices.views import render_practice

BASE = "/pratiche/<int:practice_id>"


def _back(practice_id: int, anchor: str | None = None):
    return redirect(url_for("practices.show", practice_id=practice_id, _anchor=anchor))


def _form_again(practice_id: int, **form):
    """The record again, with the form that had a problem (400)."""
    return render_practice(access.get_or_404(Practice, practice_id,
                                             options=queries.practice_page()), 400, **form)


def _simple(practice_id: int, action: str, run, success: str):
    practice = access.get_or_404(Practice, practice_id, action, options=queries.practice_page())
    form = SimpleActionForm()
    if not form.validate_on_submit():
        abort(400)
    commit_or_explain(lambda: run(practice, form), success)
    return practice


@bp.route(f"{BASE}/<any(valutazione, pubblica, adotta, commenta):form>")
def form_address(practice_id, form):
    """A form that failed shows the record again at its own address (the POST's): reloading
    it, or opening it later, leads to the record at that form."""
    access.get_or_404(Practice, practice_id, options=queries.practice_page())
    anchors = {"valutazione": "review-title", "pubblica": "publish-title",
               "adotta": "adozioni", "commenta": "commenti"}
    return _back(practice_id, anchors[form])


@bp.route(f"{BASE}/invia", methods=["POST"])
def submit(practice_id):
    practice = access.get_or_404(Practice, practice_id, access.SUBMIT,
                                 options=queries.practice_page())
    if SimpleActionForm().validate_on_submit():
        if services.missing_for_submission(practice):
            flash(_("La scheda non è completa: completa i campi indicati e inviala di nuovo."),
                  "warning")
            return redirect(url_for("practices.edit", practice_id=practice.id, completa=1))
        commit_or_explain(lambda: services.submit(practice, current_user),
                          _("Scheda inviata alla validazione."))
    return _back(practice_id)


@bp.route(f"{BASE}/ritira-invio", methods=["POST"])
def withdraw_submission(practice_id):
    practice = access.get_or_404(Practice, practice_id, access.WITHDRAW_SUBMISSION,
                                 options=queries.practice_page())
    if SimpleActionForm().validate_on_submit() and commit_or_explain(
            lambda: services.withdraw_submission(practice, current_user),
            _("Scheda ritirata dalla validazione: è di nuovo una bozza, modificala e inviala "
              "quando è pronta.")):
        return redirect(url_for("practices.edit", practice_id=practice_id))
    return _back(practice_id)


def _refused(practice, waiting_for: Status):
    """403. A writer asking to validate or publish their own record is told why (four eyes)."""
    if practice.status != waiting_for.value or not access.wrote_practice(current_user, practice):
        abort(403)
    flash(str(services.OWN_RECORD), "danger")
    return render_practice(practice, 403)


@bp.route(f"{BASE}/valutazione", methods=["POST"])
def review(practice_id):
    practice = access.get_or_404(Practice, practice_id, options=queries.practice_page())
    if not access.can(current_user, access.REVIEW, practice):
        return _refused(practice, Status.SUBMITTED)
    form = ReviewForm()
    if form.validate_on_submit():
        send_back = bool(form.send_back.data)
        step = services.send_back if send_back else services.validate
        message = (_("Scheda rimandata agli autori con il tuo commento.") if send_back else
                   _("Scheda validata: ora può essere pubblicata."))
        if commit_or_explain(lambda: step(practice, current_user, form.comment.data or ""),
                             message, field=form.comment):
            return _back(practice_id)
    return _form_again(practice_id, review_form=form)


@bp.route(f"{BASE}/pubblica", methods=["POST"])
def publish(practice_id):
    practice = access.get_or_404(Practice, practice_id, options=queries.practice_page())
    if not access.can(current_user, access.PUBLISH, practice):
        return _refused(practice, Status.VALIDATED)
    form = PublishForm()
    if form.validate_on_submit():
        if commit_or_explain(lambda: services.publish(practice, current_user,
                                                      form.visibility.data),
                             _("Scheda pubblicata nella biblioteca.")):
            return _back(practice_id)
    return _form_again(practice_id, publish_form=form)


@bp.route(f"{BASE}/archivia", methods=["POST"])
def archive(practice_id):
    _simple(practice_id, access.ARCHIVE,
            lambda p, f: services.archive(p, current_user, f.comment.data or ""),
            _("Scheda archiviata: resta consultabile tra le archiviate."))
    return _back(practice_id)


@bp.route(f"{BASE}/ripristina", methods=["POST"])
def restore(practice_id):
    _simple(practice_id, access.ARCHIVE, lambda p, f: services.restore(p, current_user),
            _("Scheda di nuovo pubblicata."))
    return _back(practice_id)


@bp.route(f"{BASE}/elimina", methods=["POST"])
def delete(practice_id):
    practice = _simple(practice_id, access.DELETE_PRACTICE,
                       lambda p, f: services.delete_draft(p, current_user), _("Bozza eliminata."))
    return redirect(url_for("practices.space_practices", slug=practice.space.slug))


@bp.route(f"{BASE}/adotta", methods=["POST"])
def adopt(practice_id):
    practice = access.get_or_404(Practice, practice_id, access.ADOPT,
                                 options=queries.practice_page())
    form = AdoptForm()
    form.alleanza_id.choices = [(str(i), str(i)) for i in
                                access.adopting_alleanza_ids(current_user, practice)]
    if form.validate_on_submit():
        if commit_or_explain(lambda: services.adopt(practice, current_user,
                                                    int(form.alleanza_id.data), form.kind.data,
                                                    form.note.data or ""),
                             _("Adozione registrata: grazie, la scheda mostra dove ha viaggiato.")):
            return _back(practice_id, "adozioni")
    return _form_again(practice_id, adopt_form=form)


@bp.route(f"{BASE}/adozioni/<int:alleanza_id>", methods=["POST"])
def change_adoption(practice_id, alleanza_id):
    practice = access.get_or_404(Practice, practice_id, options=queries.practice_page())
    form = ChangeAdoptionForm(prefix=f"a{alleanza_id}")
    if form.validate_on_submit():
        if commit_or_explain(lambda: services.change_adoption(
                practice, current_user, alleanza_id, form.kind.data, form.note.data or ""),
                _("Adozione modificata.")):
            return _back(practice_id, "adozioni")
    return _form_again(practice_id, change_adoption_forms={alleanza_id: form})


@bp.route(f"{BASE}/adozioni/<int:alleanza_id>/ritira", methods=["POST"])
def withdraw(practice_id, alleanza_id):
    _simple(practice_id, access.VIEW,
            lambda p, f: services.withdraw_adoption(p, current_user, alleanza_id),
            _("Adozione ritirata."))
    return _back(practice_id, "adozioni")


@bp.route(f"{BASE}/commenta", methods=["POST"])
def comment(practice_id):
    practice = access.get_or_404(Practice, practice_id, access.COMMENT,
                                 options=queries.practice_page())
    form = CommentForm()
    if form.validate_on_submit():
        if commit_or_explain(lambda: services.comment(practice, current_user, form.body.data),
                             _("Commento pubblicato.")):
            return _back(practice_id, "commenti")
    return _form_again(practice_id, comment_form=form)


@bp.route(f"{BASE}/allegati/<int:attachment_id>/elimina", methods=["POST"])
def remove_attachment(practice_id, attachment_id):
    practice = access.get_or_404(Practice, practice_id, access.EDIT_PRACTICE,
                                 options=queries.practice_page())
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.owner_type != services.OWNER_TYPE or \
            attachment.owner_id != practice.id or not SimpleActionForm().validate_on_submit():
        abort(404)
    commit_or_explain(lambda: services.remove_attachment(practice, attachment),
                      _("Allegato eliminato."))
    return redirect(url_for("practices.edit", practice_id=practice_id))
