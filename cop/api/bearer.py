"""How a request to /api/v1/ says who it is: `Authorization: Bearer <token>`, and nothing else
(a browser's session cookie is ignored, so no page can be made to call the API for its
reader). A token opens the API while it is neither revoked nor expired and its owner is
active; each token has its own rate limit (API_RATE_LIMIT, Flask-Limiter's storage, shared by
every app server when it is Redis), and each address a limit on refused tokens
(API_REFUSED_RATE_LIMIT)."""
from __future__ import annotations

import functools
import math
import time

from flask import current_app, g, request
from limits import parse

from cop.api import queries, services
from cop.api.errors import ApiError
from cop.database import utcnow
from cop.extensions import db, limiter
from cop.tokens import hash_token

MAX_TOKEN_LENGTH = 100


def _unauthorised(code: str, message: str) -> ApiError:
    """A token refused; past API_REFUSED_RATE_LIMIT refusals from one address, 429 instead
    (guessing is hopeless with 256 random bits, but each guess costs a lookup)."""
    _rate_limit("API_REFUSED_RATE_LIMIT", "api-refused", request.remote_addr or "")
    return ApiError(401, code, message,
                    {"WWW-Authenticate": f'Bearer realm="cop", error="{code}"'})


def authenticate() -> None:
    """Before every API view but the public ones: g.api_token and g.api_user, or a 401/429."""
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    value = value.strip()
    if scheme.lower() != "bearer" or not value:
        _rate_limit("API_REFUSED_RATE_LIMIT", "api-refused", request.remote_addr or "")
        raise ApiError(401, "missing_token", "Send a personal access token: "
                       "'Authorization: Bearer <token>'.",
                       {"WWW-Authenticate": 'Bearer realm="cop"'})
    if len(value) > MAX_TOKEN_LENGTH:
        raise _unauthorised("invalid_token", "The token is not valid.")
    token = db.session.scalar(queries.token_for(hash_token(value)))
    now = utcnow()
    if token is None or not token.user.active:
        raise _unauthorised("invalid_token", "The token is not valid.")
    if token.revoked_at is not None:
        raise _unauthorised("token_revoked", "The token was revoked.")
    if token.expires_at <= now:
        raise _unauthorised("token_expired", "The token has expired.")
    _rate_limit("API_RATE_LIMIT", "api", str(token.id))
    g.api_token, g.api_user = token, token.user
    if services.touch(token, now):
        db.session.commit()


def _rate_limit(setting: str, *key: str) -> None:
    """One more request counted under `key` against the limit named by `setting`; past it, 429
    with Retry-After."""
    if not limiter.enabled:
        return
    limit = parse(current_app.config[setting])
    strategy = limiter.limiter
    if strategy.hit(limit, *key):
        return
    reset, _ = strategy.get_window_stats(limit, *key)
    wait = max(1, math.ceil(reset - time.time()))
    raise ApiError(429, "rate_limited", f"Too many requests: at most {limit}. Try again later.",
                   {"Retry-After": str(wait)})


def needs(scope: str):
    """The view answers only a token that has `scope` (403 otherwise)."""
    def wrap(view):
        @functools.wraps(view)
        def checked(*args, **kwargs):
            if scope not in g.api_token.scope_list:
                raise ApiError(403, "insufficient_scope",
                               f"This token lacks the scope '{scope}'.")
            return view(*args, **kwargs)
        checked.api_scope = scope
        return checked
    return wrap
