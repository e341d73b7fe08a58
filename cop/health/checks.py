"""The readiness checks, each answering (ok, detail)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import redis as redis_client
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import func, select, text

from cop.database import utcnow
from cop.extensions import db
from cop.notifications.models import Notification
from cop.ops import queries as ops_queries

MIGRATIONS = Path(__file__).resolve().parent.parent.parent / "migrations"


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: str | int | dict | None = None


def database() -> Check:
    db.session.execute(text("SELECT 1"))
    return Check(True)


def migrations() -> Check:
    """The schema's recorded revision is the newest migration (`flask db upgrade` was run)."""
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    current = MigrationContext.configure(db.session.connection()).get_current_revision()
    return Check(current == head, current or "none")


def redis() -> Check | None:
    """Only when rate limits are kept in Redis (the production setting)."""
    url = current_app.config.get("RATELIMIT_STORAGE_URI", "")
    if not url.startswith(("redis://", "rediss://")):
        return None
    try:
        redis_client.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1).ping()
    except redis_client.RedisError as error:
        return Check(False, type(error).__name__)
    return Check(True)


def email_queue() -> Check:
    """How old, in seconds, the oldest notification email waiting for the worker is. Reported,
    not judged: a queue that only grows shows in the metrics, not as a server to take out."""
    oldest = db.session.scalar(
        select(func.min(Notification.created_at)).where(Notification.email_pending.is_(True)))
    if oldest is None:
        return Check(True, 0)
    return Check(True, int((utcnow() - oldest).total_seconds()))


def jobs_last_success() -> Check:
    """When each scheduled command (and the email worker's pass) last succeeded, in UTC ISO
    (None: not yet). Reported, not judged: a job that stopped shows in the metrics' alerts."""
    return Check(True, {run.name: run.last_success_at and run.last_success_at.isoformat()
                        for run in db.session.scalars(ops_queries.job_runs())})
