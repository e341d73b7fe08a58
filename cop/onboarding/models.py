"""Models of the onboarding feature: one small row per person who finished or put away the
checklist, so that the home page of people who are done asks nothing more."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from cop.database import UTCDateTime, utcnow
from cop.extensions import db


class OnboardingState(db.Model):
    """No row: the checklist is still open. `completed_at`: the four steps were done (first
    seen done on that day); `dismissed_at`: the person chose «Nascondi la lista»."""

    __tablename__ = "onboarding_states"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    dismissed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
