"""Everything cop.notifications plugs into the app: its pages, the discussions' subject and
kinds, the notices following discussions' signals, and the email commands. Other features
register their subjects and kinds from their own wiring (cop.notifications.kinds)."""
from __future__ import annotations

from flask import Flask

from cop.cli import cop_cli
from cop.discussions import events
from cop.discussions.models import Thread
from cop.facts import Fact, register_fact
from cop.notifications import (
    queries,
    receivers,
    threads,
    views,  # noqa: F401  (its routes attach to bp on import)
)
from cop.notifications.blueprint import bp
from cop.notifications.cli import send_notification_emails, send_notification_summaries
from cop.spaces.models import Space


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    threads.register()  # the thread subject and the discussions' kinds (others: their wiring)
    # blinker keeps one connection per receiver: building another app connects nothing twice
    events.thread_created.connect(receivers.on_thread_created)
    events.post_created.connect(receivers.on_post_created)
    events.post_edited.connect(receivers.on_post_edited)
    events.moderated.connect(receivers.on_moderated)
    cop_cli.add_command(send_notification_summaries)
    cop_cli.add_command(send_notification_emails)
    register_fact(Fact("follow_level", (Thread, Space), queries.follow_level_fact))
    register_fact(Fact("unread_notifications", (object,), queries.unread_fact, default=0,
                       keep=views.keep_unread))
