"""Pages of cop.account: the person's own profile and password, their data, deleting the
account."""
from __future__ import annotations

import json

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from cop.account import services
from cop.account.blueprint import bp
from cop.account.forms import ChangePasswordForm, DeleteAccountForm, ProfileForm
from cop.auth import services as auth_services
from cop.auth.passwords import verify_password
from cop.extensions import db
from cop.outcomes import commit_or_explain


@bp.route("/profilo", methods=["GET", "POST"])
@login_required
def edit_profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        services.update_profile(current_user, name=form.name.data,
                                job_title=form.job_title.data or "",
                                bio=form.bio.data or "", locale=form.locale.data)
        db.session.commit()
        session["lang"] = current_user.locale
        flash(_("Profilo aggiornato."), "success")
        return redirect(url_for("people.profile", user_id=current_user.id))
    return render_template("account/edit_profile.html", form=form)


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
    return render_template("account/change_password.html", form=form)


@bp.route("/profilo/dati")
@login_required
def my_data():
    return render_template("account/my_data.html")


@bp.route("/profilo/dati.json")
@login_required
def export():
    data = services.export_data(current_user._get_current_object())
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return current_app.response_class(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="cop-dati-{current_user.handle}.json"',
        "Cache-Control": "no-store"})


@bp.route("/profilo/elimina", methods=["GET", "POST"])
@login_required
def delete_account():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if not verify_password(user.password_hash, form.password.data):
            form.password.errors.append(_("La password non è corretta."))
        elif commit_or_explain(lambda: services.delete_account(user)):
            logout_user()
            session.clear()
            flash(_("Il tuo account è stato eliminato. I tuoi messaggi restano nelle "
                    "discussioni come «utente rimosso»."), "info")
            return redirect(url_for("auth.login"))
    return render_template("account/delete_account.html", form=form)
