"""The email worker: with NOTIFICATION_EMAIL_WORKER on, a reply only writes that its thread's
followers are to be told (models.Fanout), and a separate process (`flask cop
send-notification-emails --watch`) writes their notifications, then builds and sends the
emails wanted now, so a request never waits for the hundreds of people a busy thread tells.

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
same way, up to MAX_DEFERRALS times. Several workers may run at once (on several servers):
each pass first claims its rows (`_claim`), so every email leaves once.
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
from sqlalchemy.orm import joinedload

from cop import access, mail
from cop.auth.models import User
from cop.database import only_reading, utcnow
from cop.discussions.models import Post
from cop.extensions import db
from cop.notifications import (
    kinds,
    queries,
    services,  # looked up at each call: a test swaps one
)
from cop.notifications.models import (
    DEFAULT_FREQUENCY,
    Channel,
    EmailFrequency,
    Notification,
    NotificationPreference,
    NotificationSettings,
)
from cop.ops import services as ops

log = logging.getLogger(__name__)
BATCH = 200
SETTLE_EVERY = 20
MAX_ATTEMPTS = 3  # a message refused for good, or that cannot be built
MAX_DEFERRALS = 8  # a recipient refused for now
RETRY_AFTER = (timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2),
               timedelta(hours=6))  # after the 1st, 2nd, 3rd ... failure; the last repeats
MAX_BACKOFF_SECONDS = 300  # the longest wait for a mail server that does not answer
CLAIM_SECONDS = 600  # how long a pass holds the rows it took (then they are free again)


def _claim(limit: int, now: datetime) -> list[int]:
    """Takes up to `limit` waiting notifications for this worker, in one committed statement:
    their `email_retry_at` moves to now + CLAIM_SECONDS, so another worker running at the same
    time skips them (on PostgreSQL the rows are picked with FOR UPDATE SKIP LOCKED; SQLite
    runs one writer at a time). A worker that dies leaves them to be taken again after that."""
    due = (select(Notification.id).where(
        Notification.email_pending.is_(True),
        or_(Notification.email_retry_at.is_(None), Notification.email_retry_at <= now))
        .order_by(Notification.id).limit(limit))
    if db.session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    claimed = db.session.scalars(
        update(Notification).where(Notification.id.in_(due.scalar_subquery()))
        .values(email_retry_at=now + timedelta(seconds=CLAIM_SECONDS))
        .returning(Notification.id).execution_options(synchronize_session=False)).all()
    db.session.commit()
    return sorted(claimed)


def _waiting(ids: list[int]) -> list[Notification]:
    return queries.attach_subjects(db.session.scalars(
        select(Notification).where(Notification.id.in_(ids))
        .options(joinedload(Notification.actor)).order_by(Notification.id)
    ).unique().all())


def _still_wanted(notification: Notification, user: User | None, frequency: str,
                  channel: str | None, post: Post | None) -> bool:
    spec = kinds.kind(notification.kind)
    if user is None or not user.active or frequency != EmailFrequency.EACH.value \
            or spec is None or notification.subject is None:
        return False
    if not spec.optional:
        return True  # about the person's own writing, hidden or deleted included
    if channel not in (None, Channel.EMAIL.value):
        return False
    if notification.post_id and (post is None or post.deleted_at or post.hidden):
        return False
    entry = kinds.subject(notification.subject_type)
    return entry.can_see(user, notification, notification.subject)


@dataclass
class Pass:
    settled: int  # sent, no longer wanted, left for the summary, or failed and rescheduled
    mail_server_down: bool = False
    told: int = 0  # new posts whose followers this pass told (services.tell_followers_waiting)

    @property
    def worked(self) -> bool:
        return bool(self.settled or self.told)


def send_pending(limit: int = BATCH, now: datetime | None = None) -> Pass:
    """One pass over up to `limit` waiting notifications (those due at `now`).

    Reading and building the messages is one reading transaction, sending is outside any,
    and only settling what left writes: on SQLite requests never wait for the mail server."""
    now = now or utcnow()
    # First the followers of new posts: their notifications, and the emails they want now
    # leave in this very pass.
    told = services.tell_followers_waiting()
    db.session.commit()
    # One request context for the links of every message (mail.link would make one a link).
    claimed = _claim(limit, now)
    if not claimed:
        return Pass(0, told=told)
    with current_app.test_request_context(base_url=current_app.config["SERVER_URL"]), \
            only_reading():
        unwanted, for_summary, outgoing, unbuilt = _prepare(claimed)
        db.session.commit()
    _settle(now, sent=unwanted, for_summary=for_summary, failed=unbuilt)
    done = len(unwanted) + len(for_summary) + len(unbuilt)
    settled, down = _send(outgoing, now)
    return Pass(done + settled, down, told)


def _settle(now: datetime, sent=(), for_summary=(), failed=(), deferred=(), released=()) -> int:
    """Writes what became of some messages, and commits; `released` were not tried: they
    wait for the next pass, of this worker or another."""
    if released:
        db.session.execute(
            update(Notification).where(Notification.id.in_(released))
            .values(email_retry_at=None).execution_options(synchronize_session=False))
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


def _prepare(claimed: list[int]) -> tuple[
        list[int], list[int], list[tuple[int, EmailMessage]], list[tuple[int, str]]]:
    """The claimed notifications: (ids no longer wanted, ids left for the daily summary,
    (id, message) to send, (id, error) of those whose message could not be built)."""
    access.forget_ties()  # the worker lives long: memberships are read again at each pass
    batch = _waiting(claimed)
    if not batch:
        return [], [], [], []
    user_ids = {n.user_id for n in batch}
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(user_ids)))}
    frequencies = dict(db.session.execute(
        select(NotificationSettings.user_id, NotificationSettings.email_frequency)
        .where(NotificationSettings.user_id.in_(user_ids))).all())
    channels = {(user_id, kind): channel for user_id, kind, channel in db.session.execute(
        select(NotificationPreference.user_id, NotificationPreference.kind,
               NotificationPreference.channel)
        .where(NotificationPreference.user_id.in_(user_ids)))}
    posts = {p.id: p for p in db.session.scalars(
        select(Post).where(Post.id.in_({n.post_id for n in batch if n.post_id})))}
    settled, for_summary, outgoing, failed = [], [], [], []
    for notification in batch:
        user = users.get(notification.user_id)
        frequency = frequencies.get(notification.user_id) or DEFAULT_FREQUENCY
        channel = channels.get((notification.user_id, notification.kind))
        if frequency == EmailFrequency.DAILY.value and channel in (None, Channel.EMAIL.value):
            for_summary.append(notification.id)  # they switched: the summary will carry it
        elif _still_wanted(notification, user, frequency, channel,
                           posts.get(notification.post_id)):
            try:
                outgoing.append((notification.id, services.notification_email(
                    user, notification, notification.actor)))
            except Exception as error:  # one message that cannot be built holds back no other
                log.exception("Notification email %d could not be built", notification.id)
                failed.append((notification.id, f"{type(error).__name__}: {error}"))
        else:
            settled.append(notification.id)
    return settled, for_summary, outgoing, failed


def _send(outgoing: list[tuple[int, EmailMessage]], now: datetime) -> tuple[int, bool]:
    """Sends the messages in order over one connection, settling as it goes. Returns (how
    many were settled, whether the mail server failed); what was not tried waits, released
    for the next pass."""
    settled, sent, refused, deferred = 0, [], [], []
    tried = 0
    down = False
    try:
        with mail.Connection(current_app.config) as connection:
            for notification_id, message in outgoing:
                if connection.send(message):
                    sent.append(notification_id)
                else:
                    (deferred if connection.deferred else refused).append(
                        (notification_id, connection.refusal or ""))
                tried += 1
                if len(sent) + len(refused) + len(deferred) >= SETTLE_EVERY:
                    settled += _settle(now, sent=sent, failed=refused, deferred=deferred)
                    sent, refused, deferred = [], [], []
    except (OSError, smtplib.SMTPException) as error:
        down = True
        log.warning("Notification emails: the mail server failed (%s); %d wait", error,
                    len(outgoing) - tried)
    finally:  # whatever stops the pass (a crash, Ctrl+C), what left is written down
        settled += _settle(now, sent=sent, failed=refused, deferred=deferred,
                           released=[notification_id for notification_id, _ in outgoing[tried:]])
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
        # the last pass, for /metrics and /health/ready
        ops.record(ops.EMAIL_WORKER, "mail server down or pass failed"
                   if result.mail_server_down else None)
        failures = failures + 1 if result.mail_server_down else 0
        if passes is not None and done >= passes:
            break
        if failures:
            time.sleep(min(poll_seconds * 2 ** failures, MAX_BACKOFF_SECONDS))
        elif not result.worked:
            time.sleep(poll_seconds)  # nothing waits: poll again later
    return total
