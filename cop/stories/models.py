"""Storie di valore (Wenger, Trayner and de Laat's value-creation cycles)."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.database import UTCDateTime, utcnow
from cop.extensions import db


class Cycle(str, enum.Enum):
    """The five cycles, in their order: what taking part gave at once, what it may give later,
    what changed in practice, what difference it made to results, what it made people rethink."""

    IMMEDIATE = "immediato"
    POTENTIAL = "potenziale"
    APPLIED = "applicato"
    REALISED = "realizzato"
    REFRAMING = "riformulazione"


class SubjectType(str, enum.Enum):
    THREAD = "thread"
    PRACTICE = "practice"
    MEETING = "meeting"


class ValueStory(db.Model):
    """A member's story of what a discussion, practice or meeting changed in their work.

    The story belongs to a space (the subject's, or the one it was told in) and is visible where
    that space and its subject are."""

    __tablename__ = "value_stories"
    __table_args__ = (
        Index("ix_value_stories_space_cycle", "space_id", "cycle"),
        Index("ix_value_stories_subject", "subject_type", "subject_id"),
        Index("ix_value_stories_space_created", "space_id", "created_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    cycle: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(160))
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    subject_type: Mapped[str | None] = mapped_column(String(20))
    subject_id: Mapped[int | None] = mapped_column(Integer)
    subject_title: Mapped[str] = mapped_column(String(200), default="")  # as it was when told
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    author = relationship("User", lazy="raise")
    space = relationship("Space", lazy="raise")
