"""The HTML pages of cop.api: the person's tokens in their account (/profilo/token-api: make
one, see it once, list them with their last use, revoke one), and /api, the page for whoever
writes a program against the API."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import abort, current_app, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from cop.api import forms, queries, services
from cop.api.blueprint import pages as bp
from cop.api.models import SCOPES, ApiToken
from cop.database import utcnow
from cop.extensions import db
from cop.outcomes import commit_or_explain


def _today():
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.now(zone).date()


def _tokens_page(form, secret: str | None = None, status: int = 200):
    tokens = list(db.session.scalars(queries.tokens_of(current_user.id)))
    response = make_response(render_template(
        "api/tokens.html", form=form, revoke=forms.RevokeForm(), tokens=tokens, secret=secret,
        now=utcnow(), scope_labels=forms.SCOPE_LABELS), status)
    response.headers["Cache-Control"] = "no-store"  # the secret must not stay in a cache
    return response


@bp.route("/profilo/token-api", methods=["GET", "POST"])
@login_required
def tokens():
    form = forms.TokenForm(today=_today())
    if not form.is_submitted():
        return _tokens_page(form)
    if form.validate():
        user = current_user._get_current_object()
        done = commit_or_explain(lambda: services.create_token(
            user, form.name.data, form.scopes.data, form.expires_on.data), field=form.scopes)
        if done:
            _token, secret = done.value
            # Shown on this answer only: never stored, never put in the session or a redirect.
            return _tokens_page(forms.TokenForm(formdata=None, today=_today()), secret=secret)
    return _tokens_page(form, status=400)


@bp.route("/profilo/token-api/<int:token_id>/revoca", methods=["POST"])
@login_required
def revoke(token_id):
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:  # somebody else's: not there
        abort(404)
    if forms.RevokeForm().validate_on_submit():
        commit_or_explain(lambda: services.revoke_token(token),
                          _("Token «%(name)s» revocato: non apre più l'API.", name=token.name))
    return redirect(url_for("api_pages.tokens"))


@bp.route("/api")
def guide():
    return render_template("api/guide.html", scopes=SCOPES, scope_labels=forms.SCOPE_LABELS,
                           base=url_for("api.index", _external=True).rstrip("/"))
