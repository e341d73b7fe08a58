from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user
from sqlalchemy import select

from cop import access
from cop.auth import services as auth_services
from cop.auth.models import User
from cop.auth.passwords import verify_password
from cop.directory.views import profile_context as directory_profile
from cop.extensions import db
from cop.people import bp, services
from cop.people.forms import ChangePasswordForm, ProfileForm
from cop.spaces.models import Membership, Space


@bp.route("/persone/<int:user_id>")
@login_required
def profile(user_id):
    person = db.session.get(User, user_id)
    if person is None or not access.can(current_user, access.VIEW, person):
        abort(404)
    spaces = db.session.execute(
        select(Space, Membership.role)
        .join(Membership, Membership.space_id == Space.id)
        .where(Membership.user_id == person.id, access.visible_spaces_clause(current_user))
        .order_by(Space.kind, Space.name)
    ).all()
    return render_template("people/profile.html", person=person, spaces=spaces,
                           **directory_profile(current_user, person))


@bp.route("/profilo", methods=["GET", "POST"])
@login_required
def edit_profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        services.update_profile(current_user, name=form.name.data, job_title=form.job_title.data or "",
                                bio=form.bio.data or "", locale=form.locale.data)
        db.session.commit()
        session["lang"] = current_user.locale
        flash(_("Profilo aggiornato."), "success")
        return redirect(url_for("people.profile", user_id=current_user.id))
    return render_template("people/edit_profile.html", form=form)


@bp.route("/profilo/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm(user=current_user)
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors.append(_("La password attuale non è corretta."))
        else:
            user = current_user._get_current_object()
            auth_services.set_password(user, form.password.data, request.user_agent.string)
            db.session.commit()
            login_user(user)  # the new session token replaces the ended one
            flash(_("Password cambiata. Gli altri dispositivi collegati sono stati disconnessi."),
                  "success")
            return redirect(url_for("people.profile", user_id=user.id))
    return render_template("people/change_password.html", form=form)
