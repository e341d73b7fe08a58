"""Everything cop.practices (the library) plugs into the app: its pages, workflow and public
showcase, its access rules and attachments, its panel, its part of search and of a person's
data export, and its subject and kinds of notification."""
from __future__ import annotations

from flask import Flask

from cop import access
from cop.access import practices as practice_access
from cop.account.services import register_collector
from cop.practices import (  # noqa: F401  (views, showcase, workflow: routes attach on import)
    account,
    cards,
    notices,
    panel,
    services,
    showcase,
    views,
    workflow,
)
from cop.practices.blueprint import bp, showcase_bp
from cop.practices.models import Practice
from cop.search import queries as search_queries
from cop.search import services as search_services
from cop.search.links import register_link
from cop.spaces.panels import Panel, register_panel


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(showcase_bp)
    access.register_rules(Practice, practice_access.can_practice)
    access.register_attachment_owner(services.OWNER_TYPE, services.practice_of_attachment)
    register_panel(Panel("practices", "practices/_panel.html", panel.load, order=20))
    search_queries.register_audience(services.DOC_TYPE, services.readers_of_practice_entries)
    search_queries.register_label(services.DOC_TYPE, services.archived_labels)
    search_services.register_reindexer("practices", services.reindex_practices)
    register_link(services.DOC_TYPE, views.search_link)
    register_collector("practices", account.export)
    notices.register()  # the record as a notification subject, and the workflow's kinds
    cards.init_app(app)  # the lists' rendered record cards, kept between requests
