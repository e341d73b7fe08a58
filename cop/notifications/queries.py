"""Reads on notifications. A notification shows only while the person may still see its thread
and post: the same access filters as every list, applied in SQL at each read."""
from __future__ import annotations

from sqlalchemy import and_, bindparam, false, func, or_, select
from sqlalchemy.orm import joinedload

from cop import access
from cop.auth.models import User
from cop.discussions.models import Post, Thread
from cop.notifications import kinds
from cop.notifications.models import Kind, Level, Notification, Subscription
from cop.spaces.models import Space


def thread_visible_clause(user):
    """SQL condition on Notification (outer-joined to its Thread and Post, as `_visible` does):
    a discussion's notification shows while its thread and post are visible to `user`. A
    moderation notice stays visible after the post it is about was deleted."""
    return and_(
        Notification.thread_id.is_not(None),
        access.visible_threads_clause(user),
        or_(Notification.post_id.is_(None),
            and_(access.posts_shown_in_thread_clause(user),
                 or_(Post.deleted_at.is_(None), Notification.kind == Kind.MODERATION.value))),
    )


def _visible(statement, user):
    """`statement` on Notification, kept to the person's notifications that they may still
    see: each subject type's condition (cop.notifications.kinds), in SQL, at every read."""
    by_subject = [and_(Notification.subject_type == name, entry.visible(user))
                  for name, entry in kinds.subjects().items()]
    return (
        statement.outerjoin(Thread, Thread.id == Notification.thread_id)
        .outerjoin(Post, Post.id == Notification.post_id)
        .where(Notification.user_id == user.id, or_(*by_subject) if by_subject else false())
    )


def listed(user):
    """The person's notifications, newest first, with their actor's name (not their
    organisation, its type and ATS); `attach_subjects` then loads what they are about."""
    return (
        _visible(select(Notification), user)
        .options(joinedload(Notification.actor).load_only(User.id, User.name)
                 .lazyload(User.organisation))
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )


def listed_page(user):
    """`listed` with the page's limit and offset as parameters (`page_limit`, `page_offset`):
    built once per process through `access.for_anyone`, so `user` may be `access.Anyone`."""
    return listed(user).limit(bindparam("page_limit")).offset(bindparam("page_offset"))


def listed_counts(user):
    """How many `listed` holds (for the page numbers) and how many of them are unread (the
    bell's count), in one statement built as `listed_page` is."""
    return _visible(select(func.count(Notification.id), func.count(Notification.id).filter(
        Notification.read_at.is_(None))), user)


def attach_subjects(notifications: list[Notification]) -> list[Notification]:
    """Loads the subjects of `notifications`, one statement per subject type present, and
    sets each as `notification.subject`. Returns the list."""
    wanted: dict[str, set[int]] = {}
    for n in notifications:
        wanted.setdefault(n.subject_type, set()).add(n.subject_id)
    loaded = {name: kinds.subject(name).load(sorted(ids)) for name, ids in wanted.items()
              if name in kinds.subjects()}
    for n in notifications:
        n.__dict__["_subject"] = loaded.get(n.subject_type, {}).get(n.subject_id)
    return notifications


def unread_count(user):
    """For the bell: one statement, served by the (user_id, read_at) index. Built once per
    process through `access.for_anyone` (the bell is on every page), so `user` may be
    `access.Anyone`."""
    return _visible(select(func.count(Notification.id)), user).where(
        Notification.read_at.is_(None))


def follow_level_fact(model, reader, subject_id):
    """A `cop.facts` fact: the reader's own level on the thread or space ("follow", "mute"
    or None)."""
    column = Subscription.space_id if issubclass(model, Space) else Subscription.thread_id
    return select(Subscription.level).where(
        Subscription.user_id == reader.id, column == subject_id).scalar_subquery()


def unread_fact(model, reader, subject_id):
    """A `cop.facts` fact: the bell's count, asked with the page's other facts."""
    return unread_count(reader).scalar_subquery()


def one(user, notification_id: int):
    return listed(user).where(Notification.id == notification_id)


def space_levels(user):
    """The spaces the person follows or muted (and may still see), by name."""
    return (
        select(Space.id, Space.slug, Space.name, Subscription.level)
        .join(Subscription, Subscription.space_id == Space.id)
        .where(Subscription.user_id == user.id, access.visible_spaces_clause(user))
        .order_by(Space.name)
    )


FOLLOWED_LIMIT = 200


def followed_threads(user, limit: int = FOLLOWED_LIMIT):
    """The threads the person follows (and may still see), latest activity first."""
    return muted_threads(user, limit, Level.FOLLOW.value)


def muted_threads(user, limit: int = FOLLOWED_LIMIT, level: str = Level.MUTE.value):
    """The threads the person muted (and may still see), latest activity first."""
    return (
        select(Thread.id, Thread.title, Space.slug.label("space_slug"),
               Space.name.label("space_name"))
        .join(Subscription, Subscription.thread_id == Thread.id)
        .join(Space, Space.id == Thread.space_id)
        .where(Subscription.user_id == user.id, Subscription.level == level,
               access.visible_threads_clause(user))
        .order_by(Thread.last_activity_at.desc())
        .limit(limit)
    )


def email_failures():
    """Notification emails the worker could not build or send, newest first: those given up
    and those it is still trying. For the administrators; with recipient and actor
    (`attach_subjects` loads what they are about)."""
    return (
        select(Notification).where(Notification.email_error.is_not(None))
        .options(joinedload(Notification.recipient), joinedload(Notification.actor))
        .order_by(Notification.id.desc())
    )
