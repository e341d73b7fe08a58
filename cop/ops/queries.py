"""Reads for the metrics and the readiness report."""
from __future__ import annotations

from sqlalchemy import Select, func, select

from cop.notifications.models import Notification
from cop.ops.models import JobRun


def email_queue() -> Select:
    """(how many notification emails wait for the worker, when the oldest was written)."""
    return select(func.count(), func.min(Notification.created_at)).where(
        Notification.email_pending.is_(True))


def job_runs() -> Select:
    return select(JobRun).order_by(JobRun.name)
