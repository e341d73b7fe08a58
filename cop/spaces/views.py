from functools import wraps

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cop import access
from cop.auth.models import Invitation, User
from cop.auth.services import revoke_invitation as revoke
from cop.database import utcnow
from cop.extensions import db
from cop.network.queries import all_ats
from cop.outcomes import commit_or_explain
from cop.pagination import paginate
from cop.spaces import queries, services
from cop.spaces.blueprint import bp
from cop.spaces.context import add_slug, load_space, require_space_access
from cop.spaces.forms import ConfirmForm, JoinRequestForm, RoleForm, SpaceForm
from cop.spaces.models import JoinRequest
from cop.spaces.panels import panels_for
from cop.urls import database_int

bp.url_value_preprocessor(load_space)
bp.before_request(require_space_access)
bp.url_defaults(add_slug)


def managers_only(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not access.can(current_user, access.MANAGE, g.space):
            abort(403)
        return view(*args, **kwargs)
    return wrapper


@bp.route("/")
def index():
    kind = request.args.get("tipo", "")
    if kind not in ("", "ats", "alleanza", "tematico"):
        kind = ""
    ats_id = request.args.get("ats", type=database_int)
    search = request.args.get("q", "").strip()[:100]
    spaces = db.session.scalars(queries.visible_spaces(current_user, kind, ats_id, search)).all()
    return render_template(
        "spaces/index.html", spaces=spaces, kind=kind, ats_id=ats_id, search=search,
        ats_list=db.session.scalars(all_ats()).all(),
        pending=queries.pending_space_ids(current_user),
    )


@bp.route("/miei")
def mine():
    rows = db.session.execute(queries.my_spaces(current_user)).all()
    return render_template("spaces/mine.html", rows=rows)


@bp.route("/<slug>/")
def home():
    space = g.space
    role = access.space_role(current_user, space)
    return render_template(
        "spaces/home.html", space=space, role=role,
        leaders=db.session.scalars(queries.leaders(space)).all(),
        # a member's request was granted: only others may have one waiting
        pending=services.pending_request(space, current_user) if role is None else None,
        alleanza_spaces=(db.session.scalars(queries.alleanza_spaces_of(space, current_user)).all()
                         if space.kind == "ats" else []),
        panels=panels_for(space, current_user),
        form=ConfirmForm(),
    )


@bp.route("/<slug>/membri")
def members():
    space = g.space
    page = paginate(queries.members(space), per_page=50)
    can_manage = access.can(current_user, access.MANAGE, space)
    invitations = (db.session.scalars(queries.open_invitations(space, utcnow())).all()
                   if can_manage else [])
    return render_template("spaces/members.html", space=space, page=page, role_form=RoleForm(),
                           form=ConfirmForm(), can_manage=can_manage, invitations=invitations)


@bp.route("/<slug>/inviti/<int:invitation_id>/revoca", methods=["POST"])
@managers_only
def revoke_invitation(invitation_id):
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.space_id != g.space.id:
        abort(404)
    if ConfirmForm().validate_on_submit():
        commit_or_explain(lambda: revoke(invitation),
                          _("Invito a %(email)s revocato.", email=invitation.email), "info")
    return redirect(url_for("spaces.members"))


@bp.route("/<slug>/membri/<int:user_id>/ruolo", methods=["POST"])
@managers_only
def change_role(user_id):
    user = db.session.get(User, user_id) or abort(404)
    form = RoleForm()
    if form.validate_on_submit():
        commit_or_explain(lambda: services.change_role(g.space, user, form.role.data),
                          _("Ruolo di %(name)s aggiornato.", name=user.name))
    else:
        flash(_("Ruolo non valido."), "danger")
    return redirect(url_for("spaces.members"))


@bp.route("/<slug>/membri/<int:user_id>/rimuovi", methods=["POST"])
@managers_only
def remove_member(user_id):
    user = db.session.get(User, user_id) or abort(404)
    if ConfirmForm().validate_on_submit():
        commit_or_explain(lambda: services.remove_member(g.space, user),
                          _("%(name)s non fa più parte dello spazio.", name=user.name))
    return redirect(url_for("spaces.members"))


@bp.route("/<slug>/modifica", methods=["GET", "POST"])
@managers_only
def edit():
    space = g.space
    form = SpaceForm(obj=space)
    if form.validate_on_submit():
        if commit_or_explain(lambda: services.update_space(
                space, name=form.name.data, description=form.description.data or "",
                visibility=form.visibility.data), _("Spazio aggiornato.")):
            return redirect(url_for("spaces.home"))
    return render_template("spaces/edit.html", space=space, form=form)


@bp.route("/<slug>/richieste")
@managers_only
def requests():
    space = g.space
    join_requests = db.session.scalars(queries.pending_requests(space)).all()
    return render_template("spaces/requests.html", space=space, join_requests=join_requests,
                           form=ConfirmForm())


@bp.route("/<slug>/richieste/<int:request_id>", methods=["POST"])
@managers_only
def decide_request(request_id):
    join_request = db.session.get(JoinRequest, request_id)
    if join_request is None or join_request.space_id != g.space.id:
        abort(404)
    decision = request.form.get("decisione")
    if not ConfirmForm().validate_on_submit() or decision not in ("accetta", "rifiuta"):
        abort(400)
    name = join_request.user.name
    accept = decision == "accetta"
    commit_or_explain(
        lambda: services.decide_join_request(join_request, current_user, accept=accept),
        _("%(name)s ora fa parte dello spazio.", name=name) if accept
        else _("Richiesta di %(name)s rifiutata.", name=name),
        category="success" if accept else "info", refusal_category="warning")
    return redirect(url_for("spaces.requests"))


@bp.route("/<slug>/partecipa", methods=["GET", "POST"])
def request_join():
    space = g.space
    if not access.can(current_user, access.REQUEST_JOIN, space):
        flash(_("Fai già parte di questo spazio."), "info")
        return redirect(url_for("spaces.home"))
    form = JoinRequestForm()
    if form.validate_on_submit():
        commit_or_explain(
            lambda: services.request_to_join(space, current_user, form.message.data or ""),
            _("Richiesta inviata: i coordinatori dello spazio la valuteranno."),
            refusal_category="info")
        return redirect(url_for("spaces.home"))
    return render_template("spaces/request_join.html", space=space, form=form)


@bp.route("/<slug>/lascia", methods=["POST"])
def leave():
    space = g.space
    if not access.can(current_user, access.LEAVE, space):
        abort(403)
    if ConfirmForm().validate_on_submit():
        if commit_or_explain(lambda: services.leave(space, current_user),
                             _("Hai lasciato lo spazio %(name)s.", name=space.name),
                             category="info"):
            return redirect(url_for("spaces.mine"))
    return redirect(url_for("spaces.home"))
