"""Everything cop.admin plugs into the app: the site administration pages."""
from __future__ import annotations

from flask import Flask

from cop.admin import views  # noqa: F401  (its routes attach to bp on import)
from cop.admin.blueprint import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
