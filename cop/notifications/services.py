"""Who is told what, and how: notifications, follows and mutes, emails. Never commits.

Rules (Discourse's, simplified):
- a thread's author and everyone who replies follow it automatically (unless they set a level
  on it already); a level set on a thread wins over the level set on its space;
- a new thread tells the space's followers; a reply tells the thread's followers (and, when the
  thread has no level of theirs, the space's followers), the author of the post answered and the
  people mentioned;
- a muted thread (or a muted space without a level on the thread) tells nothing, mentions and
  replies to you included; only moderation notices about your own writing always arrive;
- never the person who acted; one notification per person and event, of the strongest kind;
- recipients are the people who may see the thread, decided in SQL by `access`.

Emails: per person's choice, one per notification ("each": sent at commit, or, with
NOTIFICATION_EMAIL_WORKER, by the worker of cop.notifications.delivery), a daily summary
(`send_summary`, run by `flask cop send-notification-summaries`) or none. Every email carries a
one-click unsubscribe link (RFC 8058 headers) that turns notification emails off.
"""
from __future__ import annotations

import html
import re
from datetime import datetime, timedelta
from email.message import EmailMessage

import nh3
from flask import current_app, url_for
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased

from cop import access, mail
from cop.auth.models import User
from cop.database import upsert, utcnow
from cop.discussions.models import Post, Thread
from cop.extensions import db
from cop.notifications import queries
from cop.notifications.models import (
    DEFAULT_FREQUENCY,
    STRENGTH,
    EmailFrequency,
    Kind,
    Level,
    Notification,
    NotificationSettings,
    Subscription,
)

EXCERPT_LENGTH = 280
# The summary covers the last day, with a margin so that a late daily run misses nothing
# (what was already emailed is never sent again).
SUMMARY_WINDOW = timedelta(hours=36)
# What a coordinator does that the author is told about (pinning is not news to them).
TOLD_ACTIONS = {"hide", "unhide", "lock", "unlock", "move", "delete"}


# --- levels -------------------------------------------------------------------------------

def _target(thread, space) -> dict:
    if (thread is None) == (space is None):
        raise ValueError("a subscription is about one thread or one space")
    return {"thread_id": thread.id} if thread is not None else {"space_id": space.id}


def subscription_level(user, thread=None, space=None) -> str | None:
    """The person's own level on the thread or the space ("follow", "mute" or None)."""
    if not getattr(user, "is_authenticated", False):
        return None
    target = _target(thread, space)
    return db.session.scalar(select(Subscription.level).filter_by(user_id=user.id, **target))


def set_level(user, level: str | None, thread=None, space=None) -> None:
    """Follow, mute, or back to the default (None). The caller checks the person may see it."""
    target = _target(thread, space)
    if level is None:
        db.session.execute(delete(Subscription).filter_by(user_id=user.id, **target))
        return
    if level not in {lv.value for lv in Level}:
        raise ValueError(f"unknown level {level!r}")
    upsert(Subscription, {"user_id": user.id, **target}, {"level": level, "created_at": utcnow()})


def _follow_automatically(user_id: int, thread_id: int) -> None:
    """The person follows the thread, unless they already chose a level for it."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(insert(Subscription).values(
        user_id=user_id, thread_id=thread_id, level=Level.FOLLOW.value, created_at=utcnow(),
    ).on_conflict_do_nothing(index_elements=["user_id", "thread_id"]))


# --- email preference -------------------------------------------------------------------

def email_frequency(user) -> str:
    chosen = db.session.scalar(select(NotificationSettings.email_frequency)
                               .where(NotificationSettings.user_id == user.id))
    return chosen or DEFAULT_FREQUENCY


def set_email_frequency(user, frequency: str) -> None:
    if frequency not in {f.value for f in EmailFrequency}:
        raise ValueError(f"unknown email frequency {frequency!r}")
    upsert(NotificationSettings, {"user_id": user.id},
           {"email_frequency": frequency, "updated_at": utcnow()})


# --- unsubscribe links --------------------------------------------------------------------

def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="cop-unsubscribe")


def unsubscribe_token(user, thread_id: int | None = None) -> str:
    """A signed link token: it only lets its holder turn the person's emails off (or mute the
    thread it came with), so it needs no expiry."""
    return _serializer().dumps({"u": user.id, "t": thread_id})


def read_unsubscribe_token(token: str) -> tuple[User, int | None] | None:
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    user = db.session.get(User, data["u"])
    thread_id = data.get("t") if isinstance(data.get("t"), int) else None
    return (user, thread_id) if user is not None else None


def unsubscribe(user, thread_id: int | None = None) -> None:
    """With a thread: mute it. Without: no more notification emails (the bell stays)."""
    thread = db.session.get(Thread, thread_id) if thread_id else None
    if thread is not None:
        set_level(user, Level.MUTE.value, thread=thread)
    else:
        set_email_frequency(user, EmailFrequency.NEVER.value)


# --- reading ------------------------------------------------------------------------------

def retry_failed_emails() -> int:
    """Gives the emails the worker gave up on a fresh set of attempts (after the mail server
    or the data was mended). Returns how many."""
    result = db.session.execute(
        update(Notification).where(Notification.email_error.is_not(None),
                                   Notification.email_pending.is_(False),
                                   Notification.emailed_at.is_(None))
        .values(email_pending=True, email_attempts=0, email_retry_at=None)
        .execution_options(synchronize_session=False))
    return result.rowcount


def mark_read(user, notification_id: int | None = None) -> None:
    """One of the person's notifications (or all of them) read."""
    statement = update(Notification).where(Notification.user_id == user.id,
                                           Notification.read_at.is_(None))
    if notification_id is not None:
        statement = statement.where(Notification.id == notification_id)
    db.session.execute(statement.values(read_at=utcnow()).execution_options(
        synchronize_session=False))


def mark_thread_read(user_id: int, thread_id: int) -> None:
    """The person has opened the thread: its notifications are read (for the thread page)."""
    db.session.execute(update(Notification).where(
        Notification.user_id == user_id, Notification.thread_id == thread_id,
        Notification.read_at.is_(None)).values(read_at=utcnow()).execution_options(
        synchronize_session=False))


# --- telling people -----------------------------------------------------------------------

_BLOCK_END = re.compile(r"<(?:br|/p|/li|/h\d|/tr|/td|/th|/pre|/dd|/dt)\b[^>]*>", re.IGNORECASE)


def excerpt(body_html: str, limit: int = EXCERPT_LENGTH) -> str:
    """Plain text of a post's sanitised HTML, without quotes, shortened on a word boundary."""
    spaced = _BLOCK_END.sub(lambda m: m.group(0) + " ", body_html or "")
    plain = html.unescape(nh3.clean(spaced, tags=set(), attributes={},
                                     clean_content_tags={"blockquote"}))
    plain = " ".join(plain.split())
    if len(plain) <= limit:
        return plain
    return plain[:limit].rsplit(" ", 1)[0] + "…"


def notify_new_thread(thread: Thread, post: Post, mentioned) -> None:
    _follow_automatically(thread.author_id, thread.id)
    _tell(thread, post, actor_id=thread.author_id, followers=Kind.NEW_THREAD.value,
          direct={u.id: Kind.MENTION.value for u in mentioned}, text=excerpt(post.body_html))


def notify_reply(post: Post, thread: Thread, mentioned) -> None:
    if post.author_id:
        _follow_automatically(post.author_id, thread.id)
    direct = {}
    if post.reply_to_id:
        answered = db.session.get(Post, post.reply_to_id)
        if answered is not None and answered.author_id:
            direct[answered.author_id] = Kind.REPLY.value
    direct.update({u.id: Kind.MENTION.value for u in mentioned})
    _tell(thread, post, actor_id=post.author_id, followers=Kind.POST.value, direct=direct,
          text=excerpt(post.body_html))


def notify_new_mentions(post: Post, thread: Thread, mentioned) -> None:
    """After an edit: the newly mentioned people who were not told about this post yet."""
    ids = {u.id for u in mentioned}
    if not ids:
        return
    told = set(db.session.scalars(select(Notification.user_id).where(
        Notification.post_id == post.id, Notification.user_id.in_(ids))))
    direct = {uid: Kind.MENTION.value for uid in ids - told}
    _tell(thread, post, actor_id=post.author_id, followers=None, direct=direct,
          text=excerpt(post.body_html))


def notify_moderation(thread: Thread, post: Post | None, action: str, reason: str, actor) -> None:
    if action not in TOLD_ACTIONS:
        return
    author_id = post.author_id if post is not None else thread.author_id
    if not author_id:
        return
    _tell(thread, post, actor_id=actor.id if actor else None,
          followers=None, direct={author_id: Kind.MODERATION.value}, text=reason,
          action=action, respect_mutes=False)


def _tell(thread: Thread, post: Post | None, *, actor_id: int | None, followers: str | None,
          direct: dict[int, str], text: str, action: str = "", respect_mutes: bool = True) -> None:
    """Notifies `direct` (user id -> kind) and, with a `followers` kind, whoever follows the
    thread or its space; only people who may see the thread, never the actor."""
    on_thread = aliased(Subscription)
    on_space = aliased(Subscription)
    level = func.coalesce(on_thread.level, on_space.level)
    wanted = [User.id.in_(list(direct))] if direct else []
    if followers:
        # Candidates from the follows (indexed) rather than a scan of everybody's levels.
        following = select(Subscription.user_id).where(
            Subscription.level == Level.FOLLOW.value,
            or_(Subscription.thread_id == thread.id, Subscription.space_id == thread.space_id))
        wanted.append(and_(User.id.in_(following), level == Level.FOLLOW.value))
    if not wanted:
        return
    statement = (
        select(User.id, level, NotificationSettings.email_frequency)
        .outerjoin(on_thread, and_(on_thread.user_id == User.id, on_thread.thread_id == thread.id))
        .outerjoin(on_space, and_(on_space.user_id == User.id,
                                  on_space.space_id == thread.space_id))
        .outerjoin(NotificationSettings, NotificationSettings.user_id == User.id)
        .where(access.users_who_see_thread_clause(thread), or_(*wanted))
    )
    if respect_mutes:
        statement = statement.where(or_(level.is_(None), level != Level.MUTE.value))
    if actor_id:
        statement = statement.where(User.id != actor_id)
    now = utcnow()
    by_worker = current_app.config["NOTIFICATION_EMAIL_WORKER"]
    rows, emailed = [], []
    for user_id, user_level, frequency in db.session.execute(statement).all():
        kinds = [k for k in (direct.get(user_id),
                             followers if user_level == Level.FOLLOW.value else None) if k]
        emails_now = (frequency or DEFAULT_FREQUENCY) == EmailFrequency.EACH.value
        rows.append(dict(
            user_id=user_id, kind=min(kinds, key=STRENGTH.__getitem__), action=action,
            actor_id=actor_id, space_id=thread.space_id, thread_id=thread.id,
            post_id=post.id if post is not None else None, text=text, created_at=now,
            read_at=None, emailed_at=now if emails_now and not by_worker else None,
            email_pending=emails_now and by_worker))
        if emails_now and not by_worker:
            emailed.append(rows[-1])
    if rows:  # one statement, however many are told (a busy thread has a hundred followers)
        db.session.execute(insert(Notification), rows)
    if not emailed:
        return
    actor = db.session.get(User, actor_id) if actor_id else None
    people = {u.id: u for u in db.session.scalars(
        select(User).where(User.id.in_([row["user_id"] for row in emailed])))}
    for row in emailed:
        queue_email(people[row["user_id"]], Notification(**row), thread, actor)


def queue_email(user: User, notification: Notification, thread: Thread, actor: User | None):
    """The email of one notification, sent when the transaction commits."""
    mail.queue(db.session, notification_email(user, notification, thread, actor))


def notification_email(user: User, notification: Notification, thread: Thread,
                       actor: User | None) -> EmailMessage:
    # Muting the thread stops everything but moderation notices: offer it where it works.
    muteable = notification.kind != Kind.MODERATION.value
    message = _message(user, "notification", thread_id=thread.id if muteable else None,
                       n=notification, thread=thread, space=thread.space, actor=actor,
                       link=link_for(notification, thread))
    if notification.id is not None:  # the worker's: sent again after a failure, the same mail
        message.replace_header("Message-ID", f"<notifica-{notification.id}@cop.local>")
    return message


# --- emails ------------------------------------------------------------------------------

def link_for(notification: Notification, thread: Thread) -> str:
    """Where the notification leads: its post, or its thread (an absolute URL for emails)."""
    if notification.post_id:
        return mail.link("discussions.goto_post", post_id=notification.post_id)
    return mail.link("discussions.thread", slug=thread.space.slug, thread_id=thread.id)


def _queue(user: User, template: str, *, thread_id: int | None = None, **context) -> None:
    mail.queue(db.session, _message(user, template, thread_id=thread_id, **context))


def _message(user: User, template: str, *, thread_id: int | None = None,
             **context) -> EmailMessage:
    """The link's page offers to mute the thread or to stop emails; a one-click POST to it
    from a mail client (RFC 8058) stops emails."""
    unsubscribe_link = mail.link("notifications.unsubscribe",
                                 token=unsubscribe_token(user, thread_id))
    message = mail.build_message(
        user.email, template, locale=user.locale, user=user, unsubscribe_link=unsubscribe_link,
        can_mute_thread=thread_id is not None,
        preferences_link=mail.link("notifications.preferences"), **context)
    # A URL is one long word: without room on the line the default policy would wrap it in an
    # RFC 2047 encoded-word, which mail clients do not read in List-Unsubscribe.
    message.policy = message.policy.clone(max_line_length=998)
    message["List-Unsubscribe"] = f"<{unsubscribe_link}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["Auto-Submitted"] = "auto-generated"
    return message


def summary_recipients(now: datetime) -> list[int]:
    """People who chose the daily summary and have notifications not emailed yet."""
    return list(db.session.scalars(
        select(Notification.user_id).distinct()
        .join(NotificationSettings, NotificationSettings.user_id == Notification.user_id)
        .join(User, User.id == Notification.user_id)
        .where(NotificationSettings.email_frequency == EmailFrequency.DAILY.value,
               User.active.is_(True), Notification.emailed_at.is_(None),
               Notification.read_at.is_(None), Notification.created_at > now - SUMMARY_WINDOW,
               Notification.created_at <= now)
        .order_by(Notification.user_id)
    ))


def send_summary(user_id: int, now: datetime) -> int:
    """Emails the person their unread notifications of the last day that they may still see,
    in one message; every pending one is then settled. Returns how many were sent."""
    user = db.session.get(User, user_id)
    if user is None:
        return 0
    items = db.session.execute(
        queries.listed(user)
        .where(Notification.emailed_at.is_(None), Notification.read_at.is_(None),
               Notification.created_at > now - SUMMARY_WINDOW, Notification.created_at <= now)
        .order_by(None).order_by(Notification.created_at, Notification.id)
    ).scalars().all()
    db.session.execute(update(Notification).where(
        Notification.user_id == user.id, Notification.emailed_at.is_(None),
        Notification.created_at <= now).values(emailed_at=now).execution_options(
        synchronize_session=False))
    if items:
        _queue(user, "notification_summary", items=[(n, link_for(n, n.thread)) for n in items],
               list_link=mail.link("notifications.index"))
    return len(items)


def open_url(notification: Notification) -> str:
    """The page a notification opens, for a redirect within the site."""
    if notification.post_id:
        return url_for("discussions.goto_post", post_id=notification.post_id)
    return url_for("discussions.thread", slug=notification.thread.space.slug,
                   thread_id=notification.thread_id)
