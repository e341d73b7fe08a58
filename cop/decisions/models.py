"""Decisions taken by a group, as Loomio and Decidim have them: a *proposta* (d'accordo, mi
astengo, in disaccordo, blocco, each with a reason), a *sondaggio* (one or several choices,
optionally anonymous) or a *punteggio* (a score per option on a scale).

A decision belongs to a discussion thread (several per thread) or to an agenda item of a
meeting, and is seen by whoever sees them (cop/access/decisions.py). It is open until
`closes_at`, or until its author or a manager closes it early (`closed_at`); the status is
computed from those two times, never stored. Each person has one `Stance` (their position and
reason), changeable while the decision is open, with a `StanceChoice` per chosen option (and
its score). Stored counters (`participant_count`, `Option.vote_count`, `Option.score_total`)
keep the thread page from counting rows. Once closed, the author (or a manager, or a
facilitator of the meeting) writes the outcome; a meeting's decision then goes into the
minutes as a meeting GroupDecision, linked by `meeting_decision_id`.
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.database import UTCDateTime, utcnow
from cop.extensions import db


class DecisionKind(str, enum.Enum):
    PROPOSAL = "proposta"
    POLL = "sondaggio"
    SCORE = "punteggio"


class Position(str, enum.Enum):
    """The options of a proposal, in this order."""

    AGREE = "accordo"
    ABSTAIN = "astensione"
    DISAGREE = "disaccordo"
    BLOCK = "blocco"


class DecisionStatus(str, enum.Enum):
    OPEN = "aperta"
    CLOSED = "chiusa"


class GroupDecision(db.Model):
    __tablename__ = "decisions"
    __table_args__ = (
        CheckConstraint("(thread_id IS NULL) <> (meeting_id IS NULL)",
                        name="thread_or_meeting"),
        Index("ix_decisions_closes_at", "closes_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    thread_id: Mapped[int | None] = mapped_column(
        ForeignKey("threads.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="SET NULL"))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    details: Mapped[str] = mapped_column(Text, default="")
    details_html: Mapped[str] = mapped_column(Text, default="")
    multiple: Mapped[bool] = mapped_column(Boolean, default=False)  # a poll: several choices
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)  # counts only, never who
    score_min: Mapped[int] = mapped_column(Integer, default=0)
    score_max: Mapped[int] = mapped_column(Integer, default=0)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # closed early
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # «closing soon» sent
    participant_count: Mapped[int] = mapped_column(Integer, default=0)
    outcome: Mapped[str] = mapped_column(Text, default="")
    outcome_html: Mapped[str] = mapped_column(Text, default="")
    outcome_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    meeting_decision_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting_decisions.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    space = relationship("Space", lazy="raise")
    author = relationship("User", foreign_keys=[author_id], lazy="raise")
    outcome_by = relationship("User", foreign_keys=[outcome_by_id], lazy="raise")
    options: Mapped[list[Option]] = relationship(
        order_by="Option.position", lazy="raise", cascade="all, delete-orphan")

    def ends_at(self) -> datetime:
        return min(self.closes_at, self.closed_at) if self.closed_at else self.closes_at

    def is_open(self, now: datetime) -> bool:
        return self.closed_at is None and now < self.closes_at

    def status(self, now: datetime) -> str:
        return DecisionStatus.OPEN.value if self.is_open(now) else DecisionStatus.CLOSED.value

    @property
    def is_proposal(self) -> bool:
        return self.kind == DecisionKind.PROPOSAL.value

    @property
    def is_poll(self) -> bool:
        return self.kind == DecisionKind.POLL.value

    @property
    def is_score(self) -> bool:
        return self.kind == DecisionKind.SCORE.value


class Option(db.Model):
    """A choice: a proposal's four positions (`code`), a poll's or a score's options."""

    __tablename__ = "decision_options"
    __table_args__ = (UniqueConstraint("decision_id", "position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(20), default="")  # a Position, for proposals
    label: Mapped[str] = mapped_column(String(200), default="")
    vote_count: Mapped[int] = mapped_column(Integer, default=0)
    score_total: Mapped[int] = mapped_column(Integer, default=0)

    def average(self) -> float | None:
        return self.score_total / self.vote_count if self.vote_count else None


class Stance(db.Model):
    """A person's position on a decision, and why; changeable until it closes."""

    __tablename__ = "decision_stances"
    __table_args__ = (UniqueConstraint("decision_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    reason_html: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user = relationship("User", lazy="raise")
    decision = relationship("GroupDecision", lazy="raise")
    choices: Mapped[list[StanceChoice]] = relationship(
        lazy="raise", cascade="all, delete-orphan")


class StanceChoice(db.Model):
    __tablename__ = "decision_stance_choices"
    stance_id: Mapped[int] = mapped_column(
        ForeignKey("decision_stances.id", ondelete="CASCADE"), primary_key=True)
    option_id: Mapped[int] = mapped_column(
        ForeignKey("decision_options.id", ondelete="CASCADE"), primary_key=True, index=True)
    score: Mapped[int | None] = mapped_column(Integer)
