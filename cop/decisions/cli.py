"""`flask cop send-decision-reminders`: to run every hour (a timer). Tells the members who have
not taken part that a decision closes within DECISION_REMINDER_HOURS, once per decision,
through the notification path (bell and, per each person's choice, email)."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from cop.decisions import services
from cop.extensions import db
from cop.ops.services import scheduled


@click.command("send-decision-reminders")
@with_appcontext
@scheduled("send-decision-reminders")
def send_decision_reminders():
    """Remind the members who have not taken part of the decisions closing soon (running it
    again sends nothing new)."""
    decisions, told = services.send_closing_reminders()
    db.session.commit()
    click.echo(f"Decisioni in chiusura: {decisions} (persone avvisate: {told}).")
