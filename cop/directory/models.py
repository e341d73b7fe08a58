"""Models of cop.directory: what a person tells the network about themselves beyond the account.

The account (name, organisation, job title, bio) stays on `users`; everything the directory
adds lives in its own tables, 1:1 or 1:n with the person, and goes with the account
(ON DELETE CASCADE).
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.database import UTCDateTime, utcnow
from cop.extensions import db


class DetailsVisibility(str, enum.Enum):
    EVERYBODY = "tutti"  # everybody signed in
    SHARED_SPACES = "spazi"  # only people who share a space with the person


class Level(enum.IntEnum):
    BASE = 1
    INTERMEDIATE = 2
    ADVANCED = 3
    TRAINER = 4  # «posso formare altri»


class ProfileDetails(db.Model):
    """The directory side of a profile. A person without a row has told nothing yet and is
    treated as visible to everybody signed in (the default the form offers)."""

    __tablename__ = "profile_details"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    visibility: Mapped[str] = mapped_column(String(10), default=DetailsVisibility.EVERYBODY.value,
                                            index=True)
    topics: Mapped[str] = mapped_column(Text, default="")  # one topic per line
    languages: Mapped[str] = mapped_column(String(300), default="")
    # Folded words of the bio, the topics and the trainer topics, " w1 w2 ... ": what the
    # directory's free text looks in (see cop/directory/queries.py).
    search_words: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def topic_list(self) -> list[str]:
        return [t for t in (self.topics or "").split("\n") if t]

    @property
    def shows_to_everybody(self) -> bool:
        return self.visibility == DetailsVisibility.EVERYBODY.value


class PersonSkill(db.Model):
    __tablename__ = "person_skills"
    __table_args__ = (
        CheckConstraint("level BETWEEN 1 AND 4", name="level_range"),
        # The directory lists the holders of a skill strongest first (level, then
        # endorsements): this index gives that order without sorting every holder.
        Index("ix_person_skills_skill_strength", "skill_code", "level", "endorsement_count"),
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    skill_code: Mapped[str] = mapped_column(ForeignKey("skills.code"), primary_key=True)
    level: Mapped[int] = mapped_column(Integer)
    endorsement_count: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    skill = relationship("Skill", lazy="raise")


class Endorsement(db.Model):
    """«Ho lavorato con lei su questo»: one per endorser, person and skill; goes with the skill."""

    __tablename__ = "endorsements"
    __table_args__ = (
        UniqueConstraint("user_id", "skill_code", "endorser_id"),
        ForeignKeyConstraint(["user_id", "skill_code"],
                             ["person_skills.user_id", "person_skills.skill_code"],
                             ondelete="CASCADE"),
        CheckConstraint("user_id <> endorser_id", name="not_oneself"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer)
    skill_code: Mapped[str] = mapped_column(String(8))
    endorser_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                             index=True)
    note: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    endorser = relationship("User", foreign_keys=[endorser_id], lazy="raise")


class LearningKind(str, enum.Enum):
    COURSE = "corso"
    WORKSHOP = "laboratorio"
    CONFERENCE = "convegno"
    OTHER = "altro"


class LearningRecord(db.Model):
    """Something the person has learnt: a personal record of lifelong learning."""

    __tablename__ = "learning_records"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default=LearningKind.COURSE.value)
    provider: Mapped[str] = mapped_column(String(200), default="")
    year: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


trainer_territories = Table(
    "trainer_territories",
    db.metadata,
    Column("user_id", ForeignKey("trainer_offers.user_id", ondelete="CASCADE"), primary_key=True),
    Column("ats_id", ForeignKey("ats.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class TrainerOffer(db.Model):
    """A person who offers to train or mentor others: topics, formats, territories."""

    __tablename__ = "trainer_offers"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    topics: Mapped[str] = mapped_column(Text, default="")  # one topic per line
    in_person: Mapped[bool] = mapped_column(Boolean, default=True)
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    availability: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    territories = relationship("Ats", secondary=trainer_territories, order_by="Ats.name",
                               lazy="selectin")

    @property
    def topic_list(self) -> list[str]:
        return [t for t in (self.topics or "").split("\n") if t]
