"""Everything cop.main plugs into the app: the home page and the site's own pages."""
from __future__ import annotations

from flask import Flask

from cop.auth.models import User
from cop.facts import Fact, register_fact
from cop.main import views
from cop.main.blueprint import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    register_fact(Fact("visible_spaces", (User,), views.visible_spaces_fact, default=0))
