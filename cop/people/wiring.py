"""Everything cop.people plugs into the app: the profile pages of people. (The person's own
account pages are cop.account's.)"""
from __future__ import annotations

from flask import Flask

from cop.people import views  # noqa: F401  (its routes attach to bp on import)
from cop.people.blueprint import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
