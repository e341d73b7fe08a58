"""Sign-in sessions kept in the database, so that signing out really ends them."""
from __future__ import annotations

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

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


def end_session(raw_token: str | None) -> None:
    if raw_token:
        db.session.execute(
            delete(LoginSession).where(LoginSession.token_hash == hash_token(raw_token)))


def end_all_sessions(user: User) -> None:
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))


def load_user(raw_token: str) -> User | None:
    login = db.session.scalar(
        select(LoginSession).where(LoginSession.token_hash == hash_token(raw_token))
    )
    if login is None or not login.user.active or login.created_at < _oldest_valid():
        return None
    login.user.login_token = raw_token
    return login.user


def init_login(app: Flask) -> None:
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Accedi per vedere questa pagina.")
    login_manager.login_message_category = "info"
