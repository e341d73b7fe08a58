from flask import abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from cop import access
from cop.auth import services
from cop.auth.blueprint import bp
from cop.auth.forms import (
    AcceptInvitationForm,
    ForgotPasswordForm,
    InviteForm,
    LoginForm,
    ResetPasswordForm,
)
from cop.auth.sessions import begin, end_session, sign_out_redirect
from cop.extensions import db, limiter
from cop.network.queries import organisation_choices
from cop.outcomes import commit_or_explain
from cop.spaces.models import Space
from cop.urls import safe_next


def _login_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


def _begin_session(user, remember: bool = False) -> None:
    """A fresh Flask session (no fixation), bound to a new sign-in session row."""
    begin(user, request.user_agent.string, remember=remember)


@bp.route("/accedi", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"],
               deduct_when=lambda response: g.get("login_failed", False))
def login():
    next_url = safe_next(request.values.get("next"), url_for("main.home"))
    if current_user.is_authenticated:
        return redirect(next_url)
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if not current_app.config["PASSWORD_SIGN_IN"] and user is not None and not user.is_admin:
            # Password sign-in is off: only administrators keep it, as a way in when the
            # identity provider is down. Others get the answer a wrong password gets.
            user = None
        if user is None:
            g.login_failed = True
            flash(_("Email o password non corretti.") if current_app.config["PASSWORD_SIGN_IN"]
                  else _("Email o password non corretti, o accesso con password non consentito "
                         "a questo account."), "danger")
        elif commit_or_explain(lambda: _begin_session(user, remember=form.remember.data)):
            return redirect(next_url)
    elif request.method == "POST":
        g.login_failed = True
    return render_template("auth/login.html", form=form, next_url=next_url)


@bp.route("/esci", methods=["POST"])
def logout():
    elsewhere = sign_out_redirect()  # the identity provider's end of session, if it applies
    if current_user.is_authenticated:
        commit_or_explain(lambda: end_session(current_user.login_token))
    logout_user()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    if elsewhere:
        # On to the provider's end of session through a page, not a redirect: the browser
        # applies the Content-Security-Policy's form-action 'self' to this form's redirects.
        page = render_template("auth/signed_out_elsewhere.html", elsewhere=elsewhere)
        flash(_("Sei uscito dalla piattaforma."), "info")  # for the sign-in page, once back
        return page
    flash(_("Sei uscito dalla piattaforma."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password/dimenticata", methods=["GET", "POST"])
@limiter.limit("5 per minute", methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        if commit_or_explain(lambda: services.request_password_reset(form.email.data),
                             _("Se l'indirizzo corrisponde a un account attivo, riceverai "
                               "un'email con il collegamento per scegliere una nuova password."),
                             "info"):
            return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/password/reimposta/<token>", methods=["GET", "POST"])
def reset_password(token):
    user = services.user_for_reset_token(token)
    if user is None:
        return render_template("auth/link_invalid.html"), 404
    form = ResetPasswordForm(user=user)
    if form.validate_on_submit():
        if commit_or_explain(lambda: services.set_password(user, form.password.data)):
            logout_user()
            session.clear()  # before the message, which the session carries
            flash(_("Password aggiornata. Ora puoi accedere con la nuova password."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form, user=user)


@bp.route("/invito/<token>", methods=["GET", "POST"])
def accept_invitation(token):
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return render_template("auth/link_invalid.html"), 404
    if request.method == "POST" and not current_app.config["PASSWORD_SIGN_IN"]:
        abort(403)  # no passwords here: the invitation is accepted through the provider
    form = AcceptInvitationForm(invited_email=invitation.email)
    if request.method == "GET":
        form.name.data = invitation.name
    if form.validate_on_submit():
        def accept():
            logout_user()
            session.clear()
            login_user(services.accept_invitation(
                invitation, name=form.name.data, password=form.password.data,
                locale=form.locale.data, user_agent=request.user_agent.string,
            ))

        if commit_or_explain(accept, _("Benvenuta, benvenuto nella comunità di pratica!")):
            if invitation.space is not None:
                return redirect(url_for("spaces.home", slug=invitation.space.slug))
            return redirect(url_for("main.home"))
    return render_template("auth/accept_invitation.html", form=form, invitation=invitation)


def _invited(outcome) -> str:
    if outcome.added_user:
        return _("%(name)s aveva già un account ed è stata aggiunta allo spazio.",
                 name=outcome.added_user.name)
    return _("Invito inviato a %(email)s.", email=outcome.invitation.email)


@bp.route("/invita", methods=["GET", "POST"])
@login_required
def invite():
    if not access.can(current_user, access.INVITE):
        abort(403)
    form = InviteForm()
    form.organisation_id.choices = organisation_choices()
    managed = db.session.scalars(
        select(Space).where(access.managed_spaces_clause(current_user))
        .order_by(Space.kind, Space.name)
    ).all()
    form.space_id.choices = [(s.id, s.name) for s in managed]
    if current_user.is_admin:
        form.space_id.choices.insert(0, (0, _("Nessuno spazio: solo l'organizzazione")))
    if request.method == "GET":
        wanted = request.args.get("spazio")
        chosen = next((s for s in managed if s.slug == wanted), None)
        if chosen:
            form.space_id.data = chosen.id
    if form.validate_on_submit():
        space = db.session.get(Space, form.space_id.data) if form.space_id.data else None
        if space is not None and not access.can(current_user, access.INVITE, space):
            abort(403)
        organisation = db.session.get(services.Organisation, form.organisation_id.data)
        if commit_or_explain(lambda: services.invite(
                inviter=current_user, email=form.email.data, name=form.name.data or "",
                organisation=organisation, space=space, space_role=form.space_role.data,
                message=form.message.data or "",
        ), _invited, field=form.email):
            if space is not None:
                return redirect(url_for("spaces.members", slug=space.slug))
            return redirect(url_for("admin.invitations"))
    return render_template("auth/invite.html", form=form)
