"""`flask cop send-notification-summaries`: the daily email, to run once a day (cron, timer)."""
from __future__ import annotations

import signal
import sys

import click
from flask.cli import with_appcontext

from cop.database import utcnow
from cop.extensions import db
from cop.notifications import delivery, services
from cop.ops.services import scheduled


@click.command("send-notification-summaries")
@with_appcontext
@scheduled("send-notification-summaries")
def send_notification_summaries():
    """Email the daily summary to the people who chose it (running it again sends nothing new)."""
    now = utcnow()
    people = sent = 0
    for user_id in services.summary_recipients(now):
        count = services.send_summary(user_id, now)
        db.session.commit()  # one person at a time: a failure later does not resend these
        if count:
            people += 1
            sent += count
    click.echo(f"Riepiloghi inviati: {people} ({sent} notifiche).")


@click.command("send-notification-emails")
@click.option("--watch", "keep_watching", is_flag=True,
              help="Keep running, sending new ones as they come (the production worker).")
@click.option("--poll", default=2.0, show_default=True, help="Seconds between looks at the "
              "queue when it is empty.")
@with_appcontext
@scheduled("send-notification-emails", unless="keep_watching")
def send_notification_emails(keep_watching, poll):
    """Send the notification emails waiting for the worker (NOTIFICATION_EMAIL_WORKER)."""
    if keep_watching:
        click.echo("In attesa di email di notifica da inviare (Ctrl+C per fermare).")
        # A service manager stops it with SIGTERM: leave as after Ctrl+C, writing down what
        # the pass under way has sent.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        delivery.watch(poll)
        return
    total = 0
    while (result := delivery.send_pending()).worked:
        total += result.settled
    click.echo(f"Email di notifica inviate o chiuse: {total}.")
    if result.mail_server_down:
        raise click.ClickException("Server di posta non raggiungibile: le altre email "
                                   "partiranno alla prossima esecuzione.")
