"""One row per scheduled command (and one for the email worker): when it last succeeded and
last failed. In the database, not in a process, so that every app server sees the same."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cop.database import UTCDateTime, utcnow
from cop.extensions import db

EMAIL_WORKER = "email-worker"  # `send-notification-emails --watch`: a record per pass


class JobRun(db.Model):
    __tablename__ = "job_runs"
    name: Mapped[str] = mapped_column(String(60), primary_key=True)  # "send-digests"
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)  # of the last failure, kept after it
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
