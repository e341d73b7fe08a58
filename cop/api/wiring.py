"""Everything cop.api plugs into the app: the JSON API under /api/v1/ (bearer tokens, exempt
from CSRF, its own errors and rate limit), the token pages of the person's account and the
/api page, and its part of a person's data export and account deletion."""
from __future__ import annotations

from flask import Flask

from cop.account.services import register_collector, register_deletion
from cop.api import account, services, token_views, views  # noqa: F401  (routes attach on import)
from cop.api.blueprint import bp, pages
from cop.extensions import csrf


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    csrf.exempt(bp)  # bearer tokens, never a session: nothing for a forged form to ride on
    app.register_blueprint(pages)
    register_collector("api", account.export)
    register_deletion("api", services.before_deletion)
