"""`flask cop send-notification-summaries`: the daily email, to run once a day (cron, timer)."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from cop.database import utcnow
from cop.extensions import db


@click.command("send-notification-summaries")
@with_appcontext
def send_notification_summaries():
    """Email the daily summary to the people who chose it (running it again sends nothing new)."""
    from cop.notifications import services

    now = utcnow()
    people = sent = 0
    for user_id in services.summary_recipients(now):
        count = services.send_summary(user_id, now)
        db.session.commit()  # one person at a time: a failure later does not resend these
        if count:
            people += 1
            sent += count
    click.echo(f"Riepiloghi inviati: {people} ({sent} notifiche).")
