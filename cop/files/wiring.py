"""Everything cop.files plugs into the app: attachment downloads."""
from __future__ import annotations

from flask import Flask

from cop.files import views  # noqa: F401  (its routes attach to bp on import)
from cop.files.blueprint import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
