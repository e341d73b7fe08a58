"""Everything cop.decisions plugs into the app: its pages (and the box of a thread's or a
meeting's decisions, a template global), the open decisions' panel on the space home, its
access rules, its notification subject and kinds, its part of a person's data, `flask cop
send-decision-reminders`, and a receiver that moves a thread's decisions with it. Decisions
are not in search: they are found through their thread or meeting."""
from __future__ import annotations

from flask import Flask

from cop import access
from cop.access import decisions as decision_access
from cop.account.services import register_collector, register_deletion
from cop.cli import cop_cli
from cop.decisions import (  # noqa: F401  (routes attach on import)
    account,
    notices,
    panel,
    queries,
    services,
    views,
)
from cop.decisions.blueprint import bp
from cop.decisions.cli import send_decision_reminders
from cop.decisions.models import GroupDecision
from cop.discussions import events
from cop.discussions.models import Thread
from cop.facts import Fact, register_fact
from cop.meetings.models import Meeting
from cop.spaces.panels import Panel, register_panel


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    access.register_rules(GroupDecision, decision_access.can_decision)
    register_panel(Panel("decisions", "decisions/_panel.html", panel.load, order=12))
    register_fact(Fact("any_decision", (Thread, Meeting), queries.decision_fact))
    notices.register()  # the decision as a notification subject, and its three kinds
    register_collector("decisions", account.export)
    register_deletion("decisions", account.before_deletion)
    cop_cli.add_command(send_decision_reminders)
    # blinker keeps one connection per receiver: building another app connects nothing twice
    events.thread_changed.connect(services.on_thread_changed)
