"""`flask cop send-reminders`: to run once a day (cron, timer). Reminds each owner of open
actions coming due within MEETINGS_REMINDER_DAYS (today included; overdue ones too, for
MEETINGS_REMINDER_OVERDUE_DAYS) once per due date, in their notifications and, unless they
turned those emails off, by one email listing them: `Action.reminded_for` takes the due date
only once the mail server has accepted the message, so when it is down nothing is marked and
the next run tries again; a new due date is reminded of again.

The messages go out here, synchronously over one SMTP connection (not queued for after
commit like the pages' emails), so that the command knows which ones left.
"""
from __future__ import annotations

import logging
import smtplib

import click
from flask import current_app
from flask.cli import with_appcontext

from cop import mail
from cop.database import utcnow
from cop.extensions import db
from cop.meetings import notify
from cop.meetings.times import local
from cop.notifications import services as notifications
from cop.ops.services import scheduled

log = logging.getLogger(__name__)


def send_due_reminders(today=None) -> tuple[int, int, str | None]:
    """Sends the reminders due `today` (Europe/Rome). Returns (emails sent, actions reminded
    of, error): the error is the mail server's failure, after which nothing more was sent."""
    today = today or local(utcnow()).date()
    batch = []
    reminded = 0
    for owner, actions in notify.due_reminders(today):
        if notifications.wants_email(owner, notify.ACTION_DUE):
            batch.append((owner, actions, notify.reminder_message(owner, actions, today)))
        else:  # only the bell: nothing waits for a mail server
            notify.remind_in_the_bell(owner, actions)
            reminded += len(actions)
    sent = 0
    error = None
    try:
        if batch:
            with mail.Connection(current_app.config) as connection:
                for owner, actions, message in batch:
                    if not connection.send(message):
                        continue
                    notify.remind_in_the_bell(owner, actions)
                    sent += 1
                    reminded += len(actions)
    except (OSError, smtplib.SMTPException) as failure:
        log.exception("Reminders: the mail server failed after %d email(s)", sent)
        error = str(failure) or failure.__class__.__name__
    db.session.commit()  # only what left is marked
    return sent, reminded, error


@click.command("send-reminders")
@with_appcontext
@scheduled("send-reminders")
def send_reminders():
    """Remind the owners of open meeting actions coming due (running it again sends nothing
    new; after a mail server failure the next run retries)."""
    sent, reminded, error = send_due_reminders()
    click.echo(f"Promemoria inviati: {sent} (azioni ricordate: {reminded}).")
    if error:
        raise click.ClickException(
            f"Server di posta non raggiungibile ({error}): gli altri promemoria partiranno "
            "alla prossima esecuzione.")
