"""Reads on notifications. A notification shows only while the person may still see its thread
and post: the same access filters as every list, applied in SQL at each read."""
from __future__ import annotations

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload

from cop import access
from cop.discussions.models import Post, Thread
from cop.notifications.models import Kind, Level, Notification, Subscription
from cop.spaces.models import Space


def _visible(statement, user):
    """`statement` on Notification, joined to its thread and post, kept to what `user` may see.
    A moderation notice stays visible after the post it is about was deleted."""
    return (
        statement.join(Thread, Thread.id == Notification.thread_id)
        .outerjoin(Post, Post.id == Notification.post_id)
        .where(
            Notification.user_id == user.id,
            access.visible_threads_clause(user),
            or_(Notification.post_id.is_(None),
                and_(access.posts_shown_in_thread_clause(user),
                     or_(Post.deleted_at.is_(None),
                         Notification.kind == Kind.MODERATION.value))),
        )
    )


def listed(user):
    """The person's notifications, newest first, with their thread, space and actor."""
    return (
        _visible(select(Notification), user)
        .join(Space, Space.id == Thread.space_id)
        .options(contains_eager(Notification.thread).contains_eager(Thread.space),
                 joinedload(Notification.actor))
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )


def unread_count(user):
    """For the bell: one statement, served by the (user_id, read_at) index. Built once per
    process through `access.for_anyone` (the bell is on every page), so `user` may be
    `access.Anyone`."""
    return _visible(select(func.count(Notification.id)), user).where(
        Notification.read_at.is_(None))


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


def muted_threads(user, limit: int = 200):
    """The threads the person muted (and may still see), latest activity first."""
    return (
        select(Thread.id, Thread.title, Space.slug.label("space_slug"),
               Space.name.label("space_name"))
        .join(Subscription, Subscription.thread_id == Thread.id)
        .join(Space, Space.id == Thread.space_id)
        .where(Subscription.user_id == user.id, Subscription.level == Level.MUTE.value,
               access.visible_threads_clause(user))
        .order_by(Thread.last_activity_at.desc())
        .limit(limit)
    )


def email_failures():
    """Notification emails the worker could not build or send, newest first: those given up
    and those it is still trying. For the administrators; with recipient and thread."""
    return (
        select(Notification).where(Notification.email_error.is_not(None))
        .options(joinedload(Notification.recipient), joinedload(Notification.thread))
        .order_by(Notification.id.desc())
    )
