"""Pages of cop.oidc: going to the identity provider, coming back from it, and linking the
signed-in person's account from their profile. 404 when the installation has no provider.

Going to the provider is a link (GET), not a form: the site's Content-Security-Policy has
`form-action 'self'`, which browsers apply to a form's redirects too, so a form posted here
could not continue to the provider. Linking from the profile changes the account, so its
link carries the CSRF token, checked here."""
from __future__ import annotations

import logging

from flask import abort, current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf.csrf import validate_csrf
from wtforms import ValidationError

from cop import access
from cop.auth import services as auth_services
from cop.auth.sessions import begin
from cop.extensions import db, limiter
from cop.oidc import client as oidc
from cop.oidc import services
from cop.oidc.blueprint import bp
from cop.oidc.models import OidcIdentity
from cop.outcomes import commit_or_explain
from cop.urls import safe_next

log = logging.getLogger(__name__)

_NEXT = "oidc_next"
_LINK_FOR = "oidc_link_for"  # the signed-in person linking their account
_INVITATION = "oidc_invitation"  # the token of the invitation whose page the person came from


def _login_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


def _provider_or_404():
    if not oidc.configured():
        abort(404)


def _to_provider(next_url: str, link_for: int | None = None, invitation: str | None = None):
    session[_NEXT] = next_url
    for key, value in ((_LINK_FOR, link_for), (_INVITATION, invitation)):
        if value is None:
            session.pop(key, None)
        else:
            session[key] = value
    try:
        oidc.metadata()
        return oidc.client().authorize_redirect(url_for("oidc.callback", _external=True))
    except oidc.PROVIDER_ERRORS as error:
        log.warning("identity provider unreachable: %s", error)
        flash(_("Il fornitore di identità non risponde: riprova tra qualche minuto."), "danger")
        return redirect(url_for("auth.login"))


@bp.route("/accedi/ente")
def start():
    """To the provider's authorization endpoint (code flow with PKCE, state and nonce)."""
    _provider_or_404()
    next_url = safe_next(request.args.get("next"), url_for("main.home"))
    if current_user.is_authenticated:
        return redirect(next_url)
    invitation = request.args.get("invito", "")[:200] or None  # from the invitation's page
    return _to_provider(next_url, invitation=invitation)


@bp.route("/profilo/collega-ente")
@login_required
def link():
    """The signed-in person links their account to their identity at the provider."""
    _provider_or_404()
    try:
        validate_csrf(request.args.get("csrf_token"))
    except ValidationError:
        abort(400)
    return _to_provider(url_for("account.edit_profile"), link_for=current_user.id)


@bp.route("/accedi/ente/ritorno")
@limiter.limit(_login_limit, deduct_when=lambda response: g.get("login_failed", False))
def callback():
    """Back from the provider: the code exchanged (with the PKCE verifier), the ID token
    checked, then the person signed in (or their account linked) as a password sign-in is."""
    _provider_or_404()
    next_url = safe_next(session.pop(_NEXT, None), url_for("main.home"))
    link_for = session.pop(_LINK_FOR, None)
    invitation_token = session.pop(_INVITATION, None)
    try:
        oidc.metadata()
        token = oidc.client().authorize_access_token()
        claims = token.get("userinfo")  # the ID token's claims, validated; None without one
        if claims is None or "id_token" not in token:
            raise ValueError("the token response carries no ID token")
        claims = oidc.with_userinfo(token, dict(claims))
    except oidc.PROVIDER_ERRORS as error:
        log.warning("sign-in through the identity provider refused: %r", error)
        g.login_failed = True
        flash(_("L'accesso tramite il fornitore di identità non è riuscito. Riprova; se "
                "continua, scrivi a un amministratore."), "danger")
        return redirect(url_for("auth.login"))
    config = current_app.config

    if link_for is not None:
        if not current_user.is_authenticated or current_user.id != link_for:
            abort(403)
        commit_or_explain(
            lambda: services.link_signed_in(current_user._get_current_object(), oidc.issuer(),
                                            claims, config["OIDC_EMAIL_CLAIM"]),
            _("Account collegato: d'ora in poi puoi accedere anche con il fornitore di "
              "identità."))
        return redirect(url_for("account.edit_profile"))

    def sign_in():
        invitation = (auth_services.invitation_for_token(invitation_token)
                      if invitation_token else None)
        user = services.user_for_claims(
            oidc.issuer(), claims, first_sign_in=config["OIDC_FIRST_SIGN_IN"],
            email_claim=config["OIDC_EMAIL_CLAIM"], invitation=invitation)
        begin(user, request.user_agent.string)
        session[oidc.ID_TOKEN_KEY] = token["id_token"]

    if commit_or_explain(sign_in):
        return redirect(next_url)
    g.login_failed = True
    return redirect(url_for("auth.login"))


@bp.route("/admin/persone/<int:user_id>/identita/<int:identity_id>/scollega",
          methods=["POST"])
@login_required
def unlink(user_id, identity_id):
    """An administrator unlinks a person's identity (linked to the wrong account, or the
    person changed provider): their next sign-in through the provider is a first one again."""
    if not access.can(current_user, access.ADMINISTER):
        abort(403)
    identity = db.session.get(OidcIdentity, identity_id)
    if identity is None or identity.user_id != user_id:
        abort(404)
    commit_or_explain(lambda: services.unlink(identity),
                      _("Identità scollegata dall'account di %(name)s.", name=identity.user.name))
    return redirect(url_for("admin.person", user_id=user_id))
