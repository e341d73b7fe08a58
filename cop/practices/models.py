"""Good-practice records (*schede di buona pratica*), their versions, reviews and adoptions.

A practice belongs to the space of the Alleanza or ATS that wrote it; who sees it follows its
workflow status and its visibility (cop/access/practices.py). Long texts are Markdown stored
with their sanitised HTML. Every save writes a `PracticeVersion`: a snapshot of the whole
record as JSON, so the history and the diff between two versions need no other table.
Stored counters (`adoption_count`, `version_count`) keep list pages from counting rows.
"""
from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.database import UTCDateTime, utcnow
from cop.extensions import db


class Status(str, enum.Enum):
    """The record's workflow."""

    DRAFT = "bozza"
    SUBMITTED = "inviata"
    VALIDATED = "validata"
    PUBLISHED = "pubblicata"
    ARCHIVED = "archiviata"


PUBLIC_STATUSES = (Status.PUBLISHED.value, Status.ARCHIVED.value)  # readable beyond the writers
# The technical space that holds the comments on records read beyond their own space (it has
# no members; space lists leave it out).
LIBRARY_SPACE_SLUG = "biblioteca-buone-pratiche"


class Visibility(str, enum.Enum):
    SPACE = "spazio"  # whoever sees the space
    SIGNED_IN = "registrati"  # everybody signed in
    PUBLIC = "pubblica"  # also on the public showcase, without signing in


class Target(str, enum.Enum):
    PEOPLE = "persone"
    COMPANIES = "imprese"


class State(str, enum.Enum):
    """Whether the practice is still running."""

    RUNNING = "in_corso"
    ENDED = "conclusa"


class Stage(str, enum.Enum):
    EXPERIMENT = "sperimentazione"
    ROUTINE = "a_regime"
    INSTITUTIONAL = "istituzionalizzata"


class Evidence(str, enum.Enum):
    EMERGING = "emergente"
    PROMISING = "promettente"
    ESTABLISHED = "consolidata"


class Practice(db.Model):
    __tablename__ = "practices"
    __table_args__ = (
        Index("ix_practices_status_updated", "status", "updated_at"),
        Index("ix_practices_space_status", "space_id", "status"),
        Index("ix_practices_ats_area_target", "ats_id", "area_code", "target"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20), default=Status.DRAFT.value)
    visibility: Mapped[str] = mapped_column(String(20), default=Visibility.SPACE.value)

    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    need: Mapped[str] = mapped_column(Text, default="")  # the need addressed
    target: Mapped[str | None] = mapped_column(String(20))
    reached_count: Mapped[int | None] = mapped_column(Integer)  # people or companies reached
    area_code: Mapped[str | None] = mapped_column(ForeignKey("intervention_areas.code"))

    ats_id: Mapped[int | None] = mapped_column(ForeignKey("ats.id"), index=True)
    alleanza_id: Mapped[int | None] = mapped_column(ForeignKey("alleanze.id"), index=True)
    municipalities: Mapped[str] = mapped_column(Text, default="")  # one per line

    lead_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True)
    lead_organisation_name: Mapped[str] = mapped_column(String(200), default="")

    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    state: Mapped[str | None] = mapped_column(String(20))
    stage: Mapped[str | None] = mapped_column(String(20))
    stage_owner: Mapped[str] = mapped_column(String(200), default="")  # who took it over

    budget: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    funding_source: Mapped[str] = mapped_column(String(300), default="")
    staff: Mapped[str] = mapped_column(Text, default="")

    activities: Mapped[str] = mapped_column(Text, default="")
    activities_html: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str | None] = mapped_column(String(20))
    difficulties: Mapped[str] = mapped_column(Text, default="")
    difficulties_html: Mapped[str] = mapped_column(Text, default="")
    lessons: Mapped[str] = mapped_column(Text, default="")
    lessons_html: Mapped[str] = mapped_column(Text, default="")
    transferability: Mapped[str] = mapped_column(Text, default="")
    transferability_html: Mapped[str] = mapped_column(Text, default="")

    contact_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_comment: Mapped[str] = mapped_column(Text, default="")  # the last "send back" note
    keywords: Mapped[str] = mapped_column(Text, default="")  # stems, for similar practices
    comment_thread_id: Mapped[int | None] = mapped_column(
        ForeignKey("threads.id", ondelete="SET NULL"))

    version_count: Mapped[int] = mapped_column(Integer, default=0)
    adoption_count: Mapped[int] = mapped_column(Integer, default=0)
    attachment_count: Mapped[int] = mapped_column(Integer, default=0)

    space = relationship("Space", lazy="raise")
    area = relationship("InterventionArea", lazy="raise")
    ats = relationship("Ats", lazy="raise")
    alleanza = relationship("Alleanza", lazy="raise")
    lead_organisation = relationship("Organisation", lazy="raise")
    contact = relationship("User", foreign_keys=[contact_id], lazy="raise")
    created_by = relationship("User", foreign_keys=[created_by_id], lazy="raise")
    partners: Mapped[list[PracticePartner]] = relationship(
        order_by="PracticePartner.position", lazy="raise", cascade="all, delete-orphan")
    indicators: Mapped[list[PracticeIndicator]] = relationship(
        order_by="PracticeIndicator.position", lazy="raise", cascade="all, delete-orphan")
    links: Mapped[list[PracticeLink]] = relationship(
        order_by="PracticeLink.id", lazy="raise", cascade="all, delete-orphan")

    @property
    def is_published(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def lead_name(self) -> str:
        organisation = self.__dict__.get("lead_organisation")
        return organisation.name if organisation is not None else self.lead_organisation_name

    @property
    def municipality_list(self) -> list[str]:
        return [m for m in self.municipalities.split("\n") if m]


class PracticePartner(db.Model):
    """A partner: an organisation on the platform, or one named by the writers."""

    __tablename__ = "practice_partners"
    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(
        ForeignKey("practices.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200), default="")

    organisation = relationship("Organisation", lazy="raise")


class PracticeIndicator(db.Model):
    """A result: name, value, unit, year («persone raggiunte», 120, «persone», 2023)."""

    __tablename__ = "practice_indicators"
    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(
        ForeignKey("practices.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(200))
    value: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    unit: Mapped[str] = mapped_column(String(60), default="")
    year: Mapped[int | None] = mapped_column(Integer)


class PracticeLink(db.Model):
    """A discussion (or, later, a meeting) the record points to; shown only to its readers."""

    __tablename__ = "practice_links"
    __table_args__ = (UniqueConstraint("practice_id", "kind", "target_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # thread | meeting
    target_id: Mapped[int] = mapped_column(Integer)


class PracticeVersion(db.Model):
    """The whole record as it was saved: `data` is a JSON snapshot (see services.snapshot)."""

    __tablename__ = "practice_versions"
    __table_args__ = (UniqueConstraint("practice_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    data: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(String(300), default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author = relationship("User", lazy="raise")


class ReviewAction(str, enum.Enum):
    SUBMIT = "inviata"
    SEND_BACK = "rimandata"
    VALIDATE = "validata"
    PUBLISH = "pubblicata"
    ARCHIVE = "archiviata"
    RESTORE = "ripristinata"
    WITHDRAW = "ritirata"  # by its authors, before a validator took it up


class PracticeReview(db.Model):
    """A step of the workflow: who did it, when, and their comment (shown on the record)."""

    __tablename__ = "practice_reviews"
    __table_args__ = (Index("ix_practice_reviews_practice", "practice_id", "created_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor = relationship("User", lazy="raise")


class AdoptionKind(str, enum.Enum):
    REUSED = "riusata"
    ADAPTED = "adattata"


class PracticeAdoption(db.Model):
    """An Alleanza reused or adapted the practice: where it travelled."""

    __tablename__ = "practice_adoptions"
    __table_args__ = (UniqueConstraint("practice_id", "alleanza_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id", ondelete="CASCADE"))
    alleanza_id: Mapped[int] = mapped_column(
        ForeignKey("alleanze.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default=AdoptionKind.REUSED.value)
    note: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    alleanza = relationship("Alleanza", lazy="raise")
    user = relationship("User", lazy="raise")


class AdoptionAction(str, enum.Enum):
    REGISTERED = "registrata"
    CHANGED = "modificata"
    WITHDRAWN = "ritirata"


class PracticeAdoptionEvent(db.Model):
    """The history of the Alleanze's adoptions of a record: each registration, change and
    withdrawal, with what it said then (kept after a withdrawal)."""

    __tablename__ = "practice_adoption_events"
    __table_args__ = (Index("ix_practice_adoption_events_practice", "practice_id", "created_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id", ondelete="CASCADE"))
    alleanza_id: Mapped[int] = mapped_column(ForeignKey("alleanze.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    alleanza = relationship("Alleanza", lazy="raise")
    user = relationship("User", lazy="raise")
