"""Everything cop.meetings plugs into the app: its pages (the series pages among them),
calendars and .ics feeds, its access rules and attachments, its panel, its notification kinds,
its part of a person's data, and `flask cop send-reminders`."""
from __future__ import annotations

from flask import Flask

from cop import access
from cop.access import meetings as meeting_access
from cop.account.services import register_collector, register_deletion
from cop.cli import cop_cli
from cop.meetings import (  # noqa: F401  (routes attach on import)
    account,
    calendar_views,
    feeds,
    notices,
    panel,
    series_views,  # noqa: F401  (the series pages attach on import)
    services,
    views,
)
from cop.meetings.blueprint import bp, feeds_bp
from cop.meetings.cli import send_reminders
from cop.meetings.models import Action, Meeting
from cop.spaces.panels import Panel, register_panel


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(feeds_bp)
    access.register_rules(Meeting, meeting_access.can_meeting)
    access.register_rules(Action, meeting_access.can_action)
    access.register_attachment_owner(services.OWNER_TYPE, services.meeting_of_attachment)
    access.register_attachment_owner(services.ITEM_OWNER_TYPE,
                                     services.meeting_of_item_attachment)
    register_panel(Panel("meetings", "meetings/_panel.html", panel.load, order=15))
    notices.register()  # the meeting and the action as notification subjects, and their kinds
    register_collector("meetings", account.export)
    register_deletion("meetings", account.before_deletion)
    cop_cli.add_command(send_reminders)
