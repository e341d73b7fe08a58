"""Pages of the learning feature: the regional page, a space's paths, a path with its modules
and the person's progress, a module, and the managers' forms (path, module, order, publish)."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cop import access
from cop.database import utcnow
from cop.errors import ServiceError
from cop.extensions import db
from cop.files.forms import chosen_files
from cop.learning import bp, forms, queries, services
from cop.learning.models import LearningModule, LearningPath
from cop.spaces.context import add_slug, load_space, require_space_access
from cop.spaces.models import Space

bp.url_value_preprocessor(load_space)
bp.before_request(require_space_access)
bp.url_defaults(add_slug)


@bp.record_once
def _add_globals(state):
    state.app.jinja_env.globals["learning_kind_label"] = lambda kind: str(
        forms.KIND_LABELS.get(kind, kind))


def path_or_404(path_id: int, action: str = "view", load=queries.path_for_page) -> LearningPath:
    path = load(path_id)
    if path is None or not access.can(current_user, access.VIEW, path):
        abort(404)  # a path one may not see does not exist
    if action != access.VIEW and not access.can(current_user, action, path):
        abort(403)
    return path


def module_or_404(module_id: int, action: str = "view") -> LearningModule:
    module = queries.module_for_page(module_id)
    if module is None or not access.can(current_user, access.VIEW, module):
        abort(404)
    if action != access.VIEW and not access.can(current_user, action, module):
        abort(403)
    return module


def _commit_or_rollback(step, done: str) -> bool:
    try:
        step()
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return False
    db.session.commit()
    flash(done, "success")
    return True


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
        try:
            path = services.create_path(space, current_user, form.title.data,
                                        form.summary.data or "")
        except ServiceError as error:
            db.session.rollback()
            form.title.errors = list(form.title.errors) + [error.message]
        else:
            db.session.commit()
            flash(_("Percorso creato in bozza: aggiungi i moduli, poi pubblicalo."), "success")
            return redirect(url_for("learning.path", path_id=path.id))
    return render_template("learning/path_form.html", form=form, space=space, path=None), \
        400 if form.errors else 200


@bp.route("/formazione/percorsi/<int:path_id>")
def path(path_id):
    found = path_or_404(path_id)
    modules = queries.modules(found.id)
    done, completion = queries.progress_of(current_user.id, found.id)
    manages = access.can(current_user, access.MANAGE, found)
    row = queries.PathRow(found, len(done), completion.completed_at if completion else None)
    return render_template(
        "learning/path.html", path=found, space=found.space, modules=modules, done=done,
        completion=completion, row=row, manages=manages,
        may_take=access.can(current_user, access.TAKE, found),
        form=forms.ConfirmForm(formdata=None))


@bp.route("/formazione/percorsi/<int:path_id>/modifica", methods=["GET", "POST"])
def edit_path(path_id):
    found = path_or_404(path_id, access.MANAGE)
    form = forms.PathForm(obj=found if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            services.update_path(found, form.title.data, form.summary.data or "")
        except ServiceError as error:
            db.session.rollback()
            form.title.errors = list(form.title.errors) + [error.message]
        else:
            db.session.commit()
            flash(_("Percorso aggiornato."), "success")
            return redirect(url_for("learning.path", path_id=found.id))
    return render_template("learning/path_form.html", form=form, space=found.space,
                           path=found, delete_form=forms.ConfirmForm(formdata=None)), \
        400 if form.errors else 200


def _path_step(path_id: int, step, done: str):
    found = path_or_404(path_id, access.MANAGE)
    if forms.ConfirmForm().validate_on_submit():
        _commit_or_rollback(lambda: step(found), done)
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
    found = path_or_404(path_id, access.MANAGE)
    slug = found.space.slug
    if forms.ConfirmForm().validate_on_submit():
        services.delete_path(found)
        db.session.commit()
        flash(_("Percorso eliminato."), "success")
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
    found = path_or_404(path_id, access.MANAGE)
    form = forms.ModuleForm()
    if form.validate_on_submit():
        try:
            module = services.add_module(found, current_user, form.module_input(),
                                         chosen_files(form.files))
        except ServiceError as error:
            db.session.rollback()
            form.title.errors = list(form.title.errors) + [error.message]
        else:
            db.session.commit()
            flash(_("Modulo aggiunto."), "success")
            return redirect(url_for("learning.path", path_id=found.id,
                                    _anchor=f"modulo-{module.id}"))
    return _module_form_page(form, found, None, 400 if form.errors else 200)


@bp.route("/formazione/moduli/<int:module_id>")
def module(module_id):
    found = module_or_404(module_id)
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
    found = module_or_404(module_id, access.MANAGE)
    form = forms.ModuleForm()
    form.existing_attachments = found.attachment_count
    if request.method == "GET":
        form.load(found)
    if form.validate_on_submit():
        try:
            services.update_module(found, current_user, form.module_input(),
                                   chosen_files(form.files))
        except ServiceError as error:
            db.session.rollback()
            form.title.errors = list(form.title.errors) + [error.message]
        else:
            db.session.commit()
            flash(_("Modulo aggiornato."), "success")
            return redirect(url_for("learning.module", module_id=found.id))
    return _module_form_page(form, found.path, found, 400 if form.errors else 200)


@bp.route("/formazione/moduli/<int:module_id>/sposta", methods=["POST"])
def move_module(module_id):
    found = module_or_404(module_id, access.MANAGE)
    form = forms.MoveForm()
    if form.validate_on_submit() and form.direction.data in ("su", "giu"):
        services.move_module(found, -1 if form.direction.data == "su" else 1)
        db.session.commit()
        flash(_("Ordine dei moduli aggiornato."), "success")
    return redirect(url_for("learning.path", path_id=found.path_id, _anchor="moduli"))


@bp.route("/formazione/moduli/<int:module_id>/elimina", methods=["POST"])
def remove_module(module_id):
    found = module_or_404(module_id, access.MANAGE)
    path_id = found.path_id
    if forms.ConfirmForm().validate_on_submit():
        services.remove_module(found)
        db.session.commit()
        flash(_("Modulo eliminato."), "success")
    return redirect(url_for("learning.path", path_id=path_id, _anchor="moduli"))


@bp.route("/formazione/moduli/<int:module_id>/file/<int:file_id>/elimina", methods=["POST"])
def remove_file(module_id, file_id):
    found = module_or_404(module_id, access.MANAGE)
    attachment = queries.handout_file(found.id, file_id)
    if attachment is None:
        abort(404)
    if forms.ConfirmForm().validate_on_submit():
        _commit_or_rollback(lambda: services.remove_handout_file(found, attachment),
                            _("File eliminato."))
    return redirect(url_for("learning.edit_module", module_id=found.id))


# --- progress --------------------------------------------------------------------------------

def _back_to(found: LearningModule) -> str:
    if request.form.get("da") == "percorso":
        return url_for("learning.path", path_id=found.path_id, _anchor=f"modulo-{found.id}")
    return url_for("learning.module", module_id=found.id)


@bp.route("/formazione/moduli/<int:module_id>/completato", methods=["POST"])
def mark_done(module_id):
    found = module_or_404(module_id, access.TAKE)
    title = found.path.title
    if forms.ConfirmForm().validate_on_submit():
        completion = services.mark_done(found, current_user)
        db.session.commit()
        if completion is not None:
            flash(_("Complimenti: hai completato il percorso «%(title)s». Lo trovi nel tuo "
                    "percorso di formazione nel profilo.", title=title), "success")
        else:
            flash(_("Modulo segnato come completato."), "success")
    return redirect(_back_to(found))


@bp.route("/formazione/moduli/<int:module_id>/da-fare", methods=["POST"])
def mark_undone(module_id):
    found = module_or_404(module_id, access.TAKE)
    if forms.ConfirmForm().validate_on_submit():
        services.mark_undone(found, current_user)
        db.session.commit()
        flash(_("Modulo segnato come da completare."), "info")
    return redirect(_back_to(found))


from cop.learning import account, panel  # noqa: E402,F401
