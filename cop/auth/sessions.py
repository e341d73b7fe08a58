"""Sign-in sessions kept in the database, so that signing out really ends them."""
from __future__ import annotations

import functools

from flask import Flask, current_app, session
from flask_babel import lazy_gettext as _l
from flask_login import login_user
from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import joinedload

from cop.auth.models import LoginSession, User
from cop.database import utcnow
from cop.extensions import db, login_manager
from cop.tokens import hash_token, new_token


def _oldest_valid():
    return utcnow() - current_app.config["REMEMBER_COOKIE_DURATION"]


def start_session(user: User, user_agent: str = "") -> str:
    """A new sign-in session; the person's expired ones are cleared on the way."""
    db.session.execute(delete(LoginSession).where(
        LoginSession.user_id == user.id, LoginSession.created_at < _oldest_valid()))
    raw, digest = new_token()
    db.session.add(LoginSession(token_hash=digest, user_id=user.id, user_agent=user_agent[:300]))
    user.login_token = raw
    return raw


def begin(user: User, user_agent: str, remember: bool = False) -> None:
    """Every way of signing in ends here (password, identity provider): a fresh Flask session
    (no fixation) keeping only the language, bound to a new sign-in session row."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    user.last_login_at = utcnow()
    start_session(user, user_agent)
    login_user(user, remember=remember)


def sign_out_redirect() -> str | None:
    """Where the browser goes once signed out here, when somewhere else must end a session too:
    the identity provider's end of session when the person came through it (cop.oidc sets
    `app.extensions["cop.sign_out_redirect"]`). Read before the Flask session is cleared."""
    hook = current_app.extensions.get("cop.sign_out_redirect")
    return hook() if hook else None


def end_session(raw_token: str | None) -> None:
    if raw_token:
        db.session.execute(
            delete(LoginSession).where(LoginSession.token_hash == hash_token(raw_token)))


def end_all_sessions(user: User) -> None:
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))


@functools.cache
def _login_statement():
    """Every request's first statement, built once: the session's person with the name of
    their organisation; the organisation's type and ATS only where a page asks."""
    return (select(LoginSession).where(LoginSession.token_hash == bindparam("token_hash"))
            .options(joinedload(LoginSession.user).joinedload(User.organisation).lazyload("*")))


def load_user(raw_token: str) -> User | None:
    login = db.session.scalar(_login_statement(), {"token_hash": hash_token(raw_token)})
    if login is None or not login.user.active or login.created_at < _oldest_valid():
        return None
    login.user.login_token = raw_token
    return login.user


def init_login(app: Flask) -> None:
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Accedi per vedere questa pagina.")
    login_manager.login_message_category = "info"
