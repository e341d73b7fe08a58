"""Models of the digests feature: each person's digest frequency and the window last sent."""
from __future__ import annotations

import enum
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from cop.database import UTCDateTime, utcnow
from cop.extensions import db


class DigestFrequency(str, enum.Enum):
    WEEKLY = "weekly"
    DAILY = "daily"
    NEVER = "never"


DEFAULT_FREQUENCY = DigestFrequency.WEEKLY.value
PERIODS = {DigestFrequency.WEEKLY.value: timedelta(days=7),
           DigestFrequency.DAILY.value: timedelta(days=1)}


class DigestSettings(db.Model):
    """A person's digest choice; no row means the default (weekly, never sent yet).

    `covered_until` is the end of the window of the last digest delivered (or found empty):
    the next one covers from there to the moment it is sent. It moves only once the mail
    server has accepted the message, so a failed run is retried with the longer window.
    """

    __tablename__ = "digest_settings"
    __table_args__ = (Index("ix_digest_settings_frequency_covered", "frequency", "covered_until"),)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    frequency: Mapped[str] = mapped_column(String(10), default=DEFAULT_FREQUENCY)
    covered_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the last one emailed
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
