"""Writes of cop.api: making, revoking and marking the use of personal access tokens (added and
flushed, never committed), and what deleting an account removes here."""
from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update

from cop.api.models import PREFIX, PREFIX_LENGTH, SCOPES, ApiToken
from cop.auth.models import User
from cop.database import utcnow
from cop.errors import ServiceError
from cop.extensions import db
from cop.tokens import hash_token

MAX_LIFETIME_DAYS = 366  # a year from today, whatever day it is
MAX_ACTIVE_TOKENS = 20  # per person
TOUCH_EVERY = timedelta(minutes=1)  # «last used» is written at most this often per token


def last_valid_day(today: date) -> date:
    return today + timedelta(days=MAX_LIFETIME_DAYS - 1)


def expiry_moment(last_day: date) -> datetime:
    """The end of `last_day` in the installation's time zone, in UTC: a token made to last
    until 31 March works on 31 March, wherever the Region's clocks are."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    local = datetime.combine(last_day + timedelta(days=1), time(0, 0), tzinfo=zone)
    return local.astimezone(ZoneInfo("UTC"))


def create_token(user: User, name: str, scopes: list[str], last_day: date) -> tuple[ApiToken, str]:
    """A new token for `user`: the row, and the secret to show once (never stored)."""
    now = utcnow()
    active = db.session.scalar(select(func.count(ApiToken.id)).where(
        ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None), ApiToken.expires_at > now))
    if active >= MAX_ACTIVE_TOKENS:
        raise ServiceError(_("Hai già %(n)d token attivi: revocane uno prima di crearne un altro.",
                             n=MAX_ACTIVE_TOKENS))
    wanted = [s for s in SCOPES if s in scopes]
    if not wanted:
        raise ServiceError(_("Scegli almeno un ambito."))
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, prefix=secret[:PREFIX_LENGTH],
                     token_hash=hash_token(secret), scopes=" ".join(wanted), created_at=now,
                     expires_at=expiry_moment(last_day))
    db.session.add(token)
    db.session.flush()
    return token, secret


def revoke_token(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()


def touch(token: ApiToken, now: datetime) -> bool:
    """Marks the token used now, unless it was within TOUCH_EVERY (one UPDATE, or nothing)."""
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_EVERY:
        return False
    db.session.execute(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now))
    return True


def before_deletion(user: User) -> None:
    """An account deleted: its tokens go with it."""
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
