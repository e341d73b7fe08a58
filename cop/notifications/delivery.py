"""The email worker: with NOTIFICATION_EMAIL_WORKER on, a reply only marks its notifications
`email_pending`, and a separate process (`flask cop send-notification-emails --watch`) builds
and sends their emails, so a request never waits for the dozens of emails a busy thread causes.

Each pass takes the oldest waiting notifications, checks again what may have changed since
they were written (the person's choice of emails, their account, the post hidden or deleted,
their access to the thread), sends over one SMTP connection and settles what left. If the
connection fails, what did not leave waits for the next pass; a message the server refuses is
not retried. Run one worker (two would send the same emails twice).
"""
from __future__ import annotations

import logging
import smtplib
import time
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import contains_eager, joinedload

from cop import access, mail
from cop.auth.models import User
from cop.database import only_reading, utcnow
from cop.discussions.models import Post, Thread
from cop.extensions import db
from cop.notifications.models import (
    DEFAULT_FREQUENCY, EmailFrequency, Kind, Notification, NotificationSettings,
)

log = logging.getLogger(__name__)
BATCH = 200


def _waiting(limit: int) -> list[Notification]:
    return db.session.scalars(
        select(Notification).where(Notification.email_pending.is_(True))
        .join(Thread, Thread.id == Notification.thread_id)
        .options(contains_eager(Notification.thread).joinedload(Thread.space),
                 joinedload(Notification.actor))
        .order_by(Notification.id).limit(limit)
    ).unique().all()


def _still_wanted(notification: Notification, user: User | None, frequency: str,
                  post: Post | None) -> bool:
    if user is None or not user.active or frequency != EmailFrequency.EACH.value:
        return False
    if notification.kind == Kind.MODERATION.value:
        return True  # about the person's own writing, hidden or deleted included
    if notification.post_id and (post is None or post.deleted_at or post.hidden):
        return False
    return access.can(user, access.VIEW, notification.thread)


def send_pending(limit: int = BATCH) -> int:
    """One pass: emails up to `limit` waiting notifications, then commits. Returns how many
    were settled (sent, or no longer wanted); 0 when nothing waits.

    Reading and building the messages is one reading transaction, sending is outside any,
    and only settling what left writes: on SQLite requests never wait for the mail server."""
    # One request context for the links of every message (mail.link would make one a link).
    with current_app.test_request_context(base_url=current_app.config["SERVER_URL"]), \
            only_reading():
        settled, for_summary, outgoing = _prepare(limit)
        db.session.commit()
    settled += _send(outgoing)
    for ids, values in ((settled, {"emailed_at": utcnow()}), (for_summary, {})):
        if ids:
            db.session.execute(
                update(Notification).where(Notification.id.in_(ids))
                .values(email_pending=False, **values)
                .execution_options(synchronize_session=False))
    db.session.commit()
    return len(settled) + len(for_summary)


def _prepare(limit: int) -> tuple[list[int], list[int], list[tuple[int, EmailMessage]]]:
    """The waiting notifications: (ids no longer wanted, ids left for the daily summary,
    (id, message) to send)."""
    from cop.notifications.services import notification_email

    access.forget_ties()  # the worker lives long: memberships are read again at each pass
    batch = _waiting(limit)
    if not batch:
        return [], [], []
    user_ids = {n.user_id for n in batch}
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(user_ids)))}
    frequencies = dict(db.session.execute(
        select(NotificationSettings.user_id, NotificationSettings.email_frequency)
        .where(NotificationSettings.user_id.in_(user_ids))).all())
    posts = {p.id: p for p in db.session.scalars(
        select(Post).where(Post.id.in_({n.post_id for n in batch if n.post_id})))}
    settled, for_summary, outgoing = [], [], []
    for notification in batch:
        user = users.get(notification.user_id)
        frequency = frequencies.get(notification.user_id) or DEFAULT_FREQUENCY
        if frequency == EmailFrequency.DAILY.value:
            for_summary.append(notification.id)  # they switched: the summary will carry it
        elif _still_wanted(notification, user, frequency, posts.get(notification.post_id)):
            outgoing.append((notification.id, notification_email(
                user, notification, notification.thread, notification.actor)))
        else:
            settled.append(notification.id)
    return settled, for_summary, outgoing


def _send(outgoing: list[tuple[int, EmailMessage]]) -> list[int]:
    """Sends the messages in order over one connection; returns the notification ids settled:
    all, or, if the connection fails, those before the message that could not leave."""
    done = []
    with mail.Connection(current_app.config) as connection:
        for notification_id, message in outgoing:
            try:
                connection.send(message)  # False when refused: not retried either
            except (OSError, smtplib.SMTPException):
                log.exception("Notification emails: the mail server failed; %d wait",
                              len(outgoing) - len(done))
                break
            done.append(notification_id)
    return done


def watch(poll_seconds: float, *, passes: int | None = None) -> int:
    """Runs passes until stopped (or `passes` of them): one after another while there is
    work, then one every `poll_seconds`. Returns how many notifications were settled."""
    total = done = 0
    while passes is None or done < passes:
        try:
            settled = send_pending()
        except Exception:  # a failed pass must not stop the worker: its rows wait
            db.session.rollback()
            log.exception("Notification emails: the pass failed")
            settled = 0
        done += 1
        total += settled
        if not settled and (passes is None or done < passes):
            time.sleep(poll_seconds)  # nothing waits: poll again later
    return total
