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
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

import nh3
from flask import current_app, url_for
from flask_babel import force_locale
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import (
    Integer,
    Text,
    and_,
    case,
    delete,
    false,
    func,
    insert,
    literal,
    null,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.orm import aliased, joinedload

from cop import access, facts, mail
from cop.auth.models import User
from cop.database import UTCDateTime, insert_or_skip, upsert, utcnow
from cop.discussions.models import Post, Thread
from cop.extensions import db
from cop.notifications import kinds, queries
from cop.notifications.models import (
    DEFAULT_FREQUENCY,
    STRENGTH,
    Channel,
    EmailFrequency,
    Fanout,
    Kind,
    Level,
    Notification,
    NotificationPreference,
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
    facts.forget()  # the page's follow button reads the level again
    if level is None:
        db.session.execute(delete(Subscription).filter_by(user_id=user.id, **target))
        return
    if level not in {lv.value for lv in Level}:
        raise ValueError(f"unknown level {level!r}")
    upsert(Subscription, {"user_id": user.id, **target}, {"level": level, "created_at": utcnow()})


def _follow_automatically(user_id: int, thread_id: int) -> None:
    """The person follows the thread, unless they already chose a level for it."""
    insert_or_skip(Subscription, {"user_id": user_id, "thread_id": thread_id,
                                  "level": Level.FOLLOW.value, "created_at": utcnow()},
                   ["user_id", "thread_id"])


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


def unsubscribe_token(user, thread_id: int | None = None, kind: str | None = None) -> str:
    """A signed link token: it only lets its holder turn the person's emails off (or mute the
    thread, or stop the kind of email, it came with), so it needs no expiry."""
    data = {"u": user.id, "t": thread_id}
    if kind:
        data["k"] = kind
    return _serializer().dumps(data)


@dataclass(frozen=True)
class Unsubscribing:
    user: User
    thread_id: int | None
    kind: str | None  # an optional kind's name, when the email was about one


def read_unsubscribe_token(token: str) -> Unsubscribing | None:
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    user = db.session.get(User, data["u"])
    thread_id = data.get("t") if isinstance(data.get("t"), int) else None
    spec = kinds.kind(data["k"]) if isinstance(data.get("k"), str) else None
    kind = spec.name if spec is not None and spec.optional else None
    return Unsubscribing(user, thread_id, kind) if user is not None else None


def unsubscribe(user, thread_id: int | None = None, kind: str | None = None) -> None:
    """With a thread: mute it. With a kind: no more emails of that kind (the bell stays).
    Without: no more notification emails (the bell stays)."""
    thread = db.session.get(Thread, thread_id) if thread_id else None
    if thread is not None:
        set_level(user, Level.MUTE.value, thread=thread)
    elif kind is not None:
        set_channels(user, {kind: Channel.BELL.value})
    else:
        set_email_frequency(user, EmailFrequency.NEVER.value)


# --- a person's choice per kind -----------------------------------------------------------

def channels(user) -> dict[str, str]:
    """The person's choice for every optional kind (the default where they chose nothing)."""
    chosen = dict(db.session.execute(
        select(NotificationPreference.kind, NotificationPreference.channel)
        .where(NotificationPreference.user_id == user.id)).all())
    return {spec.name: chosen.get(spec.name, Channel.EMAIL.value)
            for spec in kinds.kinds() if spec.optional}


def set_channels(user, chosen: dict[str, str]) -> None:
    """Saves the person's choice for some kinds; the default is kept as no row."""
    allowed = {c.value for c in Channel}
    for kind, channel in chosen.items():
        spec = kinds.kind(kind)
        if spec is None or not spec.optional or channel not in allowed:
            raise ValueError(f"unknown kind or channel {kind!r}: {channel!r}")
        if channel == Channel.EMAIL.value:
            db.session.execute(delete(NotificationPreference).where(
                NotificationPreference.user_id == user.id, NotificationPreference.kind == kind))
        else:
            upsert(NotificationPreference, {"user_id": user.id, "kind": kind},
                   {"channel": channel})


def wants_email(user, kind: str) -> bool:
    """For emails sent outside this path (the daily reminder of due actions): the person's
    email frequency is not «never» and they did not keep the kind to the bell or turn it off."""
    if email_frequency(user) == EmailFrequency.NEVER.value:
        return False
    return db.session.scalar(select(NotificationPreference.channel).where(
        NotificationPreference.user_id == user.id, NotificationPreference.kind == kind)) in (
        None, Channel.EMAIL.value)


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


# The line that introduces a quote («**Name** ha scritto:»): a paragraph ending with a colon
# right before a blockquote. Left in, the excerpt would credit the quoted words to nobody.
_QUOTE_ATTRIBUTION = re.compile(r"<p>(?:(?!</p>).)*:\s*</p>\s*(?=<blockquote)", re.DOTALL)


def excerpt(body_html: str, limit: int = EXCERPT_LENGTH) -> str:
    """Plain text of a post's sanitised HTML, without quotes (nor the line introducing them),
    shortened on a word boundary."""
    unquoted = _QUOTE_ATTRIBUTION.sub("", body_html or "")
    spaced = _BLOCK_END.sub(lambda m: m.group(0) + " ", unquoted)
    plain = html.unescape(nh3.clean(spaced, tags=set(), attributes={},
                                     clean_content_tags={"blockquote"}))
    plain = " ".join(plain.split())
    if len(plain) <= limit:
        return plain
    return plain[:limit].rsplit(" ", 1)[0] + "…"


def notify_new_thread(thread: Thread, post: Post, mentioned) -> None:
    _follow_automatically(thread.author_id, thread.id)
    _tell_followers(thread, post, actor_id=thread.author_id, followers=Kind.NEW_THREAD.value,
                    direct={u.id: Kind.MENTION.value for u in mentioned})


def notify_reply(post: Post, thread: Thread, mentioned) -> None:
    if post.author_id:
        _follow_automatically(post.author_id, thread.id)
    direct = {}
    if post.reply_to_id:
        answered = db.session.get(Post, post.reply_to_id)
        if answered is not None and answered.author_id:
            direct[answered.author_id] = Kind.REPLY.value
    direct.update({u.id: Kind.MENTION.value for u in mentioned})
    _tell_followers(thread, post, actor_id=post.author_id, followers=Kind.POST.value,
                    direct=direct)


def _tell_followers(thread: Thread, post: Post, *, actor_id: int | None, followers: str,
                    direct: dict[int, str]) -> None:
    """A new post told to the thread's followers and to `direct`: with the email worker, by
    it (one row written here, `tell_followers_waiting` does the rest); without, now."""
    if not current_app.config["NOTIFICATION_EMAIL_WORKER"]:
        _tell(thread, post, actor_id=actor_id, followers=followers, direct=direct,
              text=excerpt(post.body_html))
        return
    db.session.execute(_NEW_FANOUT, {
        "thread_id": thread.id, "post_id": post.id, "actor_id": actor_id,
        "followers": followers, "created_at": utcnow(),
        "direct": json.dumps({str(user_id): kind for user_id, kind in direct.items()})})


_NEW_FANOUT = insert(Fanout.__table__)  # built once; its values are the parameters


def tell_followers_waiting(limit: int = 20) -> int:
    """The email worker's first step: the new posts whose followers were not told yet, oldest
    first, told and taken off the queue in the caller's transaction (a worker killed halfway
    leaves them whole for the next pass; several workers skip each other's rows on
    PostgreSQL). Who may see the thread is decided now, as the notifications list decides at
    every read. Returns how many posts were told."""
    waiting = select(Fanout).order_by(Fanout.id).limit(limit)
    if db.session.get_bind().dialect.name == "postgresql":
        waiting = waiting.with_for_update(skip_locked=True)
    fanouts = db.session.scalars(waiting).all()
    if not fanouts:
        return 0
    posts = {post.id: post for post in db.session.scalars(
        select(Post).options(joinedload(Post.thread).joinedload(Thread.space))
        .where(Post.id.in_([fanout.post_id for fanout in fanouts])))}
    for fanout in fanouts:
        post = posts.get(fanout.post_id)
        if post is None or post.deleted_at is not None or post.hidden:
            continue  # removed before anybody was told (or by hand in SQL): nobody is
        _tell(post.thread, post, actor_id=fanout.actor_id, followers=fanout.followers,
              direct={int(user_id): kind for user_id, kind in json.loads(fanout.direct).items()},
              text=excerpt(post.body_html), following_since=fanout.created_at)
    done = db.session.execute(delete(Fanout).where(Fanout.id.in_([f.id for f in fanouts])))
    if done.rowcount != len(fanouts):  # another worker told some meanwhile: undo, not twice
        raise RuntimeError("notification fan-outs taken by another worker")
    return len(fanouts)


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
          direct: dict[int, str], text: str, action: str = "", respect_mutes: bool = True,
          following_since: datetime | None = None) -> None:
    """Notifies `direct` (user id -> kind) and, with a `followers` kind, whoever follows the
    thread or its space (already at `following_since`, when given: the worker tells of a post
    those who followed when it was written); only people who may see the thread, never the
    actor."""
    on_thread = aliased(Subscription)
    on_space = aliased(Subscription)
    level = func.coalesce(on_thread.level, on_space.level)
    wanted = [User.id.in_(list(direct))] if direct else []
    if followers:
        # Candidates from the follows (indexed) rather than a scan of everybody's levels.
        following = select(Subscription.user_id).where(
            Subscription.level == Level.FOLLOW.value,
            or_(Subscription.thread_id == thread.id, Subscription.space_id == thread.space_id))
        if following_since is not None:
            following = following.where(Subscription.created_at <= following_since)
        wanted.append(and_(User.id.in_(following), level == Level.FOLLOW.value))
    if not wanted:
        return
    # One notification per person, of the strongest kind that applies: a direct kind (a reply
    # to them, a mention, a moderation notice) is always stronger than a follower's.
    by_kind: dict[str, list[int]] = {}
    for user_id, kind in direct.items():
        by_kind.setdefault(kind, []).append(user_id)
    strongest = sorted(by_kind, key=STRENGTH.__getitem__)
    kind = case(*[(User.id.in_(by_kind[name]), name) for name in strongest],
                else_=followers) if strongest else literal(followers)
    candidates = (
        select(User.id.label("user_id"), kind.label("kind"), NotificationSettings.email_frequency)
        .outerjoin(on_thread, and_(on_thread.user_id == User.id, on_thread.thread_id == thread.id))
        .outerjoin(on_space, and_(on_space.user_id == User.id,
                                  on_space.space_id == thread.space_id))
        .outerjoin(NotificationSettings, NotificationSettings.user_id == User.id)
        .where(access.users_who_see_thread_clause(thread), or_(*wanted))
    )
    if respect_mutes:
        candidates = candidates.where(or_(level.is_(None), level != Level.MUTE.value))
    if actor_id:
        candidates = candidates.where(User.id != actor_id)
    _store(candidates, [*strongest, *([followers] if followers else [])], thread,
           actor_id=actor_id, text=text, action=action, space_id=thread.space_id,
           thread_id=thread.id, post_id=post.id if post is not None else None)


def notify(subject, audience, kind: str, *, actor=None, text: str = "", action: str = "",
           space_id: int | None = None) -> int:
    """The one way a feature tells people something: `kind` (registered in cop.notifications.
    kinds) happened to `subject` (any registered feature's object); `audience` are the people
    (users or ids) to tell. Only the active ones who may see the subject and did not turn the
    kind off are told, never the actor. Writes the bell entries and, per each person's choice,
    queues the emails (for the worker, or to leave at commit) or leaves them for the daily
    summary. Returns how many were told. Never commits."""
    spec = kinds.kind(kind)
    if spec is None:
        raise LookupError(f"unknown notification kind {kind!r}")
    entry = kinds.subject(spec.subject)
    ids = {person if isinstance(person, int) else person.id for person in audience}
    ids.discard(actor.id if actor is not None else None)
    if not ids:
        return 0
    people = User.id.in_(sorted(ids))
    if entry.audience is None:  # who may see it is decided in Python, for each person
        ids = [user.id for user in db.session.scalars(select(User).where(people)).all()
               if entry.can_see(user, None, subject)]
        people = User.id.in_(ids)
    candidates = (select(User.id.label("user_id"), literal(kind).label("kind"),
                         NotificationSettings.email_frequency)
                  .outerjoin(NotificationSettings, NotificationSettings.user_id == User.id)
                  .where(people, User.active.is_(True)))
    if entry.audience is not None:
        candidates = candidates.where(entry.audience(subject))
    return _store(candidates, [kind], subject, actor_id=actor.id if actor is not None else None,
                  text=text, action=action, space_id=space_id)


def _store(candidates, kind_names: list[str], subject, *, actor_id: int | None, text: str,
           action: str = "", space_id: int | None = None, thread_id: int | None = None,
           post_id: int | None = None) -> int:
    """Writes the notifications of one event in one INSERT ... SELECT: `candidates` selects the
    people to tell as (user_id, kind, email_frequency), `kind_names` the kinds it may give.
    Each person's choice for the kind (off, bell only, email) is joined in the statement, so
    what the request costs does not grow with the people told (a busy thread has hundreds of
    followers). Emails wanted now are left to the worker (NOTIFICATION_EMAIL_WORKER) or queued
    here to leave at commit. Returns how many were told."""
    entry = kinds.subject_of(subject)
    specs = [kinds.kind(name) for name in kind_names]
    optional = [spec.name for spec in specs if spec.optional]
    emailed = [spec.name for spec in specs if spec.emailed]
    told = candidates.subquery()
    choice = aliased(NotificationPreference)
    channel = case((told.c.kind.in_(optional),
                    func.coalesce(choice.channel, Channel.EMAIL.value)),
                   else_=Channel.EMAIL.value)
    emails_now = and_(told.c.kind.in_(emailed), channel == Channel.EMAIL.value,
                      func.coalesce(told.c.email_frequency, DEFAULT_FREQUENCY)
                      == EmailFrequency.EACH.value)
    # not for email (bell only, or never emailed): settled now, the summary skips it
    settled = or_(channel == Channel.BELL.value, told.c.kind.not_in(emailed))
    now = utcnow()
    rows = (
        select(told.c.user_id, told.c.kind, literal(entry.name), literal(subject.id),
               literal(action), literal(actor_id, Integer), literal(space_id, Integer),
               literal(thread_id, Integer), literal(post_id, Integer), literal(text, Text),
               literal(now, UTCDateTime),
               case((settled, literal(now, UTCDateTime)), else_=null()),
               case((emails_now, true()), else_=false()))
        .outerjoin(choice, and_(choice.user_id == told.c.user_id, choice.kind == told.c.kind))
        .where(channel != Channel.OFF.value)
    )
    table = Notification.__table__
    statement = insert(table).from_select(
        ["user_id", "kind", "subject_type", "subject_id", "action", "actor_id", "space_id",
         "thread_id", "post_id", "text", "created_at", "emailed_at", "email_pending"], rows)
    if current_app.config["NOTIFICATION_EMAIL_WORKER"]:
        return db.session.execute(statement).rowcount
    written = db.session.execute(statement.returning(
        table.c.id, table.c.user_id, table.c.kind, table.c.email_pending)).all()
    waiting = [row for row in written if row.email_pending]
    if waiting:  # no worker: the emails leave at commit, and are settled now
        db.session.execute(update(table).where(table.c.id.in_([row.id for row in waiting]))
                           .values(emailed_at=now, email_pending=False))
        # what the sentence and the link read of the subject, loaded as the list loads it
        subject = entry.load([subject.id]).get(subject.id, subject)
        actor = db.session.get(User, actor_id) if actor_id else None
        people = {u.id: u for u in db.session.scalars(
            select(User).where(User.id.in_([row.user_id for row in waiting])))}
        for row in waiting:
            notification = Notification(
                user_id=row.user_id, kind=row.kind, subject_type=entry.name,
                subject_id=subject.id, action=action, actor_id=actor_id, space_id=space_id,
                thread_id=thread_id, post_id=post_id, text=text, created_at=now)
            notification.__dict__["_subject"] = subject
            mail.queue(db.session, notification_email(people[row.user_id], notification,
                                                      actor))
    return len(written)


# --- what it says, where it leads --------------------------------------------------------

def describe(notification: Notification, actor=None) -> str:
    """Its sentence (`actor` given: the worker and the emails at write time pass it)."""
    spec = kinds.kind(notification.kind)
    subject = notification.subject
    if spec is None or subject is None:
        return ""
    if actor is None and "actor" in notification.__dict__:
        actor = notification.actor
    return spec.describe(notification, subject, actor)


def detail(notification: Notification) -> str:
    spec = kinds.kind(notification.kind)
    return spec.detail(notification) if spec is not None else ""


def place(notification: Notification) -> str:
    subject = notification.subject
    if subject is None or notification.subject_type not in kinds.subjects():
        return ""
    return kinds.subject(notification.subject_type).place(subject)


def _endpoint(notification: Notification) -> tuple[str, dict]:
    return kinds.subject(notification.subject_type).link(notification, notification.subject)


def link_for(notification: Notification) -> str:
    """Where the notification leads, as an absolute URL (for emails)."""
    endpoint, values = _endpoint(notification)
    return mail.link(endpoint, **values)


def open_url(notification: Notification) -> str:
    """The page a notification opens, for a redirect within the site."""
    endpoint, values = _endpoint(notification)
    return url_for(endpoint, **values)


def notification_email(user: User, notification: Notification, actor: User | None
                       ) -> EmailMessage:
    """The email of one notification (its subject attached), in the person's language."""
    spec = kinds.kind(notification.kind)
    subject = notification.subject
    thread_id = notification.thread_id if notification.subject_type == "thread" else None
    with force_locale(user.locale or "it"):
        context = {"n": notification, "subject": subject, "actor": actor,
                   "sentence": describe(notification, actor), "detail": detail(notification),
                   "link": link_for(notification)}
        if spec.email_context is not None:
            context.update(spec.email_context(user, notification, subject, actor))
    # Muting the thread stops everything but moderation notices: offer it where it works.
    muteable = thread_id is not None and spec.optional
    message = _message(user, spec.email_template, thread_id=thread_id if muteable else None,
                       kind=notification.kind if spec.optional else None, **context)
    if spec.attach is not None:
        spec.attach(message, user, notification, subject)
    if notification.id is not None:  # the worker's: sent again after a failure, the same mail
        message.replace_header("Message-ID", f"<notifica-{notification.id}@cop.local>")
    return message


# --- emails ------------------------------------------------------------------------------

def _queue(user: User, template: str, *, thread_id: int | None = None, **context) -> None:
    mail.queue(db.session, _message(user, template, thread_id=thread_id, **context))


def _message(user: User, template: str, *, thread_id: int | None = None,
             kind: str | None = None, **context) -> EmailMessage:
    """The link's page offers to mute the thread, to stop this kind's emails, or to stop
    emails; a one-click POST to it from a mail client (RFC 8058) stops emails."""
    unsubscribe_link = mail.link("notifications.unsubscribe",
                                 token=unsubscribe_token(user, thread_id, kind))
    context = {"user": user, "person": user, "unsubscribe_link": unsubscribe_link,
               "can_mute_thread": thread_id is not None,
               "preferences_link": mail.link("notifications.preferences"), **context}
    message = mail.build_message(user.email, template, locale=user.locale, **context)
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
    items = queries.attach_subjects(db.session.execute(
        queries.listed(user)
        .where(Notification.emailed_at.is_(None), Notification.read_at.is_(None),
               Notification.created_at > now - SUMMARY_WINDOW, Notification.created_at <= now)
        .order_by(None).order_by(Notification.created_at, Notification.id)
    ).scalars().all())
    db.session.execute(update(Notification).where(
        Notification.user_id == user.id, Notification.emailed_at.is_(None),
        Notification.created_at <= now).values(emailed_at=now).execution_options(
        synchronize_session=False))
    if items:
        with force_locale(user.locale or "it"):
            lines = [(describe(n), detail(n), n.created_at, link_for(n)) for n in items]
        _queue(user, "notification_summary", items=lines,
               list_link=mail.link("notifications.index"))
    return len(items)
