"""Everything cop.discussions plugs into the app: its pages, its panel on the space home, and
whose attachments posts are. (Its signals, cop.discussions.events, are received by
notifications and search: see their wiring.)"""
from __future__ import annotations

from flask import Flask

from cop import access
from cop.discussions import (
    cards,
    panel,
    queries,
    services,
    views,  # noqa: F401  (its routes attach to bp on import)
)
from cop.discussions.blueprint import bp
from cop.discussions.models import Thread
from cop.facts import Fact, register_fact
from cop.spaces.panels import Panel, register_panel


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    cards.init_app(app)  # the thread page's rendered post cards, kept between requests
    register_panel(Panel("discussions", "discussions/_panel.html", panel.load, order=10))
    access.register_attachment_owner("post", services.post_of_attachment)
    register_fact(Fact("seen_posts", (Thread,), queries.seen_posts_fact))
