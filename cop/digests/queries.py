"""The reads of a digest: one select() per section, each filtered in SQL by cop.access, each
bounded (LIMIT) and carrying the section's full count in the same statement (a window
function), so that one digest runs the same statements whatever the data."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, case, false, func, or_, select

from cop import access
from cop.auth.models import User
from cop.digests.models import DEFAULT_FREQUENCY, PERIODS, DigestFrequency, DigestSettings
from cop.discussions.models import Post, Thread
from cop.meetings.models import OPEN_ACTION_STATUSES, Action, Meeting, MeetingStatus
from cop.practices.models import Practice, Status, Visibility
from cop.spaces.models import Membership, Space


def _member_of(user):
    return select(Membership.space_id).where(Membership.user_id == user.id)


def _not_by(column, user):
    return or_(column.is_(None), column != user.id)


def due(now: datetime, margin: timedelta):
    """(user id, frequency or None, covered_until or None) of the active people whose digest is
    due at `now`: never sent, or sent at least one period ago (less `margin`, so that a cron
    job that runs a few minutes early does not skip a day)."""
    frequency = func.coalesce(DigestSettings.frequency, DEFAULT_FREQUENCY)
    covered = DigestSettings.covered_until
    periods = [and_(frequency == name, covered <= now - period + margin)
               for name, period in PERIODS.items()]
    return (
        select(User.id, DigestSettings.frequency, DigestSettings.covered_until)
        .outerjoin(DigestSettings, DigestSettings.user_id == User.id)
        .where(User.active.is_(True), frequency != DigestFrequency.NEVER.value,
               or_(covered.is_(None), *periods))
        .order_by(User.id)
    )


def new_threads(user, since: datetime, until: datetime, limit: int):
    """Threads opened in the window in the person's spaces, by others, that they may see."""
    return (
        select(Thread.id, Thread.title, Thread.reply_count, Thread.created_at,
               Space.slug.label("space_slug"), Space.name.label("space_name"),
               func.count().over().label("total"))
        .join(Space, Space.id == Thread.space_id)
        .where(Thread.space_id.in_(_member_of(user)), access.visible_threads_clause(user),
               Thread.hidden == false(), Thread.created_at > since, Thread.created_at <= until,
               _not_by(Thread.author_id, user))
        .order_by(Thread.created_at.desc(), Thread.id.desc())
        .limit(limit)
    )


def active_threads(user, since: datetime, until: datetime, limit: int):
    """Threads of the person's spaces with new answers (by others) in the window, the most
    answered first; `total` threads and `answers` in all, beyond the limit too."""
    replies = (
        select(Post.thread_id, func.count().label("answers"),
               func.max(Post.created_at).label("last_at"))
        .join(Thread, Thread.id == Post.thread_id)
        .where(Thread.space_id.in_(_member_of(user)), access.visible_posts_clause(user),
               Thread.hidden == false(), Post.hidden == false(), Post.deleted_at.is_(None),
               Post.depth > 0, Post.created_at > since, Post.created_at <= until,
               _not_by(Post.author_id, user))
        .group_by(Post.thread_id)
        .subquery()
    )
    return (
        select(Thread.id, Thread.title, replies.c.answers,
               Space.slug.label("space_slug"), Space.name.label("space_name"),
               func.count().over().label("total"),
               func.sum(replies.c.answers).over().label("all_answers"))
        .join(replies, replies.c.thread_id == Thread.id)
        .join(Space, Space.id == Thread.space_id)
        .order_by(replies.c.answers.desc(), replies.c.last_at.desc(), Thread.id.desc())
        .limit(limit)
    )


def published_practices(user, since: datetime, until: datetime, limit: int):
    """Practice records published in the window that the person may read: those of their
    spaces first, then those open to everybody signed in (the regional library)."""
    own = Practice.space_id.in_(_member_of(user))
    return (
        select(Practice.id, Practice.title, Practice.summary, Practice.published_at,
               Space.name.label("space_name"), func.count().over().label("total"))
        .join(Space, Space.id == Practice.space_id)
        .where(Practice.status == Status.PUBLISHED.value, Practice.published_at > since,
               Practice.published_at <= until, access.visible_practices_clause(user),
               or_(own, Practice.visibility != Visibility.SPACE.value))
        .order_by(case((own, 0), else_=1), Practice.published_at.desc(), Practice.id.desc())
        .limit(limit)
    )


def upcoming_meetings(user, now: datetime, days: int, limit: int):
    """Meetings of the person's calendar (their spaces', those they are invited to) starting
    within `days`, not cancelled, that they may see."""
    return (
        select(Meeting.id, Meeting.title, Meeting.starts_at, Meeting.mode, Meeting.place,
               Space.name.label("space_name"), func.count().over().label("total"))
        .join(Space, Space.id == Meeting.space_id)
        .where(Meeting.starts_at > now, Meeting.starts_at <= now + timedelta(days=days),
               Meeting.status != MeetingStatus.CANCELLED.value,
               access.followed_meetings_clause(user), access.visible_meetings_clause(user))
        .order_by(Meeting.starts_at, Meeting.id)
        .limit(limit)
    )


def open_actions(user, limit: int):
    """The person's open actions, where they may still see the meeting; the earliest due first
    (those without a due date last)."""
    return (
        select(Action.id, Action.title, Action.due_date, Action.status,
               Meeting.id.label("meeting_id"), Meeting.title.label("meeting_title"),
               func.count().over().label("total"))
        .join(Meeting, Meeting.id == Action.meeting_id)
        .where(Action.owner_id == user.id, Action.status.in_(OPEN_ACTION_STATUSES),
               access.visible_meetings_clause(user))
        .order_by(Action.due_date.is_(None), Action.due_date, Action.id)
        .limit(limit)
    )
