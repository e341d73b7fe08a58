"""Meetings of a space and what they leave behind: agenda, invitations, attendance, minutes,
decisions, actions, materials, feedback; and the series recurring meetings belong to.

Times are stored in UTC (`UTCDateTime`) and entered and shown in Europe/Rome. A meeting is
seen where its space is seen, and by the people invited to it from elsewhere (rules in
cop/access/meetings.py). `sequence` grows with every change a calendar must hear of (time,
place, cancellation), so the same UID with a higher SEQUENCE replaces the old event.
Stored counters keep pages from counting rows: answers, attendance, actions, feedback.

Minutes go from draft to review to approved. Approved minutes are locked: a change (text,
register, decisions, actions) reopens them as an amendment that goes through review and
approval again, while readers keep the latest approved `MinutesVersion`. Nobody approves
minutes they wrote (`MinutesAuthor`, and the minute-taker).
"""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
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

OWNER_TYPE = "meeting"  # attachments of a meeting and of an agenda item
ITEM_OWNER_TYPE = "agenda_item"


class Kind(str, enum.Enum):
    COMMUNITY = "comunita_pratica"
    BENCHLEARNING = "benchlearning"
    PLENARY = "plenaria"
    ATS_TABLE = "tavolo_ats"
    WEBINAR = "webinar"
    STUDY_VISIT = "visita_studio"
    TRAINING = "formazione"


class Mode(str, enum.Enum):
    IN_PERSON = "presenza"
    ONLINE = "online"
    HYBRID = "ibrido"


class MeetingStatus(str, enum.Enum):
    PLANNED = "programmato"
    CANCELLED = "annullato"


class MinutesStatus(str, enum.Enum):
    DRAFT = "bozza"
    REVIEW = "in_revisione"
    APPROVED = "approvato"


class Answer(str, enum.Enum):
    YES = "si"
    NO = "no"
    MAYBE = "forse"


class Presence(str, enum.Enum):
    PRESENT = "presente"
    ABSENT = "assente"
    EXCUSED = "giustificato"


class ActionStatus(str, enum.Enum):
    OPEN = "aperta"
    IN_PROGRESS = "in_corso"
    DONE = "fatta"
    CANCELLED = "annullata"


OPEN_ACTION_STATUSES = (ActionStatus.OPEN.value, ActionStatus.IN_PROGRESS.value)


class Frequency(str, enum.Enum):
    WEEKLY = "settimanale"
    FORTNIGHTLY = "quindicinale"
    MONTHLY = "mensile"


class ItemRole(str, enum.Enum):
    """The agenda items a series puts at the top of its next meeting (cop/meetings/series.py):
    the approval of the previous meeting's minutes, and the actions still open."""

    APPROVE_PREVIOUS = "approva_verbale"
    OPEN_ACTIONS = "azioni_aperte"


NO_RULE = ""  # MeetingSeries.frequency of a series gathered by hand, without a rule


class MeetingSeries(db.Model):
    """Recurring meetings: the rule they were made with and the agenda each one starts from
    (`agenda_template`: one item per line, «title | presenter | minutes»). A series gathered
    by hand from meetings already planned («aggiungi a una serie») has no rule: `frequency`
    is NO_RULE and `occurrences` 0; its meetings are those that name it."""

    __tablename__ = "meeting_series"
    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    frequency: Mapped[str] = mapped_column(String(20))
    occurrences: Mapped[int] = mapped_column(Integer)
    agenda_template: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Meeting(db.Model):
    __tablename__ = "meetings"
    __table_args__ = (
        Index("ix_meetings_space_starts", "space_id", "starts_at"),
        Index("ix_meetings_starts", "starts_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"))
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting_series.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30), default=Kind.COMMUNITY.value)
    mode: Mapped[str] = mapped_column(String(20), default=Mode.IN_PERSON.value)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(String(300), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=MeetingStatus.PLANNED.value)
    sequence: Mapped[int] = mapped_column(Integer, default=0)  # iCalendar SEQUENCE

    minute_taker_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    minutes_status: Mapped[str] = mapped_column(String(20), default=MinutesStatus.DRAFT.value)
    minutes_summary: Mapped[str] = mapped_column(Text, default="")  # general notes
    minutes_summary_html: Mapped[str] = mapped_column(Text, default="")
    minutes_version_count: Mapped[int] = mapped_column(Integer, default=0)
    minutes_approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    invited_count: Mapped[int] = mapped_column(Integer, default=0)
    yes_count: Mapped[int] = mapped_column(Integer, default=0)
    no_count: Mapped[int] = mapped_column(Integer, default=0)
    maybe_count: Mapped[int] = mapped_column(Integer, default=0)
    present_count: Mapped[int] = mapped_column(Integer, default=0)
    action_count: Mapped[int] = mapped_column(Integer, default=0)
    feedback_count: Mapped[int] = mapped_column(Integer, default=0)
    feedback_total: Mapped[int] = mapped_column(Integer, default=0)  # sum of the 1-5 marks
    attachment_count: Mapped[int] = mapped_column(Integer, default=0)

    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    space = relationship("Space", lazy="raise")
    series = relationship("MeetingSeries", lazy="raise")
    minute_taker = relationship("User", foreign_keys=[minute_taker_id], lazy="raise")
    created_by = relationship("User", foreign_keys=[created_by_id], lazy="raise")
    items: Mapped[list[AgendaItem]] = relationship(
        order_by="AgendaItem.position", lazy="raise", cascade="all, delete-orphan",
        foreign_keys="AgendaItem.meeting_id")
    facilitators: Mapped[list[MeetingFacilitator]] = relationship(
        order_by="MeetingFacilitator.id", lazy="raise", cascade="all, delete-orphan")

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED.value

    @property
    def minutes_approved(self) -> bool:
        return self.minutes_status == MinutesStatus.APPROVED.value

    @property
    def minutes_published(self) -> bool:
        """Approved at least once: readers have an approved version, even while an amendment
        (a change after approval, back in draft or review) is under way."""
        return self.minutes_approved or self.minutes_approved_at is not None

    @property
    def minutes_amending(self) -> bool:
        return self.minutes_published and not self.minutes_approved

    @property
    def average_feedback(self) -> float | None:
        return self.feedback_total / self.feedback_count if self.feedback_count else None

    def has_started(self, now: datetime) -> bool:
        return self.starts_at <= now

    def has_ended(self, now: datetime) -> bool:
        return self.ends_at <= now


class MeetingFacilitator(db.Model):
    __tablename__ = "meeting_facilitators"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    user = relationship("User", lazy="raise")


class AgendaItem(db.Model):
    """An item of the agenda, and what the minutes say of it. `role` marks the items a series
    writes (ItemRole; "" for the others) and `previous_meeting_id` the meeting whose minutes an
    «approval of the previous minutes» item is about (their state is read when shown)."""

    __tablename__ = "agenda_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(300))
    presenter: Mapped[str] = mapped_column(String(200), default="")
    planned_minutes: Mapped[int | None] = mapped_column(Integer)
    minutes: Mapped[str] = mapped_column(Text, default="")
    minutes_html: Mapped[str] = mapped_column(Text, default="")
    role: Mapped[str] = mapped_column(String(20), default="", server_default="")
    previous_meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"))


class MeetingInvitation(db.Model):
    """Somebody asked to come (a member of the space, or somebody from elsewhere), and their
    answer. An invitation is also what lets a person from outside a private space see it."""

    __tablename__ = "meeting_invitations"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    answer: Mapped[str | None] = mapped_column(String(10))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user = relationship("User", foreign_keys=[user_id], lazy="raise")


class MeetingGuest(db.Model):
    """Somebody without an account invited by email, their answer, and their row of the
    register (`presence` as `Attendance.presence`, None until recorded, and the organisation
    they came for). Only the hash of the token of their answer link is stored (cop/tokens.py):
    the token is an HMAC (SECRET_KEY) of the random `link_nonce` (cop/meetings/calendar.py), so
    the change and cancellation emails can give the link again while nothing stored opens it.
    The link opens this meeting's invitation facts and nothing else, until the meeting ends;
    taking the invitation back deletes the row, and the link with it."""

    __tablename__ = "meeting_guests"
    __table_args__ = (UniqueConstraint("meeting_id", "email"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(200), default="")
    answer: Mapped[str | None] = mapped_column(String(10))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # None for the guests invited before 0014: their link is only in the invitation email
    link_nonce: Mapped[str | None] = mapped_column(String(32))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    presence: Mapped[str | None] = mapped_column(String(20))  # Presence; None: not recorded
    organisation_name: Mapped[str] = mapped_column(String(200), default="")

    meeting = relationship("Meeting", lazy="raise")

    locale = None  # guests read the emails in Italian, the platform's language

    @property
    def shown_name(self) -> str:
        """In the register and the minutes: the name the facilitator wrote, else the address."""
        return self.name or self.email


class Attendance(db.Model):
    """The register: one row per person, with the organisation they came for."""

    __tablename__ = "meeting_attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    presence: Mapped[str] = mapped_column(String(20))
    organisation_name: Mapped[str] = mapped_column(String(200), default="")

    user = relationship("User", lazy="raise")


class Decision(db.Model):
    __tablename__ = "meeting_decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Action(db.Model):
    """Something to do after the meeting: what, who, by when, and how far it got."""

    __tablename__ = "meeting_actions"
    __table_args__ = (
        Index("ix_meeting_actions_owner_status", "owner_id", "status"),
        Index("ix_meeting_actions_space_status", "space_id", "status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"))
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(300))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=ActionStatus.OPEN.value)
    reminded_for: Mapped[date | None] = mapped_column(Date)  # the due date last reminded of
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    owner = relationship("User", lazy="raise")
    meeting = relationship("Meeting", lazy="raise")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES


class MinutesReview(db.Model):
    """A participant read the minutes under review: approved them, or commented."""

    __tablename__ = "minutes_reviews"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    approved: Mapped[bool] = mapped_column(Boolean, default=False)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user = relationship("User", lazy="raise")


class MinutesAuthor(db.Model):
    """Somebody wrote the minutes (text, register, decisions, actions) since they were last
    approved: they may not approve them (nor may the minute-taker). Emptied at each approval."""

    __tablename__ = "minutes_authors"
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)


class MinutesVersion(db.Model):
    """The minutes as they stood at a step (sent for review, approved; an amendment goes
    through the same steps): `data` is a JSON snapshot of notes, items, attendance, decisions
    and actions. The latest approved one is what readers see while an amendment is under way."""

    __tablename__ = "minutes_versions"
    __table_args__ = (UniqueConstraint("meeting_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    data: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author = relationship("User", lazy="raise")


class Feedback(db.Model):
    """After the meeting: how useful it was (1-5) and what the participant will apply."""

    __tablename__ = "meeting_feedback"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    usefulness: Mapped[int] = mapped_column(Integer)
    will_apply: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CalendarKey(db.Model):
    """The secret behind a person's calendar feed URLs. The URL carries an HMAC of the person
    and this salt (cop/meetings/calendar.py), so nothing secret is stored; a new salt makes
    the old URLs stop working."""

    __tablename__ = "calendar_keys"
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    salt: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
