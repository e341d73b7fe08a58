"""Everything cop.health plugs into the app: the liveness and readiness endpoints."""
from __future__ import annotations

from flask import Flask

from cop.health import views  # noqa: F401  (its routes attach to bp on import)
from cop.health.blueprint import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
