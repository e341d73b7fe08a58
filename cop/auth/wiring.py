"""Everything cop.auth plugs into the app: sign-in, sign-out, invitations and password
pages."""
from __future__ import annotations

from flask import Flask

from cop.auth import views  # noqa: F401  (its routes attach to bp on import)
from cop.auth.blueprint import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
