"""Models of the learning feature: paths of modules a space publishes, and people's progress.

A path belongs to a space and is seen where the space is (rules in cop/access/learning.py);
a draft only by those who manage the space. Its modules are ordered by `position` (1, 2, ...):
a short video lesson (a link), a handout (files, through cop.files with owner type
«learning_module»), or a reading (Markdown text and/or a link). Progress is one row per person
and module done; the path id rides along so a page counts a person's progress per path in SQL.
Completing every module of a published path leaves a `PathCompletion`, which points at the
`LearningRecord` it wrote in the person's directory profile (so it is written once only).
Stored counters: `module_count`, `completion_count` on the path, `attachment_count` on modules.

A completion issues an `Attestation`: the document the person shows for their record of
lifelong learning, checked by anyone at /verifica/<code>. It keeps what it attests as it was
on the day (the path's title and hours), so it stays valid when the path is edited, withdrawn
or deleted; it goes with the person's account. `duration_minutes` on a path is the time its
authors recognise (shown in hours); without it, the sum of the modules' estimated minutes.
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.database import UTCDateTime, utcnow
from cop.extensions import db

OWNER_TYPE = "learning_module"  # the attachments of a handout (cop.access.learning agrees)


class PathStatus(str, enum.Enum):
    DRAFT = "bozza"
    PUBLISHED = "pubblicato"


class ModuleKind(str, enum.Enum):
    VIDEO = "video"
    HANDOUT = "dispensa"
    READING = "lettura"


class LearningPath(db.Model):
    __tablename__ = "learning_paths"
    __table_args__ = (Index("ix_learning_paths_space_status", "space_id", "status"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    summary_html: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=PathStatus.DRAFT.value)
    module_count: Mapped[int] = mapped_column(Integer, default=0)
    completion_count: Mapped[int] = mapped_column(Integer, default=0)
    # The hours recognised on the attestation, in minutes (None: the modules' estimated time).
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    space = relationship("Space", lazy="raise")
    created_by = relationship("User", lazy="raise")

    @property
    def is_published(self) -> bool:
        return self.status == PathStatus.PUBLISHED.value


class LearningModule(db.Model):
    __tablename__ = "learning_modules"
    __table_args__ = (Index("ix_learning_modules_path_position", "path_id", "position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    path_id: Mapped[int] = mapped_column(ForeignKey("learning_paths.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=1)
    kind: Mapped[str] = mapped_column(String(20), default=ModuleKind.READING.value)
    title: Mapped[str] = mapped_column(String(200))
    minutes: Mapped[int | None] = mapped_column(Integer)  # estimated time
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(500), default="")  # the video, or a reading's link
    body: Mapped[str] = mapped_column(Text, default="")  # a reading's text
    body_html: Mapped[str] = mapped_column(Text, default="")
    attachment_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    path = relationship("LearningPath", lazy="raise")


class LearningProgress(db.Model):
    """A person marked a module done."""

    __tablename__ = "learning_progress"
    __table_args__ = (UniqueConstraint("user_id", "module_id"),
                      Index("ix_learning_progress_user_path", "user_id", "path_id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(
        ForeignKey("learning_modules.id", ondelete="CASCADE"), index=True)
    path_id: Mapped[int] = mapped_column(
        ForeignKey("learning_paths.id", ondelete="CASCADE"), index=True)
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PathCompletion(db.Model):
    """A person did every module of a published path. Stays when a module is unmarked or
    added later: it records that the path was completed, on that day."""

    __tablename__ = "learning_completions"
    __table_args__ = (UniqueConstraint("user_id", "path_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    path_id: Mapped[int] = mapped_column(
        ForeignKey("learning_paths.id", ondelete="CASCADE"), index=True)
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The entry written in the person's record of lifelong learning (null if they deleted it).
    learning_record_id: Mapped[int | None] = mapped_column(
        ForeignKey("learning_records.id", ondelete="SET NULL"), unique=True)

    path = relationship("LearningPath", lazy="raise")


class Attestation(db.Model):
    """The attestation of a completed path. `code` is what anyone types at the public check:
    random, from an alphabet without look-alike characters (see services.new_code)."""

    __tablename__ = "learning_attestations"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The completion and the path it came from; null once the path is deleted (it stays valid).
    completion_id: Mapped[int | None] = mapped_column(
        ForeignKey("learning_completions.id", ondelete="SET NULL"), unique=True)
    path_id: Mapped[int | None] = mapped_column(
        ForeignKey("learning_paths.id", ondelete="SET NULL"), index=True)
    path_title: Mapped[str] = mapped_column(String(200))
    minutes: Mapped[int | None] = mapped_column(Integer)  # the hours attested, in minutes
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user = relationship("User", lazy="raise")
