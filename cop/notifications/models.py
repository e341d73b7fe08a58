"""Who follows or mutes what, what each person is told, and how they want to be emailed."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy import text as sql
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.database import UTCDateTime, utcnow
from cop.extensions import db


class Level(str, enum.Enum):
    FOLLOW = "follow"
    MUTE = "mute"


class Kind(str, enum.Enum):
    """Strongest first: one event tells a person once, with the strongest kind that applies."""

    MODERATION = "moderation"  # a coordinator acted on your thread or post
    MENTION = "mention"  # @you in a post
    REPLY = "reply"  # an answer to your post
    POST = "post"  # a new reply in a thread you follow (or in a space you follow)
    NEW_THREAD = "new_thread"  # a new thread in a space you follow


STRENGTH = {kind.value: rank for rank, kind in enumerate(Kind)}


class EmailFrequency(str, enum.Enum):
    EACH = "each"
    DAILY = "daily"
    NEVER = "never"


DEFAULT_FREQUENCY = EmailFrequency.EACH.value


class Subscription(db.Model):
    """A person's explicit level on one thread or one space. No row: the default (not followed,
    not muted). A thread's level wins over its space's."""

    __tablename__ = "subscriptions"
    __table_args__ = (
        UniqueConstraint("user_id", "thread_id"),
        UniqueConstraint("user_id", "space_id"),
        CheckConstraint("(thread_id IS NULL) <> (space_id IS NULL)", name="one_target"),
        Index("ix_subscriptions_thread_level", "thread_id", "level"),
        Index("ix_subscriptions_space_level", "space_id", "level"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    space_id: Mapped[int | None] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"))
    level: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Notification(db.Model):
    """One thing a person is told, in the bell and the list, and by email per their choice.

    It is about a subject (`subject_type`, `subject_id`: any feature's object, see
    cop.notifications.kinds); a discussion's also name their thread and post, which the
    database deletes them with. `text` is a short plain-text line (an excerpt of the post, the
    coordinator's reason for a moderation notice, a reviewer's comment); `action` says what a
    coordinator did. Pages show a notification only while its subject is still visible to the
    person: the filter runs at every read.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_read", "user_id", "read_at"),
        Index("ix_notifications_user_created", "user_id", "created_at"),
        Index("ix_notifications_pending_email", "emailed_at", "created_at"),
        # The email worker's queue: only the few rows waiting are in it.
        Index("ix_notifications_email_queue", "id", sqlite_where=sql("email_pending"),
              postgresql_where=sql("email_pending")),
        Index("ix_notifications_subject", "subject_type", "subject_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    subject_type: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int] = mapped_column()
    action: Mapped[str] = mapped_column(String(20), default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    space_id: Mapped[int | None] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"))
    thread_id: Mapped[int | None] = mapped_column(
        ForeignKey("threads.id", ondelete="CASCADE"), index=True)
    post_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Waiting for the email worker (NOTIFICATION_EMAIL_WORKER): it emails and clears it.
    email_pending: Mapped[bool] = mapped_column(default=False, server_default=false())
    # A message the worker could not build or send: tried again a few times, then kept aside
    # with its error for the administrators (the rest of the queue goes on).
    email_attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    email_error: Mapped[str | None] = mapped_column(Text)
    email_retry_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    actor = relationship("User", foreign_keys=[actor_id], lazy="raise")
    recipient = relationship("User", foreign_keys=[user_id], lazy="raise")
    thread = relationship("Thread", foreign_keys=[thread_id], lazy="raise")

    @property
    def subject(self):
        """The object it is about, set by `queries.attach_subjects` (None: not loaded, or gone)."""
        return self.__dict__.get("_subject")

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @property
    def email_given_up(self) -> bool:
        return self.email_error is not None and not self.email_pending


class Fanout(db.Model):
    """Who follows a thread is told of its new post by the email worker, not by the request
    (NOTIFICATION_EMAIL_WORKER): the request writes this one row, and the worker's next pass
    writes the notifications of everybody concerned and deletes it, in one transaction (a
    busy thread has hundreds of followers; a reply must not cost more for each of them).
    `direct` is the people told whatever they follow, as JSON {user id: kind}: the author of
    the post answered, the people mentioned."""

    __tablename__ = "notification_fanouts"
    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    followers: Mapped[str] = mapped_column(String(20))  # the kind followers are told
    direct: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class NotificationSettings(db.Model):
    """A person's email choice; no row means the default (an email for each notification)."""

    __tablename__ = "notification_settings"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    email_frequency: Mapped[str] = mapped_column(String(10), default=DEFAULT_FREQUENCY)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Channel(str, enum.Enum):
    """How a person wants one kind of notification."""

    EMAIL = "email"  # in the bell, and by email as their email frequency says (the default)
    BELL = "bell"  # in the bell only
    OFF = "off"  # not at all


class NotificationPreference(db.Model):
    """A person's choice for one kind; no row means the default (`Channel.EMAIL`)."""

    __tablename__ = "notification_preferences"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    channel: Mapped[str] = mapped_column(String(10))
