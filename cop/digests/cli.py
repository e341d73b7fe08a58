"""`flask cop send-digests`: the digest emails, for cron (once an hour, or once a day).

Each person whose digest is due gets it built and sent on its own, synchronously over one SMTP
connection (not queued for after commit like the pages' emails), and their window is moved on
and committed only once the mail server has accepted it. When the server is down nothing more
is sent or moved: the next run retries, with the longer window. An empty digest is not sent,
but its window moves on. Running it twice sends nothing new.
"""
from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass

import click
from flask import current_app
from flask.cli import with_appcontext

from cop import mail
from cop.auth.models import User
from cop.database import utcnow
from cop.digests import services
from cop.extensions import db
from cop.ops.services import scheduled

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    sent: int = 0
    empty: int = 0
    refused: int = 0
    error: str | None = None


SENT, EMPTY, REFUSED = "sent", "empty", "refused"


def deliver(due: services.Due, now, connection: mail.Connection) -> str:
    """One person's digest: built, sent, their window moved on and committed. Raises when the
    mail server fails (nothing of theirs moved)."""
    since, until = services.window(due.frequency, due.covered_until, now)
    user = db.session.get(User, due.user_id)
    with services.in_request():
        digest = services.build(user, since, until, due.frequency)
        if digest.is_empty:
            services.mark_covered(user, until, sent=False)
            db.session.commit()
            return EMPTY
        message = services.message(user, digest)
    if not connection.send(message):
        db.session.rollback()
        return REFUSED
    services.mark_covered(user, until, sent=True)
    db.session.commit()  # one person at a time: what left stays settled
    return SENT


def send_due_digests(now=None) -> Outcome:
    """Sends the digests due at `now` (UTC); see the module's docstring."""
    now = now or utcnow()
    outcome = Outcome()
    people = services.due_people(now)
    db.session.rollback()  # nothing written: ends the read before the per-person transactions
    connection = mail.Connection(current_app.config)
    try:
        for due in people:
            result = deliver(due, now, connection)
            setattr(outcome, result, getattr(outcome, result) + 1)
    except (OSError, smtplib.SMTPException) as failure:
        db.session.rollback()
        log.exception("Digests: the mail server failed after %d email(s)", outcome.sent)
        outcome.error = str(failure) or failure.__class__.__name__
    finally:
        connection.close()
    return outcome


@click.command("send-digests")
@with_appcontext
@scheduled("send-digests")
def send_digests():
    """Email the digests that are due (running it again sends nothing new; after a mail
    server failure the next run retries the same, longer, window)."""
    outcome = send_due_digests()
    click.echo(f"Riepiloghi inviati: {outcome.sent} (vuoti, non inviati: {outcome.empty}; "
               f"rifiutati dal server: {outcome.refused}).")
    if outcome.error:
        raise click.ClickException(
            f"Server di posta non raggiungibile ({outcome.error}): gli altri riepiloghi "
            "partiranno alla prossima esecuzione.")
