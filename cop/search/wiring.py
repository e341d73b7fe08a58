"""Everything cop.search plugs into the app: its page, the index following discussions'
signals, and `flask cop reindex-search`. (Other features add their documents through its
registries: queries.register_audience/register_label, services.register_reindexer,
links.register_link.)"""
from __future__ import annotations

from flask import Flask

from cop.cli import cop_cli
from cop.discussions import events
from cop.search import (
    receivers,
    views,  # noqa: F401  (its routes attach to bp on import)
)
from cop.search.blueprint import bp
from cop.search.cli import reindex_search


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    # blinker keeps one connection per receiver: building another app connects nothing twice
    events.thread_created.connect(receivers.on_thread_created)
    for signal in (events.post_created, events.post_edited, events.post_removed,
                   events.post_restored):
        signal.connect(receivers.on_post_changed)
    events.thread_changed.connect(receivers.on_thread_changed)
    cop_cli.add_command(reindex_search)
