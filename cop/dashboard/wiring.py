"""Everything cop.dashboard plugs into the app: the dashboards' pages."""
from __future__ import annotations

from flask import Flask

from cop.dashboard import views  # noqa: F401  (its routes attach to bp on import)
from cop.dashboard.blueprint import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
