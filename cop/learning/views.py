"""Pages of the learning feature: the regional page, a space's paths, a path with its modules
and the person's progress, a module, the managers' forms (path, module, order, publish), and
the person's attestations (a printable page and a PDF). The public check of an attestation's
code is in verification.py."""
from __future__ import annotations

from flask import Response, abort, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cop import access
from cop.database import utcnow
from cop.files.forms import chosen_files
from cop.learning import attestation_doc, forms, queries, services
from cop.learning.blueprint import bp
from cop.learning.models import Attestation, LearningModule, LearningPath
from cop.outcomes import commit_or_explain
from cop.spaces.context import add_slug, load_space, require_space_access
from cop.spaces.models import Space

bp.url_value_preprocessor(load_space)
bp.before_request(require_space_access)
bp.url_defaults(add_slug)


@bp.record_once
def _add_globals(state):
    state.app.jinja_env.globals["learning_kind_label"] = lambda kind: str(
        forms.KIND_LABELS.get(kind, kind))
    state.app.jinja_env.globals["attestation_hours"] = attestation_doc.hours_label


# --- lists -----------------------------------------------------------------------------------

@bp.route("/formazione/")
def index():
    spaces = queries.spaces_with_paths(current_user)
    chosen = next((s for s in spaces if s.slug == request.args.get("spazio")), None)
    rows = queries.paths_for(current_user, chosen.id if chosen else None)
    groups: dict[int, tuple[Space, list]] = {}
    for row in rows:
        groups.setdefault(row.path.space_id, (row.path.space, []))[1].append(row)
    return render_template("learning/index.html", groups=list(groups.values()), spaces=spaces,
                           chosen=chosen,
                           meetings=queries.upcoming_training(current_user, utcnow()),
                           days=queries.TRAINING_DAYS)


@bp.route("/spazi/<slug>/formazione")
def space_paths(slug=None):
    space = g.space
    return render_template("learning/space.html", space=space,
                           rows=queries.paths_for(current_user, space.id),
                           may_manage=access.may_manage_learning(current_user, space))


# --- paths -----------------------------------------------------------------------------------

@bp.route("/spazi/<slug>/formazione/nuovo", methods=["GET", "POST"])
def new_path(slug=None):
    space = g.space
    if not access.can(current_user, access.MANAGE, space):
        abort(403)
    form = forms.PathForm()
    if form.validate_on_submit():
        if done := commit_or_explain(
                lambda: services.create_path(space, current_user, form.title.data,
                                             form.summary.data or "", form.duration_minutes),
                _("Percorso creato in bozza: aggiungi i moduli, poi pubblicalo."),
                field=form.title):
            return redirect(url_for("learning.path", path_id=done.value.id))
    return render_template("learning/path_form.html", form=form, space=space, path=None), \
        400 if form.errors else 200


@bp.route("/formazione/percorsi/<int:path_id>")
def path(path_id):
    found = access.get_or_404(LearningPath, path_id, options=queries.path_page())
    modules = queries.modules(found.id)
    done, completion = queries.progress_of(current_user.id, found.id)
    manages = access.can(current_user, access.MANAGE, found)
    row = queries.PathRow(found, len(done), completion.completed_at if completion else None)
    return render_template(
        "learning/path.html", path=found, space=found.space, modules=modules, done=done,
        completion=completion, row=row, manages=manages,
        attestation=queries.attestation_of_completion(completion.id) if completion else None,
        default_minutes=services.path_minutes(found) if manages else None,
        may_take=access.can(current_user, access.TAKE, found),
        form=forms.ConfirmForm(formdata=None))


@bp.route("/formazione/percorsi/<int:path_id>/modifica", methods=["GET", "POST"])
def edit_path(path_id):
    found = access.get_or_404(LearningPath, path_id, access.MANAGE, options=queries.path_page())
    form = forms.PathForm()
    if request.method == "GET":
        form.load(found)
    if form.validate_on_submit():
        if commit_or_explain(
                lambda: services.update_path(found, form.title.data, form.summary.data or "",
                                             form.duration_minutes),
                _("Percorso aggiornato."), field=form.title):
            return redirect(url_for("learning.path", path_id=found.id))
    return render_template("learning/path_form.html", form=form, space=found.space,
                           path=found, delete_form=forms.ConfirmForm(formdata=None)), \
        400 if form.errors else 200


def _path_step(path_id: int, step, done: str):
    found = access.get_or_404(LearningPath, path_id, access.MANAGE, options=queries.path_page())
    if forms.ConfirmForm().validate_on_submit():
        commit_or_explain(lambda: step(found), done)
    return found


@bp.route("/formazione/percorsi/<int:path_id>/pubblica", methods=["POST"])
def publish(path_id):
    found = _path_step(path_id, services.publish_path,
                       _("Percorso pubblicato: chi vede lo spazio può seguirlo."))
    return redirect(url_for("learning.path", path_id=found.id))


@bp.route("/formazione/percorsi/<int:path_id>/ritira", methods=["POST"])
def unpublish(path_id):
    found = _path_step(path_id, services.unpublish_path,
                       _("Percorso riportato in bozza: lo vedono solo i coordinatori."))
    return redirect(url_for("learning.path", path_id=found.id))


@bp.route("/formazione/percorsi/<int:path_id>/elimina", methods=["POST"])
def delete_path(path_id):
    found = access.get_or_404(LearningPath, path_id, access.MANAGE, options=queries.path_page())
    slug = found.space.slug
    if forms.ConfirmForm().validate_on_submit():
        if commit_or_explain(lambda: services.delete_path(found), _("Percorso eliminato.")):
            return redirect(url_for("learning.space_paths", slug=slug))
    return redirect(url_for("learning.path", path_id=found.id))


# --- modules ---------------------------------------------------------------------------------

def _module_form_page(form, found_path, module, status=200):
    files = queries.handouts([module.id]).get(module.id, []) if module else []
    return render_template("learning/module_form.html", form=form, path=found_path,
                           space=found_path.space, module=module, files=files,
                           remove_form=forms.ConfirmForm(formdata=None)), status


@bp.route("/formazione/percorsi/<int:path_id>/moduli/nuovo", methods=["GET", "POST"])
def new_module(path_id):
    found = access.get_or_404(LearningPath, path_id, access.MANAGE, options=queries.path_page())
    form = forms.ModuleForm()
    if form.validate_on_submit():
        if done := commit_or_explain(
                lambda: services.add_module(found, current_user, form.module_input(),
                                            chosen_files(form.files)),
                _("Modulo aggiunto."), field=form.title):
            return redirect(url_for("learning.path", path_id=found.id,
                                    _anchor=f"modulo-{done.value.id}"))
    return _module_form_page(form, found, None, 400 if form.errors else 200)


@bp.route("/formazione/moduli/<int:module_id>")
def module(module_id):
    found = access.get_or_404(LearningModule, module_id, options=queries.module_page())
    found_path = found.path
    modules = queries.modules(found_path.id)
    done, completion = queries.progress_of(current_user.id, found_path.id)
    index = next((n for n, m in enumerate(modules) if m.id == found.id), 0)
    return render_template(
        "learning/module.html", module=found, path=found_path, space=found_path.space,
        modules=modules, number=index + 1,
        previous=modules[index - 1] if index > 0 else None,
        following=modules[index + 1] if index + 1 < len(modules) else None,
        done=done, completion=completion,
        row=queries.PathRow(found_path, len(done), completion.completed_at if completion else None),
        files=queries.handouts([found.id]).get(found.id, []),
        may_take=access.can(current_user, access.TAKE, found_path),
        manages=access.can(current_user, access.MANAGE, found_path),
        form=forms.ConfirmForm(formdata=None))


@bp.route("/formazione/moduli/<int:module_id>/modifica", methods=["GET", "POST"])
def edit_module(module_id):
    found = access.get_or_404(LearningModule, module_id, access.MANAGE,
                              options=queries.module_page())
    form = forms.ModuleForm()
    form.existing_attachments = found.attachment_count
    if request.method == "GET":
        form.load(found)
    if form.validate_on_submit():
        if commit_or_explain(
                lambda: services.update_module(found, current_user, form.module_input(),
                                               chosen_files(form.files)),
                _("Modulo aggiornato."), field=form.title):
            return redirect(url_for("learning.module", module_id=found.id))
    return _module_form_page(form, found.path, found, 400 if form.errors else 200)


@bp.route("/formazione/moduli/<int:module_id>/sposta", methods=["POST"])
def move_module(module_id):
    found = access.get_or_404(LearningModule, module_id, access.MANAGE,
                              options=queries.module_page())
    form = forms.MoveForm()
    if form.validate_on_submit() and form.direction.data in ("su", "giu"):
        commit_or_explain(
            lambda: services.move_module(found, -1 if form.direction.data == "su" else 1),
            _("Ordine dei moduli aggiornato."))
    return redirect(url_for("learning.path", path_id=found.path_id, _anchor="moduli"))


@bp.route("/formazione/moduli/<int:module_id>/elimina", methods=["POST"])
def remove_module(module_id):
    found = access.get_or_404(LearningModule, module_id, access.MANAGE,
                              options=queries.module_page())
    path_id = found.path_id
    if forms.ConfirmForm().validate_on_submit():
        commit_or_explain(lambda: services.remove_module(found), _("Modulo eliminato."))
    return redirect(url_for("learning.path", path_id=path_id, _anchor="moduli"))


@bp.route("/formazione/moduli/<int:module_id>/file/<int:file_id>/elimina", methods=["POST"])
def remove_file(module_id, file_id):
    found = access.get_or_404(LearningModule, module_id, access.MANAGE,
                              options=queries.module_page())
    attachment = queries.handout_file(found.id, file_id)
    if attachment is None:
        abort(404)
    if forms.ConfirmForm().validate_on_submit():
        commit_or_explain(lambda: services.remove_handout_file(found, attachment),
                          _("File eliminato."))
    return redirect(url_for("learning.edit_module", module_id=found.id))


# --- progress --------------------------------------------------------------------------------

def _back_to(found: LearningModule) -> str:
    if request.form.get("da") == "percorso":
        return url_for("learning.path", path_id=found.path_id, _anchor=f"modulo-{found.id}")
    return url_for("learning.module", module_id=found.id)


@bp.route("/formazione/moduli/<int:module_id>/completato", methods=["POST"])
def mark_done(module_id):
    found = access.get_or_404(LearningModule, module_id, access.TAKE, options=queries.module_page())
    title = found.path.title
    if forms.ConfirmForm().validate_on_submit():
        commit_or_explain(lambda: services.mark_done(found, current_user), lambda completion: _(
            "Complimenti: hai completato il percorso «%(title)s». Lo trovi nel tuo percorso di "
            "formazione nel profilo.", title=title) if completion is not None else
            _("Modulo segnato come completato."))
    return redirect(_back_to(found))


@bp.route("/formazione/moduli/<int:module_id>/da-fare", methods=["POST"])
def mark_undone(module_id):
    found = access.get_or_404(LearningModule, module_id, access.TAKE, options=queries.module_page())
    if forms.ConfirmForm().validate_on_submit():
        commit_or_explain(lambda: services.mark_undone(found, current_user),
                          _("Modulo segnato come da completare."), "info")
    return redirect(_back_to(found))


# --- attestations ----------------------------------------------------------------------------

@bp.route("/formazione/attestati")
def attestations():
    return render_template("learning/attestations.html",
                           attestations=queries.attestations_of(current_user.id))


def _attestation(attestation_id: int) -> Attestation:
    """Only its holder and site admins see an attestation: to anyone else it does not exist."""
    return access.get_or_404(Attestation, attestation_id, options=queries.attestation_page())


@bp.route("/formazione/attestati/<int:attestation_id>")
def attestation(attestation_id):
    found = _attestation(attestation_id)
    return render_template("learning/attestation.html", attestation=found,
                           text=attestation_doc.text_of(found))


@bp.route("/formazione/attestati/<int:attestation_id>/pdf")
def attestation_pdf(attestation_id):
    text = attestation_doc.text_of(_attestation(attestation_id))
    return Response(attestation_doc.pdf_bytes(text), mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{text.filename}"',
        "Cache-Control": "private, no-store"})
