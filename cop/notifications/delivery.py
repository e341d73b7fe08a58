"""The email worker: with NOTIFICATION_EMAIL_WORKER on, a reply only marks its notifications
`email_pending`, and a separate process (`flask cop send-notification-emails --watch`) builds
and sends their emails, so a request never waits for the dozens of emails a busy thread causes.

Each pass takes the oldest waiting notifications, checks again what may have changed since
they were written (the person's choice of emails, their account, the post hidden or deleted,
their access to the thread), sends over one SMTP connection and settles what left, every
SETTLE_EVERY messages and on the way out whatever stops it (so a crash or a restart sends
again at most that many). If the connection fails, what did not leave waits, and the worker
waits longer and longer before it tries the server again.

A message that cannot be built or that the server refuses is set aside alone, its error
recorded: it is tried again later (RETRY_AFTER), and after MAX_ATTEMPTS it is given up and
shown to the administrators (admin.email_failures); the rest of the queue goes on. A
recipient refused only for now (a 4xx answer: greylisting, a full mailbox) is tried again the
same way, up to MAX_DEFERRALS times. Run one worker (two would send the same emails twice).
"""
from __future__ import annotations

import logging
import smtplib
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import or_, select, update
from sqlalchemy.orm import contains_eager, joinedload

from cop import access, mail
from cop.auth.models import User
from cop.database import only_reading, utcnow
from cop.discussions.models import Post, Thread
from cop.extensions import db
from cop.notifications import services  # looked up at each call: a test swaps one
from cop.notifications.models import (
    DEFAULT_FREQUENCY,
    EmailFrequency,
    Kind,
    Notification,
    NotificationSettings,
)

log = logging.getLogger(__name__)
BATCH = 200
SETTLE_EVERY = 20
MAX_ATTEMPTS = 3  # a message refused for good, or that cannot be built
MAX_DEFERRALS = 8  # a recipient refused for now
RETRY_AFTER = (timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2),
               timedelta(hours=6))  # after the 1st, 2nd, 3rd ... failure; the last repeats
MAX_BACKOFF_SECONDS = 300  # the longest wait for a mail server that does not answer


def _waiting(limit: int, now: datetime) -> list[Notification]:
    return db.session.scalars(
        select(Notification).where(
            Notification.email_pending.is_(True),
            or_(Notification.email_retry_at.is_(None), Notification.email_retry_at <= now))
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


@dataclass
class Pass:
    settled: int  # sent, no longer wanted, left for the summary, or failed and rescheduled
    mail_server_down: bool = False


def send_pending(limit: int = BATCH, now: datetime | None = None) -> Pass:
    """One pass over up to `limit` waiting notifications (those due at `now`).

    Reading and building the messages is one reading transaction, sending is outside any,
    and only settling what left writes: on SQLite requests never wait for the mail server."""
    now = now or utcnow()
    # One request context for the links of every message (mail.link would make one a link).
    with current_app.test_request_context(base_url=current_app.config["SERVER_URL"]), \
            only_reading():
        unwanted, for_summary, outgoing, unbuilt = _prepare(limit, now)
        db.session.commit()
    _settle(now, sent=unwanted, for_summary=for_summary, failed=unbuilt)
    done = len(unwanted) + len(for_summary) + len(unbuilt)
    settled, down = _send(outgoing, now)
    return Pass(done + settled, down)


def _settle(now: datetime, sent=(), for_summary=(), failed=(), deferred=()) -> int:
    """Writes what became of some messages, and commits."""
    for ids, values in ((sent, {"emailed_at": now}), (for_summary, {})):
        if ids:
            db.session.execute(
                update(Notification).where(Notification.id.in_(ids))
                .values(email_pending=False, email_error=None, email_retry_at=None, **values)
                .execution_options(synchronize_session=False))
    for notification_id, error in failed:
        _reschedule(notification_id, error, now, MAX_ATTEMPTS)
    for notification_id, error in deferred:
        _reschedule(notification_id, error, now, MAX_DEFERRALS)
    db.session.commit()
    return len(sent) + len(for_summary) + len(failed) + len(deferred)


def _reschedule(notification_id: int, error: str, now: datetime, limit: int) -> None:
    attempts = db.session.scalar(select(Notification.email_attempts)
                                 .where(Notification.id == notification_id)) + 1
    wait = RETRY_AFTER[min(attempts, len(RETRY_AFTER)) - 1]
    db.session.execute(
        update(Notification).where(Notification.id == notification_id)
        .values(email_attempts=attempts, email_error=error[:500],
                email_pending=attempts < limit, email_retry_at=now + wait)
        .execution_options(synchronize_session=False))


def _prepare(limit: int, now: datetime) -> tuple[
        list[int], list[int], list[tuple[int, EmailMessage]], list[tuple[int, str]]]:
    """The waiting notifications: (ids no longer wanted, ids left for the daily summary,
    (id, message) to send, (id, error) of those whose message could not be built)."""
    access.forget_ties()  # the worker lives long: memberships are read again at each pass
    batch = _waiting(limit, now)
    if not batch:
        return [], [], [], []
    user_ids = {n.user_id for n in batch}
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(user_ids)))}
    frequencies = dict(db.session.execute(
        select(NotificationSettings.user_id, NotificationSettings.email_frequency)
        .where(NotificationSettings.user_id.in_(user_ids))).all())
    posts = {p.id: p for p in db.session.scalars(
        select(Post).where(Post.id.in_({n.post_id for n in batch if n.post_id})))}
    settled, for_summary, outgoing, failed = [], [], [], []
    for notification in batch:
        user = users.get(notification.user_id)
        frequency = frequencies.get(notification.user_id) or DEFAULT_FREQUENCY
        if frequency == EmailFrequency.DAILY.value:
            for_summary.append(notification.id)  # they switched: the summary will carry it
        elif _still_wanted(notification, user, frequency, posts.get(notification.post_id)):
            try:
                outgoing.append((notification.id, services.notification_email(
                    user, notification, notification.thread, notification.actor)))
            except Exception as error:  # one message that cannot be built holds back no other
                log.exception("Notification email %d could not be built", notification.id)
                failed.append((notification.id, f"{type(error).__name__}: {error}"))
        else:
            settled.append(notification.id)
    return settled, for_summary, outgoing, failed


def _send(outgoing: list[tuple[int, EmailMessage]], now: datetime) -> tuple[int, bool]:
    """Sends the messages in order over one connection, settling as it goes. Returns (how
    many were settled, whether the mail server failed); what was not tried waits."""
    settled, sent, refused, deferred = 0, [], [], []
    down = False
    try:
        with mail.Connection(current_app.config) as connection:
            for notification_id, message in outgoing:
                if connection.send(message):
                    sent.append(notification_id)
                else:
                    (deferred if connection.deferred else refused).append(
                        (notification_id, connection.refusal or ""))
                if len(sent) + len(refused) + len(deferred) >= SETTLE_EVERY:
                    settled += _settle(now, sent=sent, failed=refused, deferred=deferred)
                    sent, refused, deferred = [], [], []
    except (OSError, smtplib.SMTPException) as error:
        down = True
        log.warning("Notification emails: the mail server failed (%s); %d wait", error,
                    len(outgoing) - settled - len(sent) - len(refused) - len(deferred))
    finally:  # whatever stops the pass (a crash, Ctrl+C), what left is written down
        settled += _settle(now, sent=sent, failed=refused, deferred=deferred)
    return settled, down


def watch(poll_seconds: float, *, passes: int | None = None) -> int:
    """Runs passes until stopped (or `passes` of them): one after another while there is
    work, then one every `poll_seconds`; while the mail server fails, waits twice as long
    each time (up to MAX_BACKOFF_SECONDS). Returns how many notifications were settled."""
    total = done = failures = 0
    while passes is None or done < passes:
        try:
            result = send_pending()
        except Exception:  # a failed pass must not stop the worker: its rows wait
            db.session.rollback()
            log.exception("Notification emails: the pass failed")
            result = Pass(0, mail_server_down=True)
        done += 1
        total += result.settled
        failures = failures + 1 if result.mail_server_down else 0
        if passes is not None and done >= passes:
            break
        if failures:
            time.sleep(min(poll_seconds * 2 ** failures, MAX_BACKOFF_SECONDS))
        elif not result.settled:
            time.sleep(poll_seconds)  # nothing waits: poll again later
    return total
