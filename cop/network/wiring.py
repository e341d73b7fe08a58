"""Everything cop.network plugs into the app: the pages of ATS, Alleanze and
organisations."""
from __future__ import annotations

from flask import Flask

from cop.network import views  # noqa: F401  (its routes attach to bp on import)
from cop.network.blueprint import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
