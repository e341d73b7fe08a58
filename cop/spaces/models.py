"""Benchlearning spaces: one per ATS, one per Alleanza, and regional thematic ones."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.database import UTCDateTime, utcnow
from cop.extensions import db


class SpaceKind(str, enum.Enum):
    ATS = "ats"
    ALLEANZA = "alleanza"
    THEMATIC = "tematico"


class Visibility(str, enum.Enum):
    RESERVED = "riservato"  # members only
    REGIONAL = "regionale"  # everybody signed in


class SpaceRole(str, enum.Enum):
    COORDINATOR = "coordinatore"
    FACILITATOR = "facilitatore"
    MEMBER = "membro"


class JoinStatus(str, enum.Enum):
    PENDING = "in_attesa"
    ACCEPTED = "accettata"
    REFUSED = "rifiutata"


class Space(db.Model):
    __tablename__ = "spaces"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20), index=True)
    visibility: Mapped[str] = mapped_column(String(20), default=Visibility.REGIONAL.value)
    ats_id: Mapped[int | None] = mapped_column(ForeignKey("ats.id"), index=True)
    alleanza_id: Mapped[int | None] = mapped_column(ForeignKey("alleanze.id"), unique=True)
    member_count: Mapped[int] = mapped_column(Integer, default=0)
    pending_request_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    ats = relationship("Ats", lazy="joined")
    alleanza = relationship("Alleanza", lazy="joined")

    @property
    def is_reserved(self) -> bool:
        return self.visibility == Visibility.RESERVED.value


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("space_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20), default=SpaceRole.MEMBER.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    space: Mapped[Space] = relationship(lazy="raise")
    user = relationship("User", lazy="joined")


class JoinRequest(db.Model):
    __tablename__ = "join_requests"
    __table_args__ = (Index("ix_join_requests_space_status", "space_id", "status"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=JoinStatus.PENDING.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    space: Mapped[Space] = relationship(lazy="raise")
    user = relationship("User", foreign_keys=[user_id], lazy="joined")
