"""Everything cop.spaces plugs into the app: the spaces' pages (the space home shows the
panels that other features register in cop.spaces.panels)."""
from __future__ import annotations

from flask import Flask

from cop.spaces import views  # noqa: F401  (its routes attach to bp on import)
from cop.spaces.blueprint import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
