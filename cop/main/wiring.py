"""Everything cop.main plugs into the app: the home page and the site's own pages."""
from __future__ import annotations

from flask import Flask

from cop.main import views  # noqa: F401  (its routes attach to bp on import)
from cop.main.blueprint import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
